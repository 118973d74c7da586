using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;
using Npgsql;
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
public sealed class NativeAotReplicaTests(Engine engine) : AotSampleTest(engine, AotSampleBuild.Native)
{
    private string _replica = null!;

    /// <summary>What the sample's <c>/report/server</c> runs on <paramref name="engine"/>: which server answered, in its own terms.</summary>
    public static string ServerSql(Engine engine) => engine == Engine.PostgreSql ? "SELECT CAST(pg_is_in_recovery() AS TEXT)" : "SELECT CAST(@@server_id AS CHAR)";

    [OneTimeSetUp]
    public async Task StartTheBinaryOnAReplicaAsync()
    {
        var admin = TestEnvironment.RequireReplicaConnectionString(Engine);
        _replica = Engine == Engine.PostgreSql
            ? new NpgsqlConnectionStringBuilder(admin) { Database = DatabaseName }.ConnectionString
            : new MySqlConnectionStringBuilder(admin) { Database = DatabaseName }.ConnectionString;
        await RecreateSampleTablesAsync();

        // Until the replica holds the database and its tables the app skips it and the primary answers (stop 39's CI failure).
        await ReplayedAsync($"SELECT COUNT(*) FROM {Q("authors")}", "0");

        await StartSampleAsync($"--Shop:ReadReplicas:0={_replica}");
    }

    [Test]
    public async Task A_read_only_statement_is_answered_by_the_replica_and_not_the_primary()
    {
        var replica = (await TenantSql.ColumnAsync(Engine, _replica, ServerSql(Engine))).Single();
        var primary = await ScalarAsync<string>(ServerSql(Engine));
        Assert.That(replica, Is.Not.EqualTo(primary), "the two servers must tell themselves apart");

        // ReadReplicaTests pauses the replica's replay at times, in parallel; the app then rightly skips the lagging replica
        // (MaxLag) and the primary answers. So ask (bounded) until the replica answers, and fail on any other answer.
        var answers = new List<string>();
        var clock = Stopwatch.StartNew();
        do
        {
            answers.Add(await Client.GetStringAsync(new Uri("/report/server", UriKind.Relative)));
            Assert.That(answers[^1], Is.EqualTo(replica).Or.EqualTo(primary), App.Output);
            if (answers[^1] == replica)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (clock.Elapsed < TimeSpan.FromMinutes(2));

        Assert.Fail($"the primary answered all {answers.Count} requests in 2 minutes; the app's output:\n{App.Output}");
    }

    [Test]
    public async Task A_row_on_both_servers_is_read_by_key_with_the_replica_configured_and_a_new_author_is_written_to_the_primary()
    {
        var id = await ScalarAsync<long>($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES ('Replayed', 'r@example.com') RETURNING {Q("id")}");
        await ReplayedAsync($"SELECT COUNT(*) FROM authors WHERE id = {id}", "1");

        var read = await Client.GetFromJsonAsync<JsonElement>($"/authors/{id}", Json);
        var created = await Client.PostAsJsonAsync("/authors", new { name = "Written", email = "w@example.com" }, Json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.GetProperty("name").GetString(), Is.EqualTo("Replayed"));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), App.Output);
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("name")} = 'Written'"), Is.EqualTo(1), "on the primary");
        }
    }

    // The replica applies the primary's changes asynchronously: wait (bounded) until it has, before reading through it. The
    // database and tables themselves were made just before, so the replica may not hold them yet either (3D000 and 42P01 on
    // PostgreSQL, 1049 and 1146 on MariaDB).
    private async Task ReplayedAsync(string countSql, string expected)
    {
        var clock = Stopwatch.StartNew();
        while (!await ReplayedOnceAsync(countSql, expected))
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "the replica did not replay the row");
            await Task.Delay(50);
        }
    }

    private async Task<bool> ReplayedOnceAsync(string countSql, string expected)
    {
        try
        {
            return (await TenantSql.ColumnAsync(Engine, _replica, countSql)).Single() == expected;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
        catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
        {
            return false;
        }
    }
}
