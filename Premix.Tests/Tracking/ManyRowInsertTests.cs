using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A commit of many new rows of one entity: on PostgreSQL one INSERT from arrays, on MariaDB INSERT … VALUES (…), (…)
/// RETURNING in chunks (up to 128 rows in one, a longer run 1024, 512, 256 or 128 rows at a time and the rest), on SQLite
/// one prepared INSERT re-bound per row (issue 17 item 3). On every engine each object gets the key of the row that holds
/// its own values, and a failure anywhere writes nothing.
/// </summary>
public sealed class ManyRowInsertTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new ItemMap(), new TagMap());

    [TearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [TestCase(1000)]
    [TestCase(3)]
    [TestCase(257)]
    public async Task Each_object_gets_the_generated_key_of_the_row_that_holds_its_values(int rows)
    {
        var items = Enumerable.Range(1, rows).Select(n => new Item { Name = $"item {n}", Weight = n * 1.5m, Note = n % 3 == 0 ? null : $"note {n}" }).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var item in items)
            {
                uow.Repository<Item>().Add(item);
            }

            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(long Id, string Name, decimal Weight, string? Note)>(
            $"SELECT {Q("Id")}, {Q("Name")}, {Q("Weight")}, {Q("Note")} FROM {Q("items")}")).ToDictionary(r => r.Id);
        Assert.That(stored, Has.Count.EqualTo(rows));
        Assert.That(items.Select(i => i.Id).Distinct().Count(), Is.EqualTo(rows), "every object has a key of its own");
        foreach (var item in items)
        {
            Assert.That(stored[item.Id], Is.EqualTo((item.Id, item.Name, item.Weight, item.Note)), $"the row of key {item.Id}");
        }
    }

    /// <summary>
    /// On MariaDB a many-row statement binds each column's values on copies of one parameter typed from the column's first
    /// value that is not NULL: NULLs before it, between and after, and every copy's own value, must reach their rows.
    /// </summary>
    [Test]
    public async Task A_column_whose_first_values_are_null_gets_each_row_its_own_value()
    {
        var items = Enumerable.Range(1, 40).Select(n => new Item { Name = $"item {n}", Weight = n, Note = n <= 5 || n % 7 == 0 ? null : $"note {n}" }).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var item in items)
            {
                uow.Repository<Item>().Add(item);
            }

            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(long Id, decimal Weight, string? Note)>($"SELECT {Q("Id")}, {Q("Weight")}, {Q("Note")} FROM {Q("items")}")).ToDictionary(r => r.Id);
        Assert.That(stored.Values.Select(r => (r.Weight, r.Note)), Is.EquivalentTo(items.Select(i => (i.Weight, i.Note))));
        Assert.That(items.Select(i => stored[i.Id]), Is.EqualTo(items.Select(i => (i.Id, i.Weight, i.Note))), "each row under its own object's key");
    }

    [Test]
    public async Task Rows_with_keys_of_their_own_are_all_written_with_their_values()
    {
        var tags = Enumerable.Range(1, 600).Select(n => new Tag { Code = $"T{n:D4}", Label = n % 2 == 0 ? $"label {n}" : "it's \"quoted\" \\ here" }).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var tag in tags)
            {
                uow.Repository<Tag>().Add(tag);
            }

            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(string Code, string Label)>($"SELECT {Q("Code")}, {Q("Label")} FROM {Q("tags")}")).ToDictionary(r => r.Code, r => r.Label);
        Assert.That(stored, Is.EquivalentTo(tags.ToDictionary(t => t.Code, t => t.Label)));
    }

    [Test]
    public async Task A_duplicate_key_deep_in_a_chunk_writes_nothing_and_leaves_every_object_unsaved()
    {
        await ExecuteAsync($"INSERT INTO {Q("tags")} ({Q("Code")}, {Q("Label")}) VALUES ('T0400', 'already there')");
        var items = Enumerable.Range(1, 500).Select(n => new Item { Name = $"item {n}", Weight = n }).ToList();
        var tags = Enumerable.Range(1, 600).Select(n => new Tag { Code = $"T{n:D4}", Label = "new" }).ToList();
        await using var uow = _premix.BeginUnitOfWork();
        items.ForEach(uow.Repository<Item>().Add);
        tags.ForEach(uow.Repository<Tag>().Add);

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        Assert.That(error!.Message, Does.Contain("tags").IgnoreCase);
        Assert.That(await CountRowsAsync("items"), Is.Zero, "the items inserted before the failing chunk are rolled back");
        Assert.That(await CountRowsAsync("tags"), Is.EqualTo(1));
        Assert.That(items.Select(i => i.Id), Is.All.EqualTo(0L), "the keys read back are undone");
    }

    private sealed class Item
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public decimal Weight { get; set; }

        public string? Note { get; set; }
    }

    private sealed class Tag
    {
        public string Code { get; set; } = "";

        public string Label { get; set; } = "";
    }

    private sealed class ItemMap : ModelConfiguration<Item>
    {
        public override void Configure(EntityBuilder<Item> e)
        {
            e.ToTable("items");
            e.Property(x => x.Name).HasMaxLength(50);
            e.Property(x => x.Weight).HasPrecision(12, 2);
        }
    }

    private sealed class TagMap : ModelConfiguration<Tag>
    {
        public override void Configure(EntityBuilder<Tag> e)
        {
            e.ToTable("tags");
            e.HasKey(x => x.Code).IsClientAssigned();
            e.Property(x => x.Code).HasMaxLength(10);
            e.Property(x => x.Label).HasMaxLength(50);
        }
    }
}
