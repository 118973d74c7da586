using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Aot;

/// <summary>
/// The query shapes the generated model writes no code for, in the native AOT sample's binary (samples/Premix.AotSample,
/// Shop/QueryEndpoints.cs): a Where over captured values, list.Contains, Select into a class, a record, an anonymous type
/// and a single column, ordering with paging, and Include. Rows are written and the expected answers read with plain SQL.
/// </summary>
[TestFixtureSource(typeof(NativeAotAppTests), nameof(NativeAotAppTests.AotEngines))]
public sealed class NativeAotQueryTests(Engine engine) : PremixTest(engine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private NativeAotApp _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartTheBinaryAsync()
    {
        var published = await NativeAotPublish.GetAsync();
        using (var premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new AotShop.AuthorMap()).AddModelConfiguration(new AotShop.BookMap())))
        {
            await RecreateTablesAsync(premix);
        }

        _app = await NativeAotApp.StartAsync(
            published.Binary,
            $"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}",
            $"--ConnectionStrings:shop={ConnectionString}",
            "--Logging:LogLevel:Default=Warning");
        _client = new HttpClient { BaseAddress = _app.Address };
    }

    [OneTimeTearDown]
    public async Task StopTheBinaryAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task A_where_over_a_captured_local_a_captured_object_s_members_and_a_static_field_returns_the_rows_plain_sql_selects()
    {
        var authorId = await AuthorWithBooksAsync(("Free", 0m), ("Five", 5m), ("Ten", 10m), ("Twenty", 20m));
        var other = await AuthorWithBooksAsync(("Elsewhere", 6m));
        // Filtered here, not in SQL: SQLite compares a decimal column as Premix stores it, which plain SQL would have to repeat.
        var expected = (await BooksAsync(authorId)).Where(b => b.Price is >= 0.01m and <= 10m).Select(b => b.Id).ToList();

        var answer = await GetAsync($"/queries/cheaper?authorId={authorId}&max=10");

        Assert.That(answer.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()).ToList(), Is.EqualTo(expected).And.Count.EqualTo(2), $"not the free one nor {other}'s");
    }

    [Test]
    public async Task A_where_with_list_contains_returns_the_books_of_the_listed_authors()
    {
        var first = await AuthorWithBooksAsync(("A1", 1m), ("A2", 2m));
        var second = await AuthorWithBooksAsync(("B1", 3m));
        await AuthorWithBooksAsync(("C1", 4m));
        var expected = await IdsAsync($"SELECT {Q("id")} FROM {Q("books")} WHERE {Q("author_id")} IN (@first, @second) ORDER BY {Q("id")}", new { first, second });

        var answer = await GetAsync($"/queries/by-authors?ids={first}&ids={second}");

        Assert.That(answer.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()).ToList(), Is.EqualTo(expected).And.Count.EqualTo(3));
    }

    [Test]
    public async Task A_select_into_a_class_with_setters_reads_the_titles_and_prices_plain_sql_reads()
    {
        var authorId = await AuthorWithBooksAsync(("Beta", 2.5m), ("Alpha", 12.75m));
        var expected = await RowsAsync($"SELECT {Q("title")}, {Q("price")} FROM {Q("books")} WHERE {Q("author_id")} = @authorId ORDER BY {Q("title")}", authorId);

        var answer = await GetAsync($"/queries/titles?authorId={authorId}");

        Assert.That(answer.EnumerateArray().Select(b => (b.GetProperty("title").GetString(), b.GetProperty("price").GetDecimal())), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_select_into_a_record_s_constructor_reads_the_keys_and_titles_plain_sql_reads()
    {
        var authorId = await AuthorWithBooksAsync(("One", 1m), ("Two", 2m));
        var expected = await IdsAsync($"SELECT {Q("id")} FROM {Q("books")} WHERE {Q("author_id")} = @authorId ORDER BY {Q("id")}", new { authorId });

        var answer = await GetAsync($"/queries/lines?authorId={authorId}");

        Assert.That(answer.EnumerateArray().Select(b => (b.GetProperty("id").GetInt64(), b.GetProperty("title").GetString())), Is.EqualTo(new[] { (expected[0], "One"), (expected[1], "Two") }));
    }

    [Test]
    public async Task A_select_into_an_anonymous_type_reads_the_titles_and_versions()
    {
        var authorId = await AuthorWithBooksAsync(("First", 1m), ("Second", 2m));
        await ExecuteAsync($"UPDATE {Q("books")} SET {Q("version")} = 7 WHERE {Q("author_id")} = @authorId AND {Q("title")} = 'Second'", new { authorId });

        var answer = await GetAsync($"/queries/anonymous?authorId={authorId}");

        Assert.That(answer.EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "First v0", "Second v7" }));
    }

    [Test]
    public async Task A_select_of_a_single_column_reads_the_prices_plain_sql_reads()
    {
        var authorId = await AuthorWithBooksAsync(("Cheap", 1.25m), ("Dear", 99.99m));
        var expected = (await RowsAsync($"SELECT {Q("title")}, {Q("price")} FROM {Q("books")} WHERE {Q("author_id")} = @authorId ORDER BY {Q("id")}", authorId)).Select(r => r.Price);

        var answer = await GetAsync($"/queries/prices?authorId={authorId}");

        Assert.That(answer.EnumerateArray().Select(p => p.GetDecimal()), Is.EqualTo(expected));
    }

    [Test]
    public async Task Ordering_with_skip_and_take_returns_the_page_plain_sql_returns()
    {
        var authorId = await AuthorWithBooksAsync(("P1", 3m), ("P2", 9m), ("P3", 3m), ("P4", 1m), ("P5", 7m));
        var expected = (await BooksAsync(authorId)).OrderByDescending(b => b.Price).ThenBy(b => b.Id).Skip(1).Take(2).Select(b => b.Id).ToList();

        var answer = await GetAsync($"/queries/page?authorId={authorId}&skip=1&take=2");

        Assert.That(answer.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()).ToList(), Is.EqualTo(expected).And.Count.EqualTo(2));
    }

    [Test]
    public async Task Include_loads_an_author_s_books_as_plain_sql_lists_them()
    {
        var authorId = await AuthorWithBooksAsync(("Kept", 1m), ("Also kept", 2m));
        await AuthorWithBooksAsync(("Not theirs", 3m));
        var expected = await IdsAsync($"SELECT {Q("id")} FROM {Q("books")} WHERE {Q("author_id")} = @authorId ORDER BY {Q("id")}", new { authorId });

        var answer = await GetAsync($"/queries/with-books?authorId={authorId}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.GetProperty("id").GetInt64(), Is.EqualTo(authorId));
            Assert.That(answer.GetProperty("books").EnumerateArray().Select(b => b.GetProperty("id").GetInt64()).Order(), Is.EqualTo(expected));
        }
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var answer = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{await answer.Content.ReadAsStringAsync()}{Environment.NewLine}{_app.Output}");
        return await answer.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    // A new author with the given books (version 0), all by plain SQL; its key.
    private async Task<long> AuthorWithBooksAsync(params (string Title, decimal Price)[] books)
    {
        var name = "Q" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES (@name, 'q@example.com')", new { name });
        var authorId = await ScalarAsync<long>($"SELECT {Q("id")} FROM {Q("authors")} WHERE {Q("name")} = @name", new { name });
        foreach (var (title, price) in books)
        {
            await ExecuteAsync($"INSERT INTO {Q("books")} ({Q("author_id")}, {Q("title")}, {Q("price")}, {Q("version")}) VALUES (@authorId, @title, @price, 0)", new { authorId, title, price });
        }

        return authorId;
    }

    private async Task<List<long>> IdsAsync(string sql, object args)
    {
        await using var connection = await OpenConnectionAsync();
        return [.. await connection.QueryAsync<long>(sql, args)];
    }

    // The author's books as plain SQL reads them, by key.
    private async Task<List<(long Id, decimal Price)>> BooksAsync(long authorId)
    {
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync<(long, object)>($"SELECT {Q("id")}, {Q("price")} FROM {Q("books")} WHERE {Q("author_id")} = @authorId ORDER BY {Q("id")}", new { authorId });
        return [.. rows.Select(r => (r.Item1, Convert.ToDecimal(r.Item2, CultureInfo.InvariantCulture)))];
    }

    private async Task<List<(string Title, decimal Price)>> RowsAsync(string sql, long authorId)
    {
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string, object)>(sql, new { authorId });
        return [.. rows.Select(r => (r.Item1, Convert.ToDecimal(r.Item2, CultureInfo.InvariantCulture)))];
    }
}
