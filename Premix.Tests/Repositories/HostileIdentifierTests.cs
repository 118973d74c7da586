using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Repositories;

/// <summary>Reserved words, mixed case, spaces and quote characters in names work for every operation on every engine.</summary>
public sealed class HostileIdentifierTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Every_operation_works_on_a_table_and_columns_with_hostile_names()
    {
        var premix = await CreatePremixWithTablesAsync(new HostileMap());
        await using var uow = premix.BeginUnitOfWork();
        var repository = uow.Repository<Hostile>();
        var row = new Hostile { Group = "g", User = "u", MixedCase = "m", WithSpace = "s", Quoted = "q\"'`" };

        repository.Add(row);
        await uow.CommitAsync();
        var loaded = await repository.GetAsync(row.Id);
        loaded.Group = "g2";
        repository.Update(loaded);
        await uow.CommitAsync();
        var afterUpdate = await repository.GetAsync(row.Id);
        var listed = await repository.ListAsync();
        var counted = await repository.CountAsync();
        repository.Remove(afterUpdate);
        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Id, Is.GreaterThan(0));
            Assert.That((loaded.User, loaded.MixedCase, loaded.WithSpace, loaded.Quoted), Is.EqualTo(("u", "m", "s", "q\"'`")));
            Assert.That(afterUpdate.Group, Is.EqualTo("g2"));
            Assert.That(listed, Has.Count.EqualTo(1));
            Assert.That(counted, Is.EqualTo(1));
            Assert.That(await CountRowsAsync("order"), Is.Zero);
        }
    }

    public sealed class Hostile
    {
        public long Id { get; set; }

        public string Group { get; set; } = "";

        public string User { get; set; } = "";

        public string MixedCase { get; set; } = "";

        public string WithSpace { get; set; } = "";

        public string Quoted { get; set; } = "";
    }

    private sealed class HostileMap : ModelConfiguration<Hostile>
    {
        public override void Configure(EntityBuilder<Hostile> e)
        {
            e.ToTable("order");
            e.Property(x => x.Id).HasColumnName("select");
            e.Property(x => x.Group).HasColumnName("group").HasMaxLength(20);
            e.Property(x => x.User).HasColumnName("user").HasMaxLength(20);
            e.Property(x => x.MixedCase).HasColumnName("MiXeD CaSe").HasMaxLength(20);
            e.Property(x => x.WithSpace).HasColumnName("with space").HasMaxLength(20);
            e.Property(x => x.Quoted).HasColumnName("quo\"te`d").HasMaxLength(20);
        }
    }
}
