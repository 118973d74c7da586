using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>
/// The same Query&lt;T&gt; expressions over the same rows, run by each engine and by the recording fake: the proof of
/// "same filter semantics", and an exact list, per engine, of where the answers differ and why.
/// </summary>
public sealed class FakeQuerySemanticsTests(Engine engine) : PremixTest(engine)
{
    private static readonly DateTime Noon = new(2026, 3, 1, 12, 0, 0);

    /// <summary>Each query's answer as text: the ids it returns in order, a count, a flag.</summary>
    private static readonly (string Name, Func<Query<Probe>, Task<string>> Run)[] Queries =
    [
        ("equal", q => Ids(q.Where(p => p.Name == "apple"))),
        ("equal, other case", q => Ids(q.Where(p => p.Name == "APPLE"))),
        ("equal, without the accent", q => Ids(q.Where(p => p.Name == "cafe"))),
        ("equal, without the trailing space", q => Ids(q.Where(p => p.Name == "kite"))),
        ("not equal on a nullable column", q => Ids(q.Where(p => p.Note != "x"))),
        ("not (equal) on a nullable column", q => Ids(q.Where(p => !(p.Note == "x")))),
        ("is null", q => Ids(q.Where(p => p.Note == null))),
        ("is not null", q => Ids(q.Where(p => p.Note != null))),
        ("HasValue", q => Ids(q.Where(p => p.Score.HasValue))),
        ("less than", q => Ids(q.Where(p => p.Rank < 3))),
        ("greater than on a nullable column", q => Ids(q.Where(p => p.Score > 5))),
        ("not (greater than) on a nullable column", q => Ids(q.Where(p => !(p.Score > 5)))),
        ("column against column", q => Ids(q.Where(p => p.Score >= p.Rank))),
        ("bool column", q => Ids(q.Where(p => p.Active))),
        ("not bool column", q => Ids(q.Where(p => !p.Active))),
        ("and, or", q => Ids(q.Where(p => (p.Rank > 1 && p.Active) || p.Score == 10))),
        ("two Where calls", q => Ids(q.Where(p => p.Rank > 0).Where(p => p.Note != null))),
        ("decimal", q => Ids(q.Where(p => p.Amount > 1.5m))),
        ("date range", q => Ids(q.Where(p => p.At >= Noon && p.At < Noon.AddDays(2)))),
        ("IN", q => Ids(q.Where(p => new long[] { 1, 3, 5 }.Contains(p.Id)))),
        ("IN with a null", q => Ids(q.Where(p => new[] { "x", null }.Contains(p.Note)))),
        ("NOT IN with a null", q => Ids(q.Where(p => !new[] { "x", null }.Contains(p.Note)))),
        ("NOT IN on a nullable column", q => Ids(q.Where(p => !new int?[] { 10 }.Contains(p.Score)))),
        ("StartsWith", q => Ids(q.Where(p => p.Name.StartsWith("app")))),
        ("StartsWith, other case", q => Ids(q.Where(p => p.Name.StartsWith("APP")))),
        ("EndsWith", q => Ids(q.Where(p => p.Name.EndsWith("e")))),
        ("Contains a wildcard", q => Ids(q.Where(p => p.Name.Contains("%") || p.Name.Contains("_")))),
        ("Contains on a nullable column", q => Ids(q.Where(p => p.Note!.Contains("y")))),
        ("order by text", q => Ids(q.OrderBy(p => p.Name).ThenBy(p => p.Id))),
        ("order by a nullable column", q => Ids(q.OrderBy(p => p.Score).ThenBy(p => p.Id))),
        ("order descending by a nullable column", q => Ids(q.OrderByDescending(p => p.Note).ThenByDescending(p => p.Id))),
        ("Skip, Take", q => Ids(q.OrderBy(p => p.Id).Skip(2).Take(3))),
        ("Count", async q => (await q.Where(p => p.Active).CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Count of a page", async q => (await q.OrderBy(p => p.Id).Skip(10).Take(5).CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Any", async q => (await q.Where(p => p.Name == "banana").AnyAsync()).ToString()),
        ("First", async q => (await q.OrderByDescending(p => p.Rank).ThenBy(p => p.Id).FirstAsync()).Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Single", async q => (await q.Where(p => p.Name == "banana").SingleAsync()).Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ProbeMap());
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var probe in Rows())
        {
            uow.Repository<Probe>().Add(probe);
        }

        await uow.CommitAsync();
        Assert.That(await CountRowsAsync("fake_probes"), Is.EqualTo(Rows().Length));
    }

    [OneTimeTearDown]
    public void DisposePremix() => _premix?.Dispose();

    [Test]
    public async Task The_fake_with_this_engines_options_answers_every_query_as_the_engine_does_except_MariaDBs_accents_spaces_and_punctuation()
    {
        var options = Engine switch
        {
            Engine.PostgreSql => FakeOptions.PostgreSql,
            Engine.MySql => FakeOptions.MariaDb,
            _ => FakeOptions.Sqlite,
        };

        var differences = await DifferencesAsync(options);

        // utf8mb4_unicode_ci also ignores accents (in = and LIKE) and trailing spaces (in =), and weighs punctuation its own way
        // ('_' before letters, '%' after '_'); FakeOptions.MariaDb only ignores case.
        var expected = Engine == Engine.MySql
            ? new Dictionary<string, (string Engine, string Fake)>
            {
                ["equal, without the accent"] = ("5,6", "6"),
                ["equal, without the trailing space"] = ("7,8", "8"),
                ["EndsWith"] = ("1,2,3,5,6,8", "1,2,3,6,8"),
                ["order by text"] = ("9,10,1,2,3,4,5,6,7,8,11", "9,1,2,3,10,4,6,5,8,7,11"),
                ["order descending by a nullable column"] = ("8,7,6,9,2,3,1,10,11,5,4", "11,8,7,6,9,2,3,1,10,5,4"),
            }
            : [];
        Assert.That(differences, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task The_default_fake_answers_as_SQLite_does_and_differs_from_the_servers_only_in_text_rules_and_NULL_order()
    {
        var differences = await DifferencesAsync(new FakeOptions());

        var expected = Engine switch
        {
            // PostgreSQL's LIKE is case-sensitive where SQLite's ignores the case of ASCII letters, and PostgreSQL sorts NULL
            // after every value ascending (before them descending) where SQLite sorts it first.
            Engine.PostgreSql => new Dictionary<string, (string Engine, string Fake)>
            {
                ["StartsWith"] = ("1", "1,2,3"),
                ["StartsWith, other case"] = ("3", "1,2,3"),
                ["EndsWith"] = ("1,2,6,8", "1,2,3,6,8"),
                ["order by a nullable column"] = ("4,9,2,5,8,3,10,11,1,6,7", "1,6,7,4,9,2,5,8,3,10,11"),
                ["order descending by a nullable column"] = ("5,4,8,7,6,9,2,3,1,11,10", "8,7,6,9,2,3,1,11,10,5,4"),
            },
            // MariaDB's utf8mb4_unicode_ci ignores case and accents in =, LIKE and ORDER BY, trailing spaces in =, and
            // weighs punctuation its own way, where SQLite compares code points.
            Engine.MySql => new Dictionary<string, (string Engine, string Fake)>
            {
                ["equal"] = ("1,2,3", "1"),
                ["equal, other case"] = ("1,2,3", "3"),
                ["equal, without the accent"] = ("5,6", "6"),
                ["equal, without the trailing space"] = ("7,8", "8"),
                ["EndsWith"] = ("1,2,3,5,6,8", "1,2,3,6,8"),
                ["order by text"] = ("9,10,1,2,3,4,5,6,7,8,11", "9,3,2,11,10,1,4,6,5,8,7"),
                ["order descending by a nullable column"] = ("8,7,6,9,2,3,1,10,11,5,4", "8,7,6,9,2,3,1,11,10,5,4"),
            },
            _ => [],
        };
        Assert.That(differences, Is.EquivalentTo(expected));
    }

    // Every query on the engine and on a fake seeded with the same rows; the queries whose answers differ, with both answers.
    private async Task<Dictionary<string, (string Engine, string Fake)>> DifferencesAsync(FakeOptions options)
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration(new ProbeMap()), options);
        fake.Seed(Rows());
        await using var real = _premix.BeginUnitOfWork();
        await using var memory = fake.BeginUnitOfWork();
        var differences = new Dictionary<string, (string Engine, string Fake)>();
        foreach (var (name, run) in Queries)
        {
            var (fromEngine, fromFake) = (await run(real.Repository<Probe>().AsNoTracking().Query()), await run(memory.Repository<Probe>().AsNoTracking().Query()));
            if (fromEngine != fromFake)
            {
                differences.Add(name, (fromEngine, fromFake));
            }
        }

        return differences;
    }

    private static async Task<string> Ids(Query<Probe> query) => string.Join(",", (await query.ToListAsync()).Select(p => p.Id));

    // Ids 1..11 in this order, on the engines (identity) and in the fake (seeded with them).
    private static Probe[] Rows() =>
    [
        new() { Id = 1, Name = "apple", Note = "x", Rank = 1, Score = null, Amount = 1.25m, Active = true, At = Noon },
        new() { Id = 2, Name = "Apple", Note = "y", Rank = 2, Score = 5, Amount = 1.5m, Active = false, At = Noon.AddHours(1) },
        new() { Id = 3, Name = "APPLE", Note = "xy", Rank = 3, Score = 10, Amount = 1.51m, Active = true, At = Noon.AddDays(1) },
        new() { Id = 4, Name = "banana", Note = null, Rank = 4, Score = 2, Amount = 0m, Active = true, At = Noon.AddDays(2) },
        new() { Id = 5, Name = "café", Note = null, Rank = 0, Score = 7, Amount = 99.99m, Active = false, At = Noon.AddSeconds(-1) },
        new() { Id = 6, Name = "cafe", Note = "z", Rank = 5, Score = null, Amount = -3m, Active = true, At = Noon.AddDays(3) },
        new() { Id = 7, Name = "kite ", Note = "z", Rank = 6, Score = null, Amount = 2m, Active = false, At = Noon.AddMinutes(30) },
        new() { Id = 8, Name = "kite", Note = "z", Rank = 7, Score = 8, Amount = 2m, Active = true, At = Noon.AddMinutes(31) },
        new() { Id = 9, Name = "100%", Note = "yy", Rank = 8, Score = 3, Amount = 0.01m, Active = false, At = Noon },
        new() { Id = 10, Name = "a_b", Note = "%", Rank = 9, Score = 12, Amount = 1.5m, Active = true, At = Noon },
        new() { Id = 11, Name = "Zebra", Note = "_", Rank = 10, Score = 20, Amount = 1.49m, Active = false, At = Noon },
    ];

    public sealed class Probe
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string? Note { get; set; }

        public int Rank { get; set; }

        public int? Score { get; set; }

        public decimal Amount { get; set; }

        public bool Active { get; set; }

        public DateTime At { get; set; }
    }

    private sealed class ProbeMap : ModelConfiguration<Probe>
    {
        public override void Configure(EntityBuilder<Probe> e)
        {
            e.ToTable("fake_probes");
            e.Property(p => p.Name).HasMaxLength(20);
            e.Property(p => p.Note).HasMaxLength(20);
            e.Property(p => p.Amount).HasPrecision(10, 2);
        }
    }
}
