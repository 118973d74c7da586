using Dapper;
using Npgsql;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// What the server connections of a database behind PgBouncer still carry from earlier clients: a setting changed for
/// the session (<c>SET</c>, <c>set_config(…, false)</c>), an advisory lock, a prepared statement, a temporary table, a
/// <c>LISTEN</c>, a held cursor. Behind a transaction-mode pooler any of these reaches the next client that gets the
/// server connection, so none may be left. Read from the server's own views, never through the code under test.
/// </summary>
internal static class PooledSessions
{
    // The parameters PgBouncer itself SETs on a server connection to match each client's startup packet (its tracked
    // parameters); their source is 'session' without any client having run SET.
    private static readonly string[] SetByPooler = ["client_encoding", "DateStyle", "TimeZone", "standard_conforming_strings", "application_name"];

    // Runs inside a transaction on one server connection; pg_settings with source 'session' lists what SET changed
    // (transaction_* are the inspecting transaction's own). A cursor outlives its transaction only WITH HOLD; the others
    // listed are this query's own. Read by position in InspectAsync.
    private const string InspectSql = """
        SELECT pg_backend_pid(),
               ARRAY(SELECT name || ' = ' || setting FROM pg_settings WHERE source = 'session' AND name <> ALL(@pooler) AND name NOT LIKE 'transaction\_%' ORDER BY name),
               (SELECT COUNT(*) FROM pg_prepared_statements),
               (SELECT COUNT(*) FROM pg_class WHERE relpersistence = 't' AND relnamespace = pg_my_temp_schema()),
               (SELECT COUNT(*) FROM pg_listening_channels()),
               (SELECT COUNT(*) FROM pg_cursors WHERE is_holdable)
        """;

    /// <summary>
    /// Describes what any server session of <paramref name="database"/> carries, and any advisory lock held there; empty
    /// when nothing. Every server session the server lists on the database is reached through
    /// <paramref name="pooledConnectionString"/>, each by a client of its own inside a transaction (so the pooler cannot
    /// hand one server connection to two of them); a session that could not be reached is reported too. Nothing else may
    /// use the database meanwhile.
    /// </summary>
    public static async Task<List<string>> LeftoversAsync(string pooledConnectionString, string adminConnectionString, string database)
    {
        var leftovers = new List<string>();
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync();
        leftovers.AddRange(await admin.QueryAsync<string>(
            "SELECT 'advisory lock ' || l.mode || ' (' || l.classid || ', ' || l.objid || ') held by server session ' || l.pid "
            + "FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = @database",
            new { database }));
        var sessions = (await SessionsAsync(admin, database)).ToHashSet();

        var clients = new List<(NpgsqlConnection Connection, NpgsqlTransaction? Transaction)>();
        var reached = new HashSet<int>();
        try
        {
            var unpooled = new NpgsqlConnectionStringBuilder(pooledConnectionString) { Database = database, Pooling = false }.ConnectionString;
            for (var i = 0; i < sessions.Count; i++)
            {
                var client = new NpgsqlConnection(unpooled);
                clients.Add((client, null));
                await client.OpenAsync();
                var transaction = await client.BeginTransactionAsync(); // held until the end: this server connection stays ours
                clients[^1] = (client, transaction);
                var state = await InspectAsync(client, transaction);
                reached.Add(state.Pid);
                leftovers.AddRange(state.Describe());
            }
        }
        finally
        {
            foreach (var (client, transaction) in clients)
            {
                // Ended, not abandoned: PgBouncer closes a server session whose client leaves in the middle of a transaction,
                // and the next test would start on a pool emptied by the inspection.
                if (transaction is not null)
                {
                    await transaction.RollbackAsync();
                }

                await client.DisposeAsync();
            }
        }

        // A session that ended meanwhile (idle timeout) carries nothing any more.
        var missed = sessions.Except(reached).Intersect(await SessionsAsync(admin, database)).ToList();
        leftovers.AddRange(missed.Select(pid => $"server session {pid} could not be reached through the pooler to inspect it"));
        return leftovers;
    }

    private static async Task<SessionState> InspectAsync(NpgsqlConnection client, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand(InspectSql, client, transaction) { Parameters = { new("pooler", SetByPooler) } };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new SessionState(reader.GetInt32(0), reader.GetFieldValue<string[]>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    private static Task<IEnumerable<int>> SessionsAsync(NpgsqlConnection admin, string database) =>
        admin.QueryAsync<int>("SELECT pid FROM pg_stat_activity WHERE datname = @database AND backend_type = 'client backend'", new { database });

    private sealed record SessionState(int Pid, string[] Settings, long PreparedStatements, long TemporaryTables, long ListeningChannels, long Cursors)
    {
        public IEnumerable<string> Describe()
        {
            foreach (var setting in Settings)
            {
                yield return $"server session {Pid} has a setting changed for the session: {setting}";
            }

            foreach (var (count, what) in new[] { (PreparedStatements, "prepared statements"), (TemporaryTables, "temporary tables"), (ListeningChannels, "LISTEN channels"), (Cursors, "cursors WITH HOLD") })
            {
                if (count > 0)
                {
                    yield return $"server session {Pid} has {count} {what}";
                }
            }
        }
    }
}
