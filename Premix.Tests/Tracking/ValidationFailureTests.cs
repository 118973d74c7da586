using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A ValidationException tells apart failures of the same rule on different entities of one commit: each names its
/// entity by key, or by its position in the commit when it is new, and never shows a sensitive key.
/// </summary>
public sealed class ValidationFailureTests(Engine engine) : PremixTest(engine)
{
    private const string TooLong = "is 21 characters long; the maximum is 20 (HasMaxLength).";

    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new CustomerMap(), new BadgeMap());

    [Test]
    public async Task Failures_of_one_rule_name_a_loaded_entity_by_key_and_new_ones_by_their_position_in_the_commit()
    {
        var loaded = new Customer { Name = "Loaded" };
        await using (var arrange = _premix.BeginUnitOfWork())
        {
            arrange.Repository<Customer>().Add(loaded);
            await arrange.CommitAsync();
        }

        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        (await customers.GetAsync(loaded.Id)).Name = new string('a', 21);
        customers.Add(new Customer { Name = "Fine" });
        customers.Add(new Customer { Name = new string('b', 21) });
        customers.Add(new Customer { Name = new string('c', 21) });

        var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Failures.Select(f => (f.Key, f.Position)), Is.EquivalentTo(new (string?, int?)[]
            {
                (loaded.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null),
                (null, 2),
                (null, 3),
            }));
            Assert.That(error.Message, Does.Contain($"Customer (key {loaded.Id}).Name: {TooLong}"));
            Assert.That(error.Message, Does.Contain($"Customer (new, position 2 in the commit).Name: {TooLong}"));
            Assert.That(error.Message, Does.Contain($"Customer (new, position 3 in the commit).Name: {TooLong}"));
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "nothing was written");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = loaded.Id }), Is.EqualTo("Loaded"));
        }
    }

    [Test]
    public async Task A_sensitive_key_is_masked_in_the_failures_that_name_its_entity()
    {
        await using (var arrange = _premix.BeginUnitOfWork())
        {
            arrange.Repository<Badge>().Add(new Badge { Code = "SECRET-CODE-1", Holder = "Ann" });
            await arrange.CommitAsync();
        }

        await using var uow = _premix.BeginUnitOfWork();
        var badges = uow.Repository<Badge>();
        (await badges.GetAsync("SECRET-CODE-1")).Holder = new string('a', 11);
        badges.Add(new Badge { Code = "SECRET-CODE-2", Holder = new string('b', 11) });

        var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Failures.Select(f => f.ToString()), Is.EquivalentTo(new[]
            {
                "Badge (key ***).Holder: is 11 characters long; the maximum is 10 (HasMaxLength).",
                "Badge (new, position 1 in the commit, key ***).Holder: is 11 characters long; the maximum is 10 (HasMaxLength).",
            }));
            Assert.That(error.Message, Does.Not.Contain("SECRET-CODE"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Holder")} FROM {Q("badges")}"), Is.EqualTo("Ann"), "nothing was written");
        }
    }

    public sealed class Badge
    {
        public string Code { get; set; } = "";

        public string Holder { get; set; } = "";
    }

    private sealed class BadgeMap : ModelConfiguration<Badge>
    {
        public override void Configure(EntityBuilder<Badge> e)
        {
            e.ToTable("badges");
            e.HasKey(b => b.Code);
            e.Property(b => b.Code).HasMaxLength(40).Sensitive();
            e.Property(b => b.Holder).HasMaxLength(10);
        }
    }
}
