using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Aot;

/// <summary>
/// The query shapes the generated model writes no code for, in the AOT sample (samples/Premix.AotSample,
/// Shop/QueryEndpoints.cs), native and as its JIT build with dynamic code off (which runs the same branches of Premix in
/// seconds): a Where over captured values, list.Contains, Select into a class, a record, an anonymous type
/// and a single column, ordering with paging, Include, Contains on a lazy sequence and a set, the refusal of a struct made
/// without a constructor, a bulk update with a decimal operator, and compiled queries (one and two arguments, a computed
/// Skip, a list searched by Contains, an Include). Rows are written and the expected answers read with plain SQL.
/// </summary>
[TestFixtureSource(typeof(AotSampleTest), nameof(EnginesAndBuilds))]
public sealed class NativeAotQueryTests(Engine engine, AotSampleBuild build) : AotSampleTest(engine, build)
{
    [OneTimeSetUp]
    public async Task StartTheSampleAsync()
    {
        await RecreateSampleTablesAsync();
        await StartSampleAsync("--Logging:LogLevel:Default=Warning");
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

    // A List<T>, a lazy sequence (read once, into a list), a HashSet<T>, a ReadOnlyCollection<T> (under AOT neither an array
    // nor a List<T>: its elements are looked at for a null).
    [TestCase("by-authors")]
    [TestCase("by-authors-lazy")]
    [TestCase("by-authors-set")]
    [TestCase("by-authors-readonly")]
    public async Task Contains_on_a_list_a_lazy_sequence_a_set_or_a_read_only_collection_returns_the_books_of_the_listed_authors(string endpoint)
    {
        var first = await AuthorWithBooksAsync(("L1", 1m), ("L2", 2m));
        var second = await AuthorWithBooksAsync(("M1", 3m));
        await AuthorWithBooksAsync(("N1", 4m));
        var expected = await IdsAsync($"SELECT {Q("id")} FROM {Q("books")} WHERE {Q("author_id")} IN (@first, @second) ORDER BY {Q("id")}", new { first, second });

        var answer = await GetAsync($"/queries/{endpoint}?ids={first}&ids={second}");

        Assert.That(answer.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()).ToList(), Is.EqualTo(expected).And.Count.EqualTo(3));
    }

    [Test]
    public async Task A_struct_made_without_a_constructor_in_a_where_is_refused_naming_the_switch_and_the_way_out()
    {
        var authorId = await AuthorWithBooksAsync(("Any", 1m));
        var mark = App.Output.Length;

        var answer = await Client.GetAsync(new Uri($"/queries/from-default?authorId={authorId}", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError), await answer.Content.ReadAsStringAsync());
            // The host logs the unhandled exception (its message) as the request ends.
            Assert.That(await App.OutputSinceAsync(mark, "new PriceFloor()"), Does.Contain("Premix cannot evaluate 'new PriceFloor()' (a PriceFloor made without a constructor) with dynamic code off (RuntimeFeature.IsDynamicCodeSupported is false")
                .And.Contain("Fix: Make the value before the query (var value = new PriceFloor();) and use the variable in the query."));
        }
    }

    [Test]
    public async Task A_bulk_update_adding_a_decimal_to_a_column_raises_the_author_s_prices_alone_as_plain_sql_reads_them()
    {
        var authorId = await AuthorWithBooksAsync(("Raised", 12.5m), ("Also raised", 1m));
        var other = await AuthorWithBooksAsync(("Untouched", 3m));

        var answer = await Client.PostAsync(new Uri($"/books/raise-prices?authorId={authorId}&by=2.25", UriKind.Relative), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{await answer.Content.ReadAsStringAsync()}{Environment.NewLine}{App.Output}");
            Assert.That(await answer.Content.ReadAsStringAsync(), Is.EqualTo("2"));
            Assert.That((await BooksAsync(authorId)).Select(b => b.Price), Is.EqualTo(new[] { 14.75m, 3.25m }));
            Assert.That((await BooksAsync(other)).Select(b => b.Price), Is.EqualTo(new[] { 3m }));
        }
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

    // /compiled/with-books: the same Include in a compiled query.
    [TestCase("queries")]
    [TestCase("compiled")]
    public async Task Include_in_a_query_or_a_compiled_query_loads_an_author_s_books_as_plain_sql_lists_them(string group)
    {
        var authorId = await AuthorWithBooksAsync(("Kept", 1m), ("Also kept", 2m));
        await AuthorWithBooksAsync(("Not theirs", 3m));
        var expected = await IdsAsync($"SELECT {Q("id")} FROM {Q("books")} WHERE {Q("author_id")} = @authorId ORDER BY {Q("id")}", new { authorId });

        var answer = await GetAsync($"/{group}/with-books?authorId={authorId}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.GetProperty("id").GetInt64(), Is.EqualTo(authorId));
            Assert.That(answer.GetProperty("books").EnumerateArray().Select(b => b.GetProperty("id").GetInt64()).Order(), Is.EqualTo(expected));
        }
    }

    // A compiled query (PremixQuery.Compile in static fields, Shop/CompiledQueries.cs): with dynamic code off its argument
    // readers are interpreted over each call's arguments. Each endpoint is called twice with other arguments: the second call
    // reuses the translation with its own values.
    [Test]
    public async Task A_compiled_query_filtering_by_one_argument_returns_the_books_plain_sql_selects_on_each_call()
    {
        var first = await AuthorWithBooksAsync(("C1", 1m), ("C2", 2m));
        var second = await AuthorWithBooksAsync(("D1", 3m));

        await AssertBooksAsync($"/compiled/by-author?authorId={first}", $"{Q("author_id")} = @first", new { first }, 2);
        await AssertBooksAsync($"/compiled/by-author?authorId={second}", $"{Q("author_id")} = @second", new { second }, 1);
    }

    [Test]
    public async Task A_compiled_query_with_two_arguments_one_a_decimal_compared_with_a_column_returns_the_books_plain_sql_selects()
    {
        var authorId = await AuthorWithBooksAsync(("Cheap", 1.5m), ("Middle", 5m), ("Dear", 20m));
        // Filtered here, not in SQL: SQLite compares a decimal column as Premix stores it, which plain SQL would have to repeat.
        var expected = (await BooksAsync(authorId)).Where(b => b.Price <= 5m).Select(b => b.Id).ToList();
        var cheapest = (await BooksAsync(authorId)).Where(b => b.Price <= 2m).Select(b => b.Id).ToList();

        var answer = await GetAsync($"/compiled/cheaper?authorId={authorId}&max=5");
        var again = await GetAsync($"/compiled/cheaper?authorId={authorId}&max=2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(answer), Is.EqualTo(expected).And.Count.EqualTo(2));
            Assert.That(Ids(again), Is.EqualTo(cheapest).And.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task A_compiled_query_skipping_a_page_computed_from_its_argument_returns_the_page_plain_sql_returns()
    {
        var authorId = await AuthorWithBooksAsync(("P1", 1m), ("P2", 2m), ("P3", 3m), ("P4", 4m), ("P5", 5m));
        var all = await IdsAsync($"SELECT {Q("id")} FROM {Q("books")} WHERE {Q("author_id")} = @authorId ORDER BY {Q("id")}", new { authorId });

        var second = await GetAsync($"/compiled/page?authorId={authorId}&page=1");
        var third = await GetAsync($"/compiled/page?authorId={authorId}&page=2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(second), Is.EqualTo(all.Skip(2).Take(2)));
            Assert.That(Ids(third), Is.EqualTo(all.Skip(4).Take(2)));
        }
    }

    [Test]
    public async Task A_compiled_query_searching_a_list_argument_with_contains_returns_the_books_of_the_listed_authors()
    {
        var first = await AuthorWithBooksAsync(("E1", 1m), ("E2", 2m));
        var second = await AuthorWithBooksAsync(("F1", 3m));
        var third = await AuthorWithBooksAsync(("G1", 4m));

        await AssertBooksAsync($"/compiled/by-authors?ids={first}&ids={second}", $"{Q("author_id")} IN (@first, @second)", new { first, second }, 3);
        await AssertBooksAsync($"/compiled/by-authors?ids={third}", $"{Q("author_id")} = @third", new { third }, 1);
    }

    // The endpoint answers the keys plain SQL selects from books WHERE condition, as many as count.
    private async Task AssertBooksAsync(string path, string condition, object args, int count)
    {
        var expected = await IdsAsync($"SELECT {Q("id")} FROM {Q("books")} WHERE {condition} ORDER BY {Q("id")}", args);

        Assert.That(Ids(await GetAsync(path)), Is.EqualTo(expected).And.Count.EqualTo(count), path);
    }

    private static List<long> Ids(JsonElement books) => [.. books.EnumerateArray().Select(b => b.GetProperty("id").GetInt64())];

    private async Task<JsonElement> GetAsync(string path)
    {
        var answer = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{await answer.Content.ReadAsStringAsync()}{Environment.NewLine}{App.Output}");
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
