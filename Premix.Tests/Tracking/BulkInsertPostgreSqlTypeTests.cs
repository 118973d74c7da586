using Dapper;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Tracking;

/// <summary>
/// PostgreSQL's own types on the bulk path (threshold 2): a database enum, a JSON document, array columns, a range and a
/// converted value go through binary COPY and are stored exactly as the many-row insert stores them; a composite-typed
/// column, which COPY is not given the type information for, keeps the usual path, decided at startup (issue 17 item 4).
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class BulkInsertPostgreSqlTypeTests(Engine engine) : PremixTest(engine)
{
    /// <summary>These types are PostgreSQL's own; the other engines refuse most of them at startup.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    public enum Mood
    {
        Calm,
        Busy,
    }

    [Test]
    public async Task Enums_json_arrays_ranges_and_converted_values_go_through_copy_and_are_stored_as_the_many_row_insert_stores_them()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("bulk_documents")}");
        await ExecuteAsync("DROP TYPE IF EXISTS bulk_mood");
        var log = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        await using (var bulk = CreatePremix(p => p.AddModelConfiguration(new DocumentMap()).BulkInsertThreshold(2), loggerFactory))
        {
            await bulk.SyncAsync();
            await InsertAsync(bulk);
        }

        await using (var usual = CreatePremix(p => p.AddModelConfiguration(new DocumentMap()).DisableBulkInsert()))
        {
            await InsertAsync(usual);
        }

        Assert.That(log.Entries.Select(e => e.Message), Has.Some.Contains("FROM STDIN (FORMAT BINARY)"), "the documents went through COPY");
        var rows = (await QueryAsync<string>($"SELECT concat_ws(' | ', {Q("Mood")}::text, {Q("Data")}::text, {Q("Scores")}::text, {Q("Tags")}::text, {Q("Seats")}::text, {Q("Price")}::text) FROM {Q("bulk_documents")} ORDER BY {Q("Id")}")).ToList();
        Assert.That(rows, Has.Count.EqualTo(8));
        Assert.That(rows.Take(4), Is.EqualTo(rows.Skip(4)));
        Assert.That(rows[1], Does.Contain("busy").And.Contain("\"Name\": \"doc 1\"").And.Contain("{1,2}").And.Contain("[2,12)"));
    }

    [Test]
    public async Task A_composite_typed_column_keeps_the_usual_path_and_its_rows_are_written()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(VisitMap.Table)}");
        await ExecuteAsync($"DROP TYPE IF EXISTS {VisitMap.TypeName}");
        var log = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new VisitMap()).BulkInsertThreshold(2), loggerFactory);
        await premix.SyncAsync();
        var visits = Enumerable.Range(1, 10).Select(n => new Visit { Name = "visit " + n, Slot = new VisitSlot { Starts = new DateTime(2026, 1, n, 9, 0, 0), Booked = DateTimeOffset.UnixEpoch.AddDays(n) } }).ToList();
        await using (var uow = premix.BeginUnitOfWork())
        {
            visits.ForEach(uow.Repository<Visit>().Add);
            await uow.CommitAsync();
        }

        Assert.That(log.Entries.Select(e => e.Message), Has.None.Contains("FROM STDIN"));
        var stored = (await QueryAsync<(long Id, string Name, DateTime Starts)>($"SELECT {Q("Id")}, {Q("Name")}, ({Q("Slot")}).{Q("Starts")} FROM {Q(VisitMap.Table)}")).ToDictionary(r => r.Id);
        Assert.That(visits.Select(v => (stored[v.Id].Name, stored[v.Id].Starts)), Is.EqualTo(visits.Select(v => (v.Name, v.Slot.Starts))));
    }

    private static async Task InsertAsync(IPremix premix)
    {
        await using var uow = premix.BeginUnitOfWork();
        foreach (var i in Enumerable.Range(0, 4))
        {
            uow.Repository<BulkDocument>().Add(new BulkDocument
            {
                Mood = (Mood)(i % 2),
                Data = i == 3 ? null : new Meta { Name = "doc " + i, Pages = [i, i + 1] },
                Scores = i == 2 ? null : [i, i + 1],
                Tags = ["a", "b " + i],
                Seats = new NpgsqlRange<int>(i + 1, true, i + 11, false),
                Price = new Cents(i * 100 + 5),
            });
        }

        await uow.CommitAsync();
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await connection.QueryAsync<T>(sql);
    }

    public sealed class Meta
    {
        public string Name { get; set; } = "";

        public int[] Pages { get; set; } = [];
    }

    public readonly record struct Cents(long Value);

    public sealed class BulkDocument
    {
        public long Id { get; set; }

        public Mood Mood { get; set; }

        public Meta? Data { get; set; }

        public int[]? Scores { get; set; }

        public List<string> Tags { get; set; } = [];

        public NpgsqlRange<int> Seats { get; set; }

        public Cents Price { get; set; }
    }

    private sealed class DocumentMap : ModelConfiguration<BulkDocument>
    {
        public override void Configure(EntityBuilder<BulkDocument> e)
        {
            e.ToTable("bulk_documents");
            e.Property(x => x.Mood).StoredAsEnumType("bulk_mood");
            e.Property(x => x.Data).StoredAsJson();
            e.Property(x => x.Price).HasConversion<Cents, long>(c => c.Value, v => new Cents(v));
        }
    }
}
