using Premix.Mapping;
using Premix.Testing;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>
/// The recording fake does not bind tenants: an entity with a tenant column is refused wherever the fake would read or
/// write it, with a message naming the limit and what to use instead, rather than show or write every tenant's rows.
/// Entities without one work as before. (No database: runs once.)
/// </summary>
public sealed class FakeTenantColumnTests
{
    [Test]
    public async Task A_tenant_column_entity_is_refused_by_the_fake_with_the_limit_named_and_nothing_stored()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<FakeShelfMap>().AddModelConfiguration<FakeShelfItemMap>());
        fake.Seed(new FakeShelf { Id = 1 });
        await using var uow = fake.BeginUnitOfWork();

        Assert.That((await uow.Repository<FakeShelf>().GetAsync(1L)).Id, Is.EqualTo(1), "an entity without a tenant column works as before");
        var refused = Assert.Throws<NotSupportedException>(() => uow.Repository<FakeShelfItem>());
        Assert.That(refused!.Message, Does.Contain("does not bind tenants").And.Contain("FakeShelfItem.TenantId").And.Contain("InMemoryTestDatabase"));
        Assert.ThrowsAsync<NotSupportedException>(() => uow.Repository<FakeShelf>().Query().Include(s => s.Items).ToListAsync(), "the children an Include would load");
        Assert.Throws<NotSupportedException>(() => fake.Seed(new FakeShelfItem { Id = 1, ShelfId = 1, TenantId = "acme" }));
        Assert.That(fake.Rows<FakeShelfItem>(), Is.Empty, "nothing was stored");
    }
}

public sealed class FakeShelf
{
    public long Id { get; set; }

    public List<FakeShelfItem> Items { get; set; } = [];
}

public sealed class FakeShelfItem
{
    public long Id { get; set; }

    public long ShelfId { get; set; }

    public string? TenantId { get; set; }
}

public sealed class FakeShelfMap : ModelConfiguration<FakeShelf>
{
    public override void Configure(EntityBuilder<FakeShelf> e) => e.HasMany(s => s.Items).WithForeignKey(i => i.ShelfId);
}

public sealed class FakeShelfItemMap : ModelConfiguration<FakeShelfItem>
{
    public override void Configure(EntityBuilder<FakeShelfItem> e) => e.HasTenantColumn(i => i.TenantId);
}
