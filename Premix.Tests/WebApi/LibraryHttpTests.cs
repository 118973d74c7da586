using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Premix.Tests.Infrastructure;
using Premix.WebApi;

namespace Premix.Tests.WebApi;

/// <summary>
/// The web sample (samples/Premix.WebApi) as its users run it: built by its own <c>LibraryApp</c> from command-line
/// configuration (<c>Premix:library:Provider</c>, <c>ConnectionStrings:library</c>), on Kestrel at a free loopback port,
/// against each engine, and called over real HTTP. Rows are arranged and checked with plain SQL.
/// </summary>
public sealed class LibraryHttpTests(Engine engine) : PremixTest(engine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartSampleAsync()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            foreach (var table in new[] { "books", "authors" })
            {
                await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
            }
        }

        _app = await LibraryApp.BuildAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            $"--Premix:library:Provider={Engine switch { Engine.PostgreSql => "PostgreSql", Engine.MySql => "MySql", _ => "Sqlite" }}",
            $"--ConnectionStrings:library={ConnectionString}",
            "--Library:SyncSchemaAtStart=true",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Premix=None",
        ]);
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    [OneTimeTearDown]
    public async Task StopSampleAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task Create_read_update_and_delete_an_author_over_http_as_plain_sql_sees_them()
    {
        var created = await _client.PostAsJsonAsync("/authors", new { name = "Ada", email = Unique("ada") });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetInt64();
        var updated = await _client.PutAsJsonAsync($"/authors/{id}", new { name = "Ada Lovelace", email = Unique("ada") });
        var nameAfterUpdate = await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("authors")} WHERE {Q("Id")} = @id", new { id });
        var read = await _client.GetFromJsonAsync<JsonElement>($"/authors/{id}", Json);
        var deleted = await _client.DeleteAsync($"/authors/{id}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/authors/{id}"));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(nameAfterUpdate, Is.EqualTo("Ada Lovelace"));
            Assert.That(read.GetProperty("name").GetString(), Is.EqualTo("Ada Lovelace"));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("Id")} = @id", new { id }), Is.Zero);
        }
    }

    [Test]
    public async Task A_filtered_page_holds_the_requested_rows_in_key_order_with_the_filtered_total()
    {
        var prefix = "Page" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = await OpenConnectionAsync())
        {
            for (var i = 1; i <= 7; i++)
            {
                await connection.ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("Name")}, {Q("Email")}) VALUES (@name, @email)", new { name = $"{prefix}-{i}", email = Unique($"p{i}") });
            }
        }

        var page = await _client.GetFromJsonAsync<JsonElement>($"/authors?name={prefix}&page=2&pageSize=3", Json);
        var tooLarge = await _client.GetAsync("/authors?pageSize=1000");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()), Is.EqualTo(new[] { $"{prefix}-4", $"{prefix}-5", $"{prefix}-6" }));
            Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(7));
            Assert.That(tooLarge.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(tooLarge.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
    }

    [Test]
    public async Task Bad_requests_answer_404_400_and_409_problem_details_without_the_email_and_write_nothing()
    {
        var taken = Unique("taken");
        var author = await ScalarAsync<long>(
            $"INSERT INTO {Q("authors")} ({Q("Name")}, {Q("Email")}) VALUES ('Taken', @taken); SELECT {Q("Id")} FROM {Q("authors")} WHERE {Q("Email")} = @taken", new { taken });
        await ExecuteAsync($"INSERT INTO {Q("books")} ({Q("AuthorId")}, {Q("Title")}, {Q("Price")}, {Q("Stock")}, {Q("Version")}) VALUES (@author, 'Kept', 1.50, 1, 1)", new { author });

        var authorsBefore = await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")}");
        var booksBefore = await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("books")}");

        var missing = await _client.GetAsync("/authors/987654321");
        var invalid = await _client.PostAsJsonAsync("/authors", new { name = " ", email = "no-at-sign" });
        var duplicate = await _client.PostAsJsonAsync("/authors", new { name = "Copy", email = taken });
        var orphan = await _client.PostAsJsonAsync("/books", new { authorId = 987654321, title = "Orphan", price = 1m, stock = 1 });
        var referenced = await _client.DeleteAsync($"/authors/{author}");

        using (Assert.EnterMultipleScope())
        {
            await AssertProblemAsync(missing, HttpStatusCode.NotFound, "urn:premix:problem:not-found");
            await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "urn:premix:problem:validation");
            await AssertProblemAsync(duplicate, HttpStatusCode.Conflict, "urn:premix:problem:unique-constraint");
            await AssertProblemAsync(orphan, HttpStatusCode.Conflict, "urn:premix:problem:foreign-key-violation");
            await AssertProblemAsync(referenced, HttpStatusCode.Conflict, "urn:premix:problem:foreign-key-violation");
            Assert.That(await duplicate.Content.ReadAsStringAsync(), Does.Not.Contain(taken).And.Not.Contain("INSERT"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")}"), Is.EqualTo(authorsBefore));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("books")}"), Is.EqualTo(booksBefore));
        }
    }

    [Test]
    public async Task Health_endpoints_report_the_database_live_and_the_schema_ready()
    {
        var live = await _client.GetAsync("/health/live");
        var ready = await _client.GetAsync("/health/ready");

        Assert.That((live.StatusCode, await live.Content.ReadAsStringAsync()), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
        Assert.That((ready.StatusCode, await ready.Content.ReadAsStringAsync()), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
    }

    [Test]
    public async Task Two_hundred_concurrent_posts_store_every_author_exactly_once()
    {
        var batch = Guid.NewGuid().ToString("N")[..8];

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => _client.PostAsJsonAsync("/authors", new { name = $"Burst{batch}", email = $"{batch}.{i}@example.com" })));

        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("Name")} = @name", new { name = $"Burst{batch}" }), Is.EqualTo(200));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(DISTINCT {Q("Email")}) FROM {Q("authors")} WHERE {Q("Name")} = @name", new { name = $"Burst{batch}" }), Is.EqualTo(200));
    }

    [Test]
    public async Task Four_hundred_concurrent_puts_on_one_versioned_book_succeed_exactly_as_often_as_its_version_grew()
    {
        var email = Unique("stock");
        var author = await ScalarAsync<long>(
            $"INSERT INTO {Q("authors")} ({Q("Name")}, {Q("Email")}) VALUES ('Stock', @email); SELECT {Q("Id")} FROM {Q("authors")} WHERE {Q("Email")} = @email", new { email });
        var book = await ScalarAsync<long>(
            $"INSERT INTO {Q("books")} ({Q("AuthorId")}, {Q("Title")}, {Q("Price")}, {Q("Stock")}, {Q("Version")}) VALUES (@author, 'Contended', 9.99, 0, 1); "
            + $"SELECT {Q("Id")} FROM {Q("books")} WHERE {Q("AuthorId")} = @author", new { author });

        var answers = await Task.WhenAll(Enumerable.Range(1, 400).Select(i => _client.PutAsJsonAsync($"/books/{book}", new { authorId = author, title = "Contended", price = 9.99m, stock = i })));

        var successes = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        var version = await ScalarAsync<long>($"SELECT {Q("Version")} FROM {Q("books")} WHERE {Q("Id")} = @book", new { book });
        await TestContext.Progress.WriteLineAsync($"{Engine}: {successes} of 400 PUTs succeeded; version {version}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Conflict));
            Assert.That(successes, Is.Positive);
            Assert.That(version - 1, Is.EqualTo(successes), "every success, and only a success, raised the version once");
        }
    }

    private static string Unique(string name) => $"{name}.{Guid.NewGuid():N}@example.com";

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo(type));
    }
}
