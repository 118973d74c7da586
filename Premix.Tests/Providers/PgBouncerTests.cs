using Dapper;
using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>
/// The premise of the pooled leg, checked on the PgBouncer the test command starts (<c>PREMIX_TEST_POSTGRES_POOLED</c>):
/// one client's transactions run on different server sessions, and <see cref="PooledSessions"/> sees what a client
/// leaves on a server session. PostgreSQL only, and always through the pooler: it is the pooler that is tested.
/// </summary>
public sealed class PgBouncerTests
{
    private string _database = null!;
    private string _pooled = null!;

    // A database per test: what a test leaves on purpose stays on its server sessions, which PgBouncer pools per database.
    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = "premix_" + Guid.NewGuid().ToString("N")[..12];
        await AdminAsync($"CREATE DATABASE {_database}");
        // Unpooled on the client side, so each connection is a new client of PgBouncer; no DISCARD ALL on close either.
        _pooled = new NpgsqlConnectionStringBuilder(TestEnvironment.RequirePooledPostgreSqlConnectionString())
        {
            Database = _database,
            Pooling = false,
            NoResetOnClose = true,
        }.ConnectionString;
    }

    [TearDown]
    public Task DropDatabaseAsync() => AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");

    [Test]
    public async Task One_clients_transactions_run_on_several_server_sessions()
    {
        await OpenServerSessionsAsync(3);
        await using var client = new NpgsqlConnection(_pooled);
        await client.OpenAsync();

        var sessions = new HashSet<int>();
        for (var i = 0; i < 6; i++)
        {
            await using var transaction = await client.BeginTransactionAsync();
            sessions.Add(await client.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: transaction));
            await transaction.CommitAsync();
        }

        Assert.That(sessions, Has.Count.GreaterThan(1), "PgBouncer hands each transaction another server session (server_round_robin)");
    }

    [Test]
    public async Task A_session_setting_and_a_session_advisory_lock_a_client_leaves_stay_on_a_server_session_and_are_reported()
    {
        await OpenServerSessionsAsync(3);
        await using (var client = new NpgsqlConnection(_pooled))
        {
            // What the PostgreSQL migration lock did before issue 22: each statement may land on another server session.
            await client.OpenAsync();
            await client.ExecuteAsync("SELECT set_config('lock_timeout', '1234ms', false)");
            await client.ExecuteAsync("SELECT pg_advisory_lock(22)");
        }

        var leftovers = await PooledSessions.LeftoversAsync(_pooled, TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql), _database);

        Assert.That(leftovers, Has.Some.Contains("lock_timeout = 1234").And.Some.Contains("advisory lock ExclusiveLock (0, 22)"),
            "the client is gone, its setting and its lock are not");
    }

    [Test]
    public async Task Server_sessions_that_only_ran_transactions_carry_nothing()
    {
        await OpenServerSessionsAsync(3);

        var leftovers = await PooledSessions.LeftoversAsync(_pooled, TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql), _database);

        Assert.That(leftovers, Is.Empty);
        Assert.That(await AdminScalarAsync<long>($"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{_database}'"), Is.GreaterThanOrEqualTo(3),
            "the inspection had server sessions to look at");
    }

    /// <summary>Makes PgBouncer open <paramref name="count"/> server sessions: as many clients each hold a transaction at once.</summary>
    private async Task OpenServerSessionsAsync(int count)
    {
        var clients = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var client = new NpgsqlConnection(_pooled);
                clients.Add(client);
                await client.OpenAsync();
                await client.ExecuteAsync("BEGIN; SELECT 1;");
            }

            // Ended, not abandoned: PgBouncer closes a server session whose client left in the middle of a transaction.
            foreach (var client in clients)
            {
                await client.ExecuteAsync("COMMIT");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql));
        await admin.ExecuteAsync(sql);
    }

    private static async Task<T> AdminScalarAsync<T>(string sql)
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql));
        return (await admin.ExecuteScalarAsync<T>(sql))!;
    }
}
