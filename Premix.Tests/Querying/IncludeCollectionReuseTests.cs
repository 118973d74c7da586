using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// An include fills the empty list an entity's constructor made rather than setting a new one, and handles every other
/// collection as before: one that holds children already is replaced (whoever holds it keeps what it held), a read-only
/// one is replaced, one without a setter is refilled in place. Children are compared with what plain SQL reads.
/// </summary>
public sealed class IncludeCollectionReuseTests(Engine engine) : PlainSqlIncludeTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new CrateMap(), new CrateItemMap(), new ShelfMap(), new ShelfItemMap(), new ShelfLabelMap());
        await using var connection = await OpenConnectionAsync();
        for (var c = 0; c < 4; c++)
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("crates")} ({Q("Name")}) VALUES (@name)", new { name = $"crate {c}" });
            await connection.ExecuteAsync($"INSERT INTO {Q("shelves")} ({Q("Name")}) VALUES (@name)", new { name = $"shelf {c}" });
            for (var i = 0; i < c; i++)
            {
                await connection.ExecuteAsync(
                    $"INSERT INTO {Q("crate_items")} ({Q("CrateId")}, {Q("Label")}) SELECT {Q("Id")}, @label FROM {Q("crates")} WHERE {Q("Name")} = @name",
                    new { name = $"crate {c}", label = $"item {c}.{i}" });
                foreach (var table in new[] { "shelf_items", "shelf_labels" })
                {
                    await connection.ExecuteAsync(
                        $"INSERT INTO {Q(table)} ({Q("ShelfId")}, {Q("Label")}) SELECT {Q("Id")}, @label FROM {Q("shelves")} WHERE {Q("Name")} = @name",
                        new { name = $"shelf {c}", label = $"{table} {c}.{i}" });
                }
            }
        }
    }

    [Test]
    public async Task An_include_fills_the_empty_list_the_constructor_made_instead_of_setting_a_new_one()
    {
        var expected = await ExpectedAsync("crates", "Id", "crate_items", "CrateId");
        await using var uow = _premix.BeginUnitOfWork();

        var crates = await uow.Repository<Crate>().Query().AsNoTracking().Include(c => c.Items).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe(crates.Select(c => (c.Name, c.Items.Select(i => i.Label)))), Is.EqualTo(expected));
            Assert.That(crates.Select(c => ReferenceEquals(c.Items, c.MadeByConstructor)), Is.All.True, "the constructor's list, filled");
            Assert.That(crates.SelectMany(c => c.Items.Select(i => ReferenceEquals(i.Crate, c))), Is.All.True, "each item points back at its crate");
        }
    }

    [Test]
    public async Task A_second_include_of_tracked_parents_sets_new_lists_and_the_first_lists_keep_their_children()
    {
        var expected = await ExpectedAsync("crates", "Id", "crate_items", "CrateId");
        await using var uow = _premix.BeginUnitOfWork();
        var first = await uow.Repository<Crate>().Query().Include(c => c.Items).ToListAsync();
        var firstLists = first.ToDictionary(c => c, c => c.Items);
        var firstLabels = Describe(first.Select(c => (c.Name, c.Items.Select(i => i.Label))));

        var second = await uow.Repository<Crate>().Query().Include(c => c.Items).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EquivalentTo(first), "the identity map's instances");
            Assert.That(Describe(second.Select(c => (c.Name, c.Items.Select(i => i.Label)))), Is.EqualTo(expected));
            Assert.That(second.Where(c => c.Items.Count > 0).Select(c => ReferenceEquals(c.Items, firstLists[c])), Is.All.False, "a list that held children is replaced, not refilled");
            Assert.That(Describe(first.Select(c => (c.Name, firstLists[c].Select(i => i.Label)))), Is.EqualTo(firstLabels), "the first lists still hold what they held");
        }
    }

    [Test]
    public async Task An_include_replaces_a_read_only_collection_and_refills_one_without_a_setter()
    {
        var expected = await ExpectedAsync("shelves", "Id", "shelf_items", "ShelfId");
        var expectedLabels = await ExpectedAsync("shelves", "Id", "shelf_labels", "ShelfId");
        await using var uow = _premix.BeginUnitOfWork();

        var shelves = await uow.Repository<Shelf>().Query().AsNoTracking().Include(s => s.Items).Include(s => s.Fixed).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe(shelves.Select(s => (s.Name, s.Items.Select(i => i.Label)))), Is.EqualTo(expected));
            Assert.That(shelves.Select(s => s.Items), Is.All.InstanceOf<List<ShelfItem>>(), "the read-only empty collection is replaced by a list");
            Assert.That(Describe(shelves.Select(s => (s.Name, s.Fixed.Select(i => i.Label)))), Is.EqualTo(expectedLabels));
            Assert.That(shelves.Select(s => ReferenceEquals(s.Fixed, s.FixedMadeByConstructor)), Is.All.True, "a collection without a setter is refilled in place");
        }
    }

    public sealed class Crate
    {
        public Crate() => Items = MadeByConstructor = [];

        public long Id { get; set; }

        public string Name { get; set; } = "";

        public List<CrateItem> Items { get; set; }

        /// <summary>The list the constructor made (a field: not mapped).</summary>
#pragma warning disable SA1401 // a field, so the mapping does not see it
        internal readonly List<CrateItem> MadeByConstructor;
#pragma warning restore SA1401
    }

    public sealed class CrateItem
    {
        public long Id { get; set; }

        public long CrateId { get; set; }

        public string Label { get; set; } = "";

        public Crate? Crate { get; set; }
    }

    public sealed class Shelf
    {
        public Shelf() => Fixed = FixedMadeByConstructor = [];

        public long Id { get; set; }

        public string Name { get; set; } = "";

        /// <summary>Read-only and empty until loaded: an include sets a list.</summary>
        public IReadOnlyList<ShelfItem> Items { get; set; } = Array.Empty<ShelfItem>();

        /// <summary>Without a setter: an include refills it.</summary>
        public ICollection<ShelfLabel> Fixed { get; }

#pragma warning disable SA1401 // a field, so the mapping does not see it
        internal readonly List<ShelfLabel> FixedMadeByConstructor;
#pragma warning restore SA1401
    }

    public sealed class ShelfItem
    {
        public long Id { get; set; }

        public long ShelfId { get; set; }

        public string Label { get; set; } = "";
    }

    public sealed class ShelfLabel
    {
        public long Id { get; set; }

        public long ShelfId { get; set; }

        public string Label { get; set; } = "";
    }

    private sealed class CrateMap : ModelConfiguration<Crate>
    {
        public override void Configure(EntityBuilder<Crate> e)
        {
            e.ToTable("crates");
            e.Property(c => c.Name).HasMaxLength(20);
            e.HasMany(c => c.Items).WithForeignKey(i => i.CrateId);
        }
    }

    private sealed class CrateItemMap : ModelConfiguration<CrateItem>
    {
        public override void Configure(EntityBuilder<CrateItem> e)
        {
            e.ToTable("crate_items");
            e.Property(i => i.Label).HasMaxLength(20);
            e.BelongsTo(i => i.Crate).WithForeignKey(i => i.CrateId);
        }
    }

    private sealed class ShelfMap : ModelConfiguration<Shelf>
    {
        public override void Configure(EntityBuilder<Shelf> e)
        {
            e.ToTable("shelves");
            e.Property(s => s.Name).HasMaxLength(20);
            e.HasMany(s => s.Items).WithForeignKey(i => i.ShelfId);
            e.HasMany(s => s.Fixed).WithForeignKey(l => l.ShelfId);
        }
    }

    private sealed class ShelfItemMap : ModelConfiguration<ShelfItem>
    {
        public override void Configure(EntityBuilder<ShelfItem> e)
        {
            e.ToTable("shelf_items");
            e.Property(i => i.Label).HasMaxLength(20);
        }
    }

    private sealed class ShelfLabelMap : ModelConfiguration<ShelfLabel>
    {
        public override void Configure(EntityBuilder<ShelfLabel> e)
        {
            e.ToTable("shelf_labels");
            e.Property(l => l.Label).HasMaxLength(20);
        }
    }
}
