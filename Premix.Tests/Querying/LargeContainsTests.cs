using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// <c>list.Contains(x.Column)</c> with lists far past every engine's parameter limit, and with what C# gives a list
/// that is empty or holds a null. The table is seeded with plain SQL: row n has <c>Score = n % 7</c> (NULL when n is a
/// multiple of 10) and <c>Tag = 'tag-n'</c> (NULL when n is a multiple of 5), so every expectation is computed from
/// the same formula in C#.
/// </summary>
public sealed class LargeContainsTests(Engine engine) : PremixTest(engine)
{
    private const int Rows = 120_000;
    private const int Large = 100_000;

    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ContainsRowMap(), new ContainsChildMap());
        await using var connection = await OpenConnectionAsync();
        var numbers = Engine switch
        {
            Engine.PostgreSql => $"SELECT n FROM generate_series(1, {Rows}) AS s(n)",
            Engine.MySql => $"SELECT seq AS n FROM seq_1_to_{Rows}",
            _ => $"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {Rows}) SELECT n FROM s",
        };
        var text = Engine == Engine.MySql ? "CONCAT('tag-', n)" : "'tag-' || n";
        await connection.ExecuteAsync(
            $"INSERT INTO {Q("contains_rows")} ({Q("Id")}, {Q("Score")}, {Q("Tag")}) SELECT n, CASE WHEN n % 10 = 0 THEN NULL ELSE n % 7 END, CASE WHEN n % 5 = 0 THEN NULL ELSE {text} END FROM ({numbers}) AS numbers",
            commandTimeout: 300);
        await connection.ExecuteAsync(
            $"INSERT INTO {Q("contains_children")} ({Q("Id")}, {Q("RowId")}) SELECT n, n FROM ({numbers}) AS numbers WHERE n % 2 = 0",
            commandTimeout: 300);
    }

    [Test]
    public async Task Contains_with_100000_ids_returns_exactly_the_rows_with_those_ids()
    {
        var ids = Enumerable.Range(Rows - Large / 2 + 1, Large).Select(i => (long)i).ToList(); // half of them exist

        await using var uow = _premix.BeginUnitOfWork();
        var rows = await uow.Repository<ContainsRow>().Query().AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync();
        var count = await uow.Repository<ContainsRow>().Query().Where(x => ids.Contains(x.Id)).CountAsync();

        Assert.That(rows.Select(r => r.Id).Order(), Is.EqualTo(ids.Where(i => i <= Rows)));
        Assert.That(count, Is.EqualTo(Large / 2));
    }

    [Test]
    public async Task Not_Contains_with_100000_ids_returns_every_other_row()
    {
        var ids = Enumerable.Range(Rows - Large / 2 + 1, Large).Select(i => (long)i).ToArray();

        await using var uow = _premix.BeginUnitOfWork();
        var rows = await uow.Repository<ContainsRow>().Query().AsNoTracking().Where(x => !ids.Contains(x.Id)).ToListAsync();

        Assert.That(rows.Select(r => r.Id).Order(), Is.EqualTo(Enumerable.Range(1, Rows - Large / 2).Select(i => (long)i)));
    }

    [Test]
    public async Task Contains_with_100000_strings_returns_the_rows_with_those_values()
    {
        var tags = Enumerable.Range(Rows - Large / 2 + 1, Large).Select(i => (string?)("tag-" + i)).ToHashSet();

        await using var uow = _premix.BeginUnitOfWork();
        var rows = await uow.Repository<ContainsRow>().Query().AsNoTracking().Where(x => tags.Contains(x.Tag)).ToListAsync();

        Assert.That(rows.Select(r => r.Id).Order(), Is.EqualTo(Seed().Where(r => r.Tag is not null && tags.Contains(r.Tag)).Select(r => r.Id)));
    }

    [Test]
    public async Task An_empty_list_matches_no_row_and_its_negation_every_row_including_nulls()
    {
        var none = new List<int?>();

        await using var uow = _premix.BeginUnitOfWork();
        var matched = await uow.Repository<ContainsRow>().Query().Where(x => none.Contains(x.Score)).CountAsync();
        var unmatched = await uow.Repository<ContainsRow>().Query().Where(x => !none.Contains(x.Score)).CountAsync();

        Assert.That((matched, unmatched), Is.EqualTo((0L, (long)Rows)));
    }

    [Test]
    public async Task A_null_in_the_list_matches_the_rows_whose_column_is_null_as_in_CSharp()
    {
        int?[] withNull = [1, null];
        int?[] withoutNull = [1, 2];
        string?[] tagsWithNull = ["tag-1", null];

        await using var uow = _premix.BeginUnitOfWork();
        var query = uow.Repository<ContainsRow>().Query();
        var seed = Seed();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await query.Where(x => withNull.Contains(x.Score)).CountAsync(), Is.EqualTo(seed.Count(r => withNull.Contains(r.Score))), "Contains, list with null");
            Assert.That(await query.Where(x => !withNull.Contains(x.Score)).CountAsync(), Is.EqualTo(seed.Count(r => !withNull.Contains(r.Score))), "not Contains, list with null");
            Assert.That(await query.Where(x => withoutNull.Contains(x.Score)).CountAsync(), Is.EqualTo(seed.Count(r => withoutNull.Contains(r.Score))), "Contains, list without null");
            Assert.That(await query.Where(x => !withoutNull.Contains(x.Score)).CountAsync(), Is.EqualTo(seed.Count(r => !withoutNull.Contains(r.Score))), "not Contains, list without null: rows with a null column match");
            Assert.That(await query.Where(x => tagsWithNull.Contains(x.Tag)).CountAsync(), Is.EqualTo(seed.Count(r => tagsWithNull.Contains(r.Tag))), "Contains on text, list with null");
            Assert.That(await query.Where(x => !tagsWithNull.Contains(x.Tag)).CountAsync(), Is.EqualTo(seed.Count(r => !tagsWithNull.Contains(r.Tag))), "not Contains on text, list with null");
        }
    }

    [Test]
    [NeedsServerSession("It turns on Npgsql's automatic preparation to count the server's prepared statements; a prepared statement lives on one server session, and PgBouncer 1.18 in transaction mode does not follow it (26000 prepared statement \"_auto0\" does not exist).")]
    public async Task A_list_of_any_length_is_one_statement_and_PostgreSQL_prepares_one_text_for_every_length()
    {
        using var telemetry = new TelemetryCapture();
        // On PostgreSQL, one pooled connection that prepares a statement on its second use: the server's own list of
        // prepared statements then shows how many SQL texts the lists of different lengths needed.
        var premix = Engine == Engine.PostgreSql
            ? PremixFactory.Create(p => p.UsePostgreSql(ConnectionString + ";Maximum Pool Size=1;Max Auto Prepare=8;Auto Prepare Min Usages=2").AddModelConfiguration(new ContainsRowMap()).AddModelConfiguration(new ContainsChildMap()))
            : CreatePremix(p => p.AddModelConfiguration(new ContainsRowMap()).AddModelConfiguration(new ContainsChildMap()));

        var counts = new List<long>();
        foreach (var length in new[] { 3, Large, 0, 7, 2 })
        {
            var ids = Enumerable.Range(1, length).Select(i => (long)i).ToList();
            await using var uow = premix.BeginUnitOfWork();
            counts.Add(await uow.Repository<ContainsRow>().Query().Where(x => ids.Contains(x.Id)).CountAsync());
        }

        Assert.That(counts, Is.EqualTo(new long[] { 3, Large, 0, 7, 2 }));
        Assert.That(telemetry.Spans(DatabaseName), Has.Count.EqualTo(5), "one statement per query, whatever the length of its list");
        if (Engine == Engine.PostgreSql)
        {
            var prepared = await premix.Raw("SELECT statement FROM pg_prepared_statements").FetchAs<string>();
            Assert.That(prepared.Where(s => s.Contains("contains_rows", StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(1), string.Join(Environment.NewLine, prepared));
        }
    }

    [Test]
    public async Task Include_loads_the_children_of_120000_parents()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var rows = await uow.Repository<ContainsRow>().Query().AsNoTracking().Include(x => x.Children).ToListAsync();

        Assert.That(rows, Has.Count.EqualTo(Rows));
        Assert.That(rows.Sum(r => r.Children.Count), Is.EqualTo(Rows / 2));
        Assert.That(rows.All(r => r.Children.Count == (r.Id % 2 == 0 ? 1 : 0) && r.Children.All(c => c.RowId == r.Id)), Is.True);
    }

    [Test]
    public async Task A_bulk_update_refreshes_100000_tracked_entities()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var tracked = await uow.Repository<ContainsRow>().Query().Where(x => x.Id <= Large).ToListAsync();

        var changed = await uow.Repository<ContainsRow>().Query().Where(x => x.Id <= Large).UpdateAllAsync(s => s.Set(x => x.Label, "bulk"));

        Assert.That(changed, Is.EqualTo(Large));
        Assert.That(tracked.Count(r => r.Label == "bulk"), Is.EqualTo(Large), "every tracked entity shows the bulk change");
    }

    [Test]
    public async Task Values_of_a_sensitive_column_in_a_list_are_masked_in_logs_and_in_ToSqlWithParameters()
    {
        const string Secret = "tag-secret-7781";
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var premix = CreatePremix(p => p.AddModelConfiguration(new ContainsRowMap()).AddModelConfiguration(new ContainsChildMap()).EnableParameterLogging(), factory);
        var secrets = Enumerable.Range(0, 20).Select(i => (string?)(Secret + i)).ToList();

        await using var uow = premix.BeginUnitOfWork();
        var found = await uow.Repository<ContainsRow>().Query().Where(x => secrets.Contains(x.Label)).CountAsync();
        var sql = uow.Repository<ContainsRow>().Query().Where(x => secrets.Contains(x.Label)).ToSqlWithParameters();

        Assert.That(found, Is.Zero);
        Assert.That(logs.Entries.Select(e => e.Message).Append(sql), Has.None.Contains(Secret));
        Assert.That(sql, Does.Contain("***"));
    }

    // The seeded rows, by the same formula as the INSERT.
    private static List<ContainsRow> Seed() =>
        Enumerable.Range(1, Rows).Select(n => new ContainsRow { Id = n, Score = n % 10 == 0 ? null : n % 7, Tag = n % 5 == 0 ? null : "tag-" + n }).ToList();

    public sealed class ContainsRow
    {
        public long Id { get; set; }

        public int? Score { get; set; }

        public string? Tag { get; set; }

        public string? Label { get; set; }

        public List<ContainsChild> Children { get; set; } = [];
    }

    public sealed class ContainsChild
    {
        public long Id { get; set; }

        public long RowId { get; set; }
    }

    private sealed class ContainsRowMap : ModelConfiguration<ContainsRow>
    {
        public override void Configure(EntityBuilder<ContainsRow> e)
        {
            e.ToTable("contains_rows");
            e.HasKey(x => x.Id).IsClientAssigned();
            e.Property(x => x.Tag).HasMaxLength(20);
            e.Property(x => x.Label).HasMaxLength(40).Sensitive();
            e.HasMany(x => x.Children).WithForeignKey(c => c.RowId);
        }
    }

    private sealed class ContainsChildMap : ModelConfiguration<ContainsChild>
    {
        public override void Configure(EntityBuilder<ContainsChild> e)
        {
            e.ToTable("contains_children");
            e.HasKey(x => x.Id).IsClientAssigned();
        }
    }
}
