using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Strongly typed ids whose converters are registered with <see cref="ValueConverters.StronglyTypedId{TId, TValue}"/> (the way
/// with dynamic code off, where the convention does not apply) on every engine: the generated key and a nullable code are
/// stored as their values (checked through plain SQL), a row written by plain SQL is found by its converted key and read
/// back, and a query compares the stored values.
/// </summary>
public sealed class RegisteredStronglyTypedIdTests(Engine engine) : PremixTest(engine)
{
    // Kept to tell them from the convention's converters, which store the same way: the model must hold these instances.
    private readonly ValueConverter _accountId = ValueConverters.StronglyTypedId<AccountId, long>();
    private readonly ValueConverter _sku = ValueConverters.StronglyTypedId<Sku, string>();
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => AccountMap.Registry(p.AddModelConfiguration(new AccountMap()).AddModelConfiguration(new InvoiceMap())
            .Convert(_accountId)
            .Convert(_sku)));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Registered_ids_are_stored_as_their_values_and_a_row_written_by_plain_SQL_is_found_by_its_id_and_read_back()
    {
        var ada = new Account { Name = "Ada", Tier = Tier.Gold, SeenAt = new DateTime(2026, 2, 5, 0, 0, 0, DateTimeKind.Utc), Code = new Sku("A-1") };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Account>().Add(ada);
            await uow.CommitAsync();
        }

        await ExecuteAsync(
            $"INSERT INTO {Q(AccountMap.Table)} ({Q("Id")}, {Q("Name")}, {Q("Tier")}, {Q("SeenAt")}, {Q("Code")}) VALUES (@id, 'Bob', 1, @seen, 'B-2')",
            new { id = ada.Id.Value + 100, seen = new DateTime(2026, 2, 6, 0, 0, 0, DateTimeKind.Utc) });

        await using var read = _premix.BeginUnitOfWork();
        var bob = await read.Repository<Account>().GetAsync(new AccountId(ada.Id.Value + 100));
        var byCode = await read.Repository<Account>().Query().Where(a => a.Code == new Sku("A-1")).ToListAsync();
        var properties = _premix.Model.Get(typeof(Account)).Properties;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(properties.Single(p => p.Name == nameof(Account.Id)).Converter, Is.SameAs(_accountId), "the registered converter, not the convention's");
            Assert.That(properties.Single(p => p.Name == nameof(Account.Code)).Converter, Is.SameAs(_sku), "the registered converter, not the convention's");
            Assert.That(ada.Id.Value, Is.GreaterThan(0), "the generated key comes back through the registered converter");
            Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q(AccountMap.Table)} WHERE {Q("Name")} = 'Ada'"), Is.EqualTo(ada.Id.Value));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Code")} FROM {Q(AccountMap.Table)} WHERE {Q("Name")} = 'Ada'"), Is.EqualTo("A-1"));
            Assert.That((bob.Name, bob.Code), Is.EqualTo(("Bob", (Sku?)new Sku("B-2"))));
            Assert.That(byCode.Select(a => a.Name), Is.EqualTo(new[] { "Ada" }));
        }
    }
}
