using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Chinook;

/// <summary>
/// Realistic questions on the Chinook sample data, asked once through Premix queries and once in hand-written SQL
/// (Dapper on a plain connection): both must give the same rows in the same order.
/// </summary>
/// <remarks>
/// The SQL writes names in braces as in the SQLite/MySQL scripts (<c>{InvoiceLine}</c>); on PostgreSQL they become
/// the script's snake_case (<c>invoice_line</c>). Values are literals, as a person would type the question.
/// </remarks>
public sealed partial class ChinookQueryTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;
    private IUnitOfWork _uow = null!;

    [OneTimeSetUp]
    public async Task LoadChinookAsync()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await ChinookDatabase.LoadAsync(Engine, connection);
        }

        _premix = CreatePremix(p => ChinookModel.Configure(p, Engine));
    }

    [OneTimeTearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [SetUp]
    public void BeginUnitOfWork() => _uow = _premix.BeginUnitOfWork();

    [TearDown]
    public async Task DisposeUnitOfWorkAsync() => await _uow.DisposeAsync();

    [Test]
    public async Task Counts_of_the_six_mapped_tables_are_the_dataset_counts()
    {
        var expected = new Dictionary<string, long>
        {
            ["Artist"] = 275, ["Album"] = 347, ["Track"] = 3503, ["Genre"] = 25, ["Customer"] = 59, ["Invoice"] = 412,
        };

        var throughPremix = new Dictionary<string, long>
        {
            ["Artist"] = await Query<Artist>().CountAsync(),
            ["Album"] = await Query<Album>().CountAsync(),
            ["Track"] = await Query<Track>().CountAsync(),
            ["Genre"] = await Query<Genre>().CountAsync(),
            ["Customer"] = await Query<Customer>().CountAsync(),
            ["Invoice"] = await Query<Invoice>().CountAsync(),
        };
        var throughSql = new Dictionary<string, long>();
        foreach (var table in expected.Keys)
        {
            throughSql[table] = (await SqlAsync<long>($"SELECT COUNT(*) FROM {{{table}}}")).Single();
        }

        Assert.That(throughSql, Is.EqualTo(expected), "the loaded data");
        Assert.That(throughPremix, Is.EqualTo(expected));
    }

    [Test]
    public async Task Tracks_of_an_album_come_ordered_by_name()
    {
        var album = (await Query<Album>().Where(a => a.Title == "Let There Be Rock").SingleAsync()).AlbumId;

        var tracks = await Query<Track>().Where(t => t.AlbumId == album).OrderBy(t => t.Name).ThenBy(t => t.TrackId).ToListAsync();

        var expected = await SqlAsync<(long, string, long, decimal)>(
            """
            SELECT t.{TrackId}, t.{Name}, t.{Milliseconds}, t.{UnitPrice}
            FROM {Track} t JOIN {Album} a ON a.{AlbumId} = t.{AlbumId}
            WHERE a.{Title} = 'Let There Be Rock'
            ORDER BY t.{Name}, t.{TrackId}
            """);
        Assert.That(expected, Has.Count.EqualTo(8), "the question has an answer");
        Assert.That(tracks.Select(t => ((long)t.TrackId, t.Name, (long)t.Milliseconds, t.UnitPrice)), Is.EqualTo(expected));
    }

    [Test]
    public async Task Long_tracks_of_a_genre_set_page_by_length_descending_then_id()
    {
        var genres = new[] { 1, 3, 6 }; // Rock, Metal, Blues

        var page = await Query<Track>()
            .Where(t => t.Milliseconds > 300_000 && genres.Contains(t.GenreId!.Value))
            .OrderByDescending(t => t.Milliseconds).ThenBy(t => t.TrackId)
            .Skip(20).Take(15)
            .ToListAsync();

        var expected = await SqlAsync<(long, long, long?)>(
            """
            SELECT {TrackId}, {Milliseconds}, {GenreId} FROM {Track}
            WHERE {Milliseconds} > 300000 AND {GenreId} IN (1, 3, 6)
            ORDER BY {Milliseconds} DESC, {TrackId}
            LIMIT 15 OFFSET 20
            """);
        Assert.That(expected, Has.Count.EqualTo(15), "the page is full");
        Assert.That(page.Select(t => ((long)t.TrackId, (long)t.Milliseconds, (long?)t.GenreId)), Is.EqualTo(expected));
    }

    [Test]
    public async Task Customers_by_last_name_prefix_without_a_company()
    {
        var customers = await Query<Customer>().Where(c => c.LastName.StartsWith("S") && c.Company == null).OrderBy(c => c.CustomerId).ToListAsync();

        var expected = await SqlAsync<(long, string, string, string?)>(
            "SELECT {CustomerId}, {FirstName}, {LastName}, {Country} FROM {Customer} WHERE {LastName} LIKE 'S%' AND {Company} IS NULL ORDER BY {CustomerId}");
        Assert.That(expected, Has.Count.GreaterThan(3), "the question has an answer");
        Assert.That(customers.Select(c => ((long)c.CustomerId, c.FirstName, c.LastName, c.Country)), Is.EqualTo(expected));
    }

    [Test]
    public async Task The_latest_invoice_over_a_total_is_the_first_by_date_descending()
    {
        var invoice = await Query<Invoice>().Where(i => i.Total > 15m).OrderByDescending(i => i.InvoiceDate).ThenBy(i => i.InvoiceId).FirstAsync();

        var expected = (await SqlAsync<(long, DateTime, decimal, string?)>(
            "SELECT {InvoiceId}, {InvoiceDate}, {Total}, {BillingCountry} FROM {Invoice} WHERE {Total} > 15 ORDER BY {InvoiceDate} DESC, {InvoiceId} LIMIT 1")).Single();
        Assert.That(((long)invoice.InvoiceId, invoice.InvoiceDate, invoice.Total, invoice.BillingCountry), Is.EqualTo(expected));
    }

    [Test]
    public async Task Invoices_of_one_year_are_those_between_two_dates()
    {
        var from = new DateTime(2024, 1, 1);
        var to = new DateTime(2025, 1, 1);

        var invoices = await Query<Invoice>().Where(i => i.InvoiceDate >= from && i.InvoiceDate < to).OrderBy(i => i.InvoiceId).ToListAsync();

        var expected = await SqlAsync<(long, decimal)>(
            "SELECT {InvoiceId}, {Total} FROM {Invoice} WHERE {InvoiceDate} >= '2024-01-01' AND {InvoiceDate} < '2025-01-01' ORDER BY {InvoiceId}");
        Assert.That(expected, Has.Count.GreaterThan(50), "the question has an answer");
        Assert.That(invoices.Select(i => ((long)i.InvoiceId, i.Total)), Is.EqualTo(expected));
    }

    [TestCase("'")]
    [TestCase("&")]
    [TestCase("/")]
    public async Task Artists_whose_name_contains_a_character_are_found_by_LIKE(string character)
    {
        var artists = await Query<Artist>().Where(a => a.Name!.Contains(character)).OrderBy(a => a.ArtistId).ToListAsync();

        var literal = character.Replace("'", "''", StringComparison.Ordinal);
        var expected = await SqlAsync<(long, string)>($"SELECT {{ArtistId}}, {{Name}} FROM {{Artist}} WHERE {{Name}} LIKE '%{literal}%' ORDER BY {{ArtistId}}");
        Assert.That(expected, Is.Not.Empty, "the question has an answer");
        Assert.That(artists.Select(a => ((long)a.ArtistId, a.Name!)), Is.EqualTo(expected));
    }

    [TestCase("_")]
    [TestCase("%")]
    public async Task A_LIKE_wildcard_in_a_name_fragment_matches_only_itself(string wildcard)
    {
        var artists = await Query<Artist>().Where(a => a.Name!.Contains(wildcard)).ToListAsync();

        var expected = await SqlAsync<long>($"SELECT {{ArtistId}} FROM {{Artist}} WHERE {{Name}} LIKE '%!{wildcard}%' ESCAPE '!'");
        Assert.That(artists.Select(a => (long)a.ArtistId), Is.EqualTo(expected), "no Chinook artist has one in its name");
    }

    [Test]
    public async Task Tracks_priced_at_a_decimal_value_are_found_by_equality()
    {
        var tracks = await Query<Track>().Where(t => t.UnitPrice == 1.99m).OrderBy(t => t.TrackId).ToListAsync();

        var expected = await SqlAsync<long>("SELECT {TrackId} FROM {Track} WHERE {UnitPrice} = 1.99 ORDER BY {TrackId}");
        Assert.That(expected, Has.Count.GreaterThan(100), "the question has an answer");
        Assert.That(tracks.Select(t => (long)t.TrackId), Is.EqualTo(expected));
    }

    [Test]
    public async Task Tracks_without_composer_in_a_genre_are_counted_like_SQL()
    {
        var count = await Query<Track>().Where(t => t.Composer == null && t.GenreId == 1).CountAsync();

        var expected = (await SqlAsync<long>("SELECT COUNT(*) FROM {Track} WHERE {Composer} IS NULL AND {GenreId} = 1")).Single();
        Assert.That(expected, Is.GreaterThan(0), "the question has an answer");
        Assert.That(count, Is.EqualTo(expected));
    }

    [Test]
    public async Task Any_answers_whether_invoices_exist_for_a_country_and_none_for_another()
    {
        var norway = await Query<Invoice>().Where(i => i.BillingCountry == "Norway").AnyAsync();
        var iceland = await Query<Invoice>().Where(i => i.BillingCountry == "Iceland").AnyAsync();

        var expected = await SqlAsync<long>("SELECT COUNT(*) FROM {Invoice} WHERE {BillingCountry} = 'Norway' UNION ALL SELECT COUNT(*) FROM {Invoice} WHERE {BillingCountry} = 'Iceland'");
        Assert.That((norway, iceland), Is.EqualTo((expected[0] > 0, expected[1] > 0)));
        Assert.That(norway, Is.True, "the question has a yes");
    }

    [Test]
    public async Task Invoices_of_either_country_and_not_small_are_found_with_or_and_not()
    {
        var invoices = await Query<Invoice>()
            .Where(i => (i.BillingCountry == "Canada" || i.BillingCountry == "Brazil") && !(i.Total < 5m) && i.BillingState != null)
            .OrderBy(i => i.BillingCountry).ThenByDescending(i => i.Total).ThenBy(i => i.InvoiceId)
            .ToListAsync();

        var expected = await SqlAsync<(long, string, decimal)>(
            """
            SELECT {InvoiceId}, {BillingCountry}, {Total} FROM {Invoice}
            WHERE ({BillingCountry} = 'Canada' OR {BillingCountry} = 'Brazil') AND NOT ({Total} < 5) AND {BillingState} IS NOT NULL
            ORDER BY {BillingCountry}, {Total} DESC, {InvoiceId}
            """);
        Assert.That(expected, Has.Count.GreaterThan(10), "the question has an answer");
        Assert.That(invoices.Select(i => ((long)i.InvoiceId, i.BillingCountry!, i.Total)), Is.EqualTo(expected));
    }

    [Test]
    public async Task Single_finds_an_artist_by_exact_name()
    {
        var artist = await Query<Artist>().Where(a => a.Name == "AC/DC").SingleAsync();

        var expected = (await SqlAsync<long>("SELECT {ArtistId} FROM {Artist} WHERE {Name} = 'AC/DC'")).Single();
        Assert.That(artist.ArtistId, Is.EqualTo(expected));
    }

    [Test]
    public async Task Streaming_the_genres_yields_every_genre_in_name_order()
    {
        var streamed = new List<(long, string?)>();
        await foreach (var genre in Query<Genre>().AsNoTracking().OrderBy(g => g.Name).ThenBy(g => g.GenreId).AsAsyncEnumerable())
        {
            streamed.Add((genre.GenreId, genre.Name));
        }

        var expected = await SqlAsync<(long, string?)>("SELECT {GenreId}, {Name} FROM {Genre} ORDER BY {Name}, {GenreId}");
        Assert.That(streamed, Is.EqualTo(expected));
    }

    [Test]
    public async Task An_invoice_is_found_by_its_exact_date_time()
    {
        var invoices = await Query<Invoice>().Where(i => i.InvoiceDate == new DateTime(2024, 1, 1)).ToListAsync();

        var expected = await SqlAsync<long>("SELECT {InvoiceId} FROM {Invoice} WHERE {InvoiceDate} = '2024-01-01 00:00:00'");
        Assert.That(expected, Has.Count.EqualTo(1), "the question has an answer");
        Assert.That(invoices.Select(i => (long)i.InvoiceId), Is.EqualTo(expected));
    }

    [Test]
    public async Task Invoices_at_or_over_a_total_include_the_bound()
    {
        var invoices = await Query<Invoice>().Where(i => i.Total >= 13.86m).OrderBy(i => i.Total).ThenBy(i => i.InvoiceId).ToListAsync();

        var expected = await SqlAsync<(long, decimal)>("SELECT {InvoiceId}, {Total} FROM {Invoice} WHERE {Total} >= 13.86 ORDER BY {Total}, {InvoiceId}");
        Assert.That(expected[0].Item2, Is.EqualTo(13.86m), "some invoices sit on the bound");
        Assert.That(invoices.Select(i => ((long)i.InvoiceId, i.Total)), Is.EqualTo(expected));
    }

    [Test]
    public async Task Customers_of_a_list_of_countries_are_found_by_IN()
    {
        var countries = new List<string> { "France", "Germany", "Portugal", "Atlantis" };

        var customers = await Query<Customer>().Where(c => countries.Contains(c.Country!)).OrderBy(c => c.Country).ThenBy(c => c.CustomerId).ToListAsync();

        var expected = await SqlAsync<(long, string)>(
            "SELECT {CustomerId}, {Country} FROM {Customer} WHERE {Country} IN ('France', 'Germany', 'Portugal', 'Atlantis') ORDER BY {Country}, {CustomerId}");
        Assert.That(expected, Has.Count.GreaterThan(5), "the question has an answer");
        Assert.That(customers.Select(c => ((long)c.CustomerId, c.Country!)), Is.EqualTo(expected));
    }

    [Test]
    public async Task Skip_without_Take_returns_the_last_tracks()
    {
        var tracks = await Query<Track>().OrderBy(t => t.TrackId).Skip(3495).ToListAsync();

        var expected = await SqlAsync<long>("SELECT {TrackId} FROM {Track} ORDER BY {TrackId}");
        Assert.That(tracks.Select(t => (long)t.TrackId), Is.EqualTo(expected.Skip(3495)));
    }

    [Test]
    public async Task Count_of_a_page_that_runs_past_the_end_is_what_remains()
    {
        var count = await Query<Track>().OrderBy(t => t.TrackId).Skip(3500).Take(10).CountAsync();

        var expected = (await SqlAsync<long>("SELECT COUNT(*) FROM {Track}")).Single() - 3500;
        Assert.That(count, Is.EqualTo(expected));
    }

    [Test]
    public async Task FirstOrDefault_of_a_question_without_answer_is_null()
    {
        var track = await Query<Track>().Where(t => t.Milliseconds > 10_000_000).OrderBy(t => t.TrackId).FirstOrDefaultAsync();

        var expected = await SqlAsync<long>("SELECT {TrackId} FROM {Track} WHERE {Milliseconds} > 10000000");
        Assert.That(expected, Is.Empty, "no track lasts that long");
        Assert.That(track, Is.Null);
    }

    [Test]
    public async Task Large_tracks_by_nullable_size_skip_tracks_without_one()
    {
        var tracks = await Query<Track>().Where(t => t.Bytes > 500_000_000 || t.Bytes == null).OrderBy(t => t.TrackId).ToListAsync();

        var expected = await SqlAsync<(long, long?)>("SELECT {TrackId}, {Bytes} FROM {Track} WHERE {Bytes} > 500000000 OR {Bytes} IS NULL ORDER BY {TrackId}");
        Assert.That(expected, Is.Not.Empty, "the question has an answer");
        Assert.That(tracks.Select(t => ((long)t.TrackId, (long?)t.Bytes)), Is.EqualTo(expected));
    }

    private Query<T> Query<T>()
        where T : class => _uow.Repository<T>().Query();

    /// <summary>Runs hand-written SQL on a plain connection, naming tables and columns as the engine's script does.</summary>
    private async Task<List<TRow>> SqlAsync<TRow>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<TRow>(ScriptNames().Replace(sql, m => ScriptName(m.Groups[1].Value)))).AsList();
    }

    private string ScriptName(string pascalCase) =>
        Engine == Engine.PostgreSql ? SnakeCaseBoundary().Replace(pascalCase, "_$1").ToLower(CultureInfo.InvariantCulture) : pascalCase;

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex ScriptNames();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex SnakeCaseBoundary();
}
