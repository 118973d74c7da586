using System.Collections.Concurrent;
using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A one-level include reads its children into a list kept per thread (<c>ChildRows</c>): loads on many threads at once,
/// a load that fails part-way followed by others, and children already tracked each still get exactly their own children.
/// </summary>
public sealed class IncludeChildListTests(Engine engine) : PremixTest(engine)
{
    private const int Shelves = 20;

    // Shelf "shelf 03" holds three books; the refusal test adds a fourth, refused.
    private const string ThirdShelf = "shelf 03";

    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ShelfMap(), new ShelfBookMap());
        await using var connection = await OpenConnectionAsync();
        for (var s = 0; s < Shelves; s++)
        {
            var shelf = $"shelf {s:00}";
            await connection.ExecuteAsync($"INSERT INTO {Q("shelves")} ({Q("Name")}) VALUES (@shelf)", new { shelf });
            for (var b = 0; b < s % 4; b++)
            {
                await connection.ExecuteAsync(
                    $"INSERT INTO {Q("shelf_books")} ({Q("ShelfId")}, {Q("Title")}) SELECT {Q("Id")}, @title FROM {Q("shelves")} WHERE {Q("Name")} = @shelf",
                    new { shelf, title = $"book {s}.{b}" });
            }
        }
    }

    [Test]
    public async Task Includes_running_at_once_on_eight_threads_each_get_every_shelf_with_exactly_its_books()
    {
        var expected = await ExpectedAsync();
        var loads = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await using var uow = _premix.BeginUnitOfWork();
                loads.Add(Describe(await uow.Repository<Shelf>().Query().Include(s => s.Books).ToListAsync()));
            }
        })));

        Assert.That(loads, Has.Count.EqualTo(160));
        Assert.That(loads, Is.All.EqualTo(expected));
    }

    // On SQLite a load completes on the calling thread, so each failure is followed by a load on its thread; on the servers
    // the loads move between the pool's threads, twenty rounds of each.
    [Test]
    public async Task After_includes_that_fail_on_a_refused_book_the_next_includes_get_complete_children()
    {
        await ExecuteAsync(
            $"INSERT INTO {Q("shelf_books")} ({Q("ShelfId")}, {Q("Title")}) SELECT {Q("Id")}, @title FROM {Q("shelves")} WHERE {Q("Name")} = @shelf",
            new { shelf = ThirdShelf, title = ShelfBook.Refused });
        var expected = await ExpectedAsync(ThirdShelf);

        for (var i = 0; i < 20; i++)
        {
            await using (var failing = _premix.BeginUnitOfWork())
            {
                var error = Assert.ThrowsAsync<InvalidOperationException>(() => failing.Repository<Shelf>().Query().Where(s => s.Name == ThirdShelf).Include(s => s.Books).ToListAsync());
                Assert.That(error!.Message, Is.EqualTo(ShelfBook.Refusal));
            }

            await using var uow = _premix.BeginUnitOfWork();
            var shelves = await uow.Repository<Shelf>().Query().Where(s => s.Name != ThirdShelf).Include(s => s.Books).ToListAsync();
            Assert.That(Describe(shelves), Is.EqualTo(expected), $"round {i}");
        }
    }

    [Test]
    public async Task A_tracked_include_puts_the_books_already_tracked_into_the_collection_and_reads_the_others()
    {
        var expected = await ExpectedAsync();
        var shelfId = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("shelves")} WHERE {Q("Name")} = @shelf", new { shelf = ThirdShelf });
        await using var uow = _premix.BeginUnitOfWork();
        var tracked = (await uow.Repository<ShelfBook>().Query().Where(b => b.ShelfId == shelfId).ToListAsync()).OrderBy(b => b.Id).ToList();

        var shelves = await uow.Repository<Shelf>().Query().Include(s => s.Books).ToListAsync();

        var books = shelves.Single(s => s.Id == shelfId).Books.OrderBy(b => b.Id).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe(shelves), Is.EqualTo(expected));
            Assert.That(tracked, Has.Count.EqualTo(3));
            Assert.That(books.Zip(tracked, ReferenceEquals), Is.EqualTo(new[] { true, true, true }), "the identity map's instances, not copies");
        }
    }

    // Every shelf (but the one left out) with its books' ids in order, as plain SQL reads them.
    private async Task<string> ExpectedAsync(string? leftOut = null)
    {
        await using var connection = await OpenConnectionAsync();
        var shelves = (await connection.QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("shelves")}")).Where(s => s != leftOut).Select(s => new Shelf { Name = s }).ToList();
        var books = await connection.QueryAsync<(string Shelf, long Book)>(
            $"SELECT s.{Q("Name")}, b.{Q("Id")} FROM {Q("shelf_books")} b JOIN {Q("shelves")} s ON s.{Q("Id")} = b.{Q("ShelfId")}");
        foreach (var (shelf, book) in books)
        {
            shelves.SingleOrDefault(s => s.Name == shelf)?.Books.Add(new ShelfBook { Id = book });
        }

        return Describe(shelves);
    }

    private static string Describe(IEnumerable<Shelf> shelves) =>
        string.Join("; ", shelves.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => $"{s.Name}: {string.Join(",", s.Books.Select(b => b.Id).Order())}"));

    public sealed class Shelf
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public List<ShelfBook> Books { get; set; } = [];
    }

    /// <summary>A book whose setter refuses one title, as a domain type may refuse a value read.</summary>
    public sealed class ShelfBook
    {
        public const string Refused = "refused";

        public const string Refusal = "A shelf book refuses the title 'refused'.";

        private string _title = "";

        public long Id { get; set; }

        public long ShelfId { get; set; }

        public string Title
        {
            get => _title;
            set => _title = value == Refused ? throw new InvalidOperationException(Refusal) : value;
        }
    }

    private sealed class ShelfMap : ModelConfiguration<Shelf>
    {
        public override void Configure(EntityBuilder<Shelf> e)
        {
            e.ToTable("shelves");
            e.Property(s => s.Name).HasMaxLength(20);
            e.HasMany(s => s.Books).WithForeignKey(b => b.ShelfId);
        }
    }

    private sealed class ShelfBookMap : ModelConfiguration<ShelfBook>
    {
        public override void Configure(EntityBuilder<ShelfBook> e)
        {
            e.ToTable("shelf_books");
            e.Property(b => b.Title).HasMaxLength(20);
        }
    }
}
