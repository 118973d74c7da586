using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// On every engine the same rows come back on every read path: NULLs in nullable and optional columns, a converted column,
/// a value object's columns, and values larger than the driver's read buffer (300 KB text and bytes). Written as
/// SequentialReadTests when PostgreSQL read a plan's rows with CommandBehavior.SequentialAccess; that mode is gone
/// (docs/performance.md, "The PostgreSQL list without SequentialAccess"), and the rows must stay the same.
/// </summary>
public sealed class LargeValueReadTests(Engine engine) : PremixTest(engine)
{
    private const int Large = 300_000; // above Npgsql's 8 KiB read buffer many times over

    private static readonly string LongText = string.Concat(Enumerable.Range(0, Large / 10).Select(i => $"{i % 100000,9}."));
    private static readonly byte[] LongBytes = Enumerable.Range(0, Large).Select(i => (byte)(i * 7)).ToArray();

    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTableAsync()
    {
        _premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new DocumentMap()));
        await RecreateTablesAsync(_premix);
        var table = Q(DocumentMap.Table);
        await ExecuteAsync(
            $"INSERT INTO {table} ({Q("id")}, {Q("title")}, {Q("note")}, {Q("pages")}, {Q("body")}, {Q("scan")}, {Q("weight")}, {Q("home_street")}, {Q("home_city")}) "
            + "VALUES (1, @title, NULL, NULL, @body, @scan, 1500, NULL, NULL), (2, 'short', 'a note', 12, 'x', @tiny, 20, 'Main 1', 'Oslo')",
            new { title = "long", body = LongText, scan = LongBytes, tiny = new byte[] { 1, 2 } });
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Rows_read_by_key_list_query_stream_and_synchronously_hold_every_column_as_stored()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var documents = uow.Repository<Document>().AsNoTracking();

        var found = await documents.FindAsync(1L);
        var listed = (await documents.ListAsync()).OrderBy(d => d.Id).ToList();
        var queried = await documents.Query().Where(d => d.Id > 0).OrderBy(d => d.Id).ToListAsync();
        var streamed = new List<Document>();
        await foreach (var document in documents.Query().OrderBy(d => d.Id).AsAsyncEnumerable())
        {
            streamed.Add(document);
        }

        var foundSynchronously = documents.Find(2L);

        using (Assert.EnterMultipleScope())
        {
            foreach (var (rows, path) in new[] { (listed, "list"), (queried, "query"), (streamed, "stream") })
            {
                Assert.That(rows.Select(Shown), Is.EqualTo(new[] { Expected1, Expected2 }), path);
                Assert.That(rows[0].Body, Is.EqualTo(LongText), path + ": the long text");
                Assert.That(rows[0].Scan, Is.EqualTo(LongBytes), path + ": the long bytes");
            }

            Assert.That(Shown(found!), Is.EqualTo(Expected1), "by key");
            Assert.That((found!.Body, found.Scan), Is.EqualTo((LongText, LongBytes)), "by key: the long values");
            Assert.That(Shown(foundSynchronously!), Is.EqualTo(Expected2), "by key, synchronously");
        }
    }

    [Test]
    public async Task A_tracked_row_with_large_values_commits_its_change_and_keeps_the_other_columns()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Document>().GetAsync(1L);
            loaded.Pages = 3;
            await uow.CommitAsync();
        }

        var table = Q(DocumentMap.Table);
        var pages = await ScalarAsync<int>($"SELECT {Q("pages")} FROM {table} WHERE {Q("id")} = 1");
        var body = await ScalarAsync<string>($"SELECT {Q("body")} FROM {table} WHERE {Q("id")} = 1");
        var weight = await ScalarAsync<long>($"SELECT {Q("weight")} FROM {table} WHERE {Q("id")} = 1");

        Assert.That((pages, body, weight), Is.EqualTo((3, LongText, 1500L)), "the changed column is written; the long text and the converted value are kept");
    }

    private static readonly string Expected1 = "1|long|<null>|<null>|1500 g|<no home>";
    private static readonly string Expected2 = "2|short|a note|12|20 g|Main 1, Oslo";

    private static string Shown(Document d) =>
        $"{d.Id}|{d.Title}|{d.Note ?? "<null>"}|{d.Pages?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<null>"}|{d.Weight.Value} g|{(d.Home is null ? "<no home>" : $"{d.Home.Street}, {d.Home.City}")}";

    private sealed class Document
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";

        public string? Note { get; set; }

        public int? Pages { get; set; }

        public string Body { get; set; } = "";

        public byte[] Scan { get; set; } = [];

        public Grams Weight { get; set; } = new(0);

        public Address? Home { get; set; }
    }

    private sealed record Grams(long Value);

    private sealed record Address(string Street, string City);

    private sealed class DocumentMap : ModelConfiguration<Document>
    {
        public const string Table = "sequential_documents";

        public override void Configure(EntityBuilder<Document> e)
        {
            e.ToTable(Table);
            e.HasKey(d => d.Id).IsClientAssigned();
            e.Property(d => d.Weight).HasConversion(g => g.Value, v => new Grams(v));
            e.Owns(d => d.Home);
        }
    }
}
