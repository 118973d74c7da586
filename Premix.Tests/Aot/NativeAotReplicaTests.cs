using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;
using Npgsql;
using Premix.Mapping;
using Premix.Tests.Infrastructure;
using Premix.Tests.Tenancy;

namespace Premix.Tests.Aot;

/// <summary>
/// Read replicas in the native AOT sample's published binary (<c>Shop:ReadReplicas:0</c>, docs/scale-out.md), against the
/// test command's replicas (<c>PREMIX_TEST_POSTGRES_REPLICA</c>, <c>PREMIX_TEST_MYSQL_REPLICA</c>): a read-only statement is
/// answered by the replica, a repository read by key runs with a replica configured (both servers hold the row, so it does
/// not tell which answered), a write lands on the primary. Server engines only (SQLite has no replica). Checked through
/// plain SQL on both servers.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class NativeAotReplicaTests(Engine engine) : PremixTest(engine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private string _replica = null!;
    private NativeAotApp _app = null!;
    private HttpClient _client = null!;

    /// <summary>What the sample's <c>/report/server</c> runs on <paramref name="engine"/>: which server answered, in its own terms.</summary>
    public static string ServerSql(Engine engine) => engine == Engine.PostgreSql ? "SELECT CAST(pg_is_in_recovery() AS TEXT)" : "SELECT CAST(@@server_id AS CHAR)";

    [OneTimeSetUp]
    public async Task StartTheBinaryOnAReplicaAsync()
    {
        var admin = TestEnvironment.RequireReplicaConnectionString(Engine);
        _replica = Engine == Engine.PostgreSql
            ? new NpgsqlConnectionStringBuilder(admin) { Database = DatabaseName }.ConnectionString
            : new MySqlConnectionStringBuilder(admin) { Database = DatabaseName }.ConnectionString;
        var published = await NativeAotPublish.GetAsync();
        await using (var premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new AotShop.AuthorMap()).AddModelConfiguration(new AotShop.BookMap())))
        {
            await RecreateTablesAsync(premix);
        }

        _app = await NativeAotApp.StartAsync(
            published.Binary,
            $"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}",
            $"--ConnectionStrings:shop={ConnectionString}",
            $"--Shop:ReadReplicas:0={_replica}");
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
    public async Task A_read_only_statement_is_answered_by_the_replica_and_not_the_primary()
    {
        var server = await _client.GetStringAsync(new Uri("/report/server", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server, Is.EqualTo((await TenantSql.ColumnAsync(Engine, _replica, ServerSql(Engine))).Single()), _app.Output);
            Assert.That(server, Is.Not.EqualTo(await ScalarAsync<string>(ServerSql(Engine))), "the primary would answer otherwise");
        }
    }

    [Test]
    public async Task A_row_on_both_servers_is_read_by_key_with_the_replica_configured_and_a_new_author_is_written_to_the_primary()
    {
        var id = await ScalarAsync<long>($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES ('Replayed', 'r@example.com') RETURNING {Q("id")}");
        await ReplayedAsync($"SELECT COUNT(*) FROM authors WHERE id = {id}");

        var read = await _client.GetFromJsonAsync<JsonElement>($"/authors/{id}", Json);
        var created = await _client.PostAsJsonAsync("/authors", new { name = "Written", email = "w@example.com" }, Json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.GetProperty("name").GetString(), Is.EqualTo("Replayed"));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), _app.Output);
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("name")} = 'Written'"), Is.EqualTo(1), "on the primary");
        }
    }

    // The replica applies the primary's changes asynchronously: wait (bounded) until it has, before reading through it. The
    // tables themselves were made just before, so the replica may not hold them yet either (42P01 on PostgreSQL, 1146 on MariaDB).
    private async Task ReplayedAsync(string countSql)
    {
        var clock = Stopwatch.StartNew();
        while (!await ReplayedOnceAsync(countSql))
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "the replica did not replay the row");
            await Task.Delay(50);
        }
    }

    private async Task<bool> ReplayedOnceAsync(string countSql)
    {
        try
        {
            return (await TenantSql.ColumnAsync(Engine, _replica, countSql)).Single() == "1";
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.NoSuchTable)
        {
            return false;
        }
    }
}
