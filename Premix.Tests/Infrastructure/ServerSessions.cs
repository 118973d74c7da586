using System.Data.Common;
using Dapper;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// The server's own view of sessions (<c>pg_stat_activity</c>; MariaDB's <c>information_schema.PROCESSLIST</c> with
/// <c>INNODB_TRX</c>), read on a connection of the fixture's own, never through the code under test.
/// </summary>
internal static class ServerSessions
{
    /// <summary>The SQL that returns the server's id of the session it runs in.</summary>
    public static string IdSql(Engine engine) => engine == Engine.PostgreSql ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";

    /// <summary>
    /// "idle" for each session of <paramref name="ids"/> that is open, runs nothing and has no transaction open; otherwise
    /// what the server says it is doing. Sessions that ended are not listed.
    /// </summary>
    public static async Task<List<string>> StatesAsync(Engine engine, DbConnection connection, long[] ids)
    {
        await FreshInnoDbTransactionsAsync(engine);
        if (engine == Engine.PostgreSql)
        {
            // state is 'idle' only outside a transaction ('idle in transaction' otherwise). Dapper sends the array as one parameter.
            return (await connection.QueryAsync<string>("SELECT state FROM pg_stat_activity WHERE pid = ANY(@ids)", new { ids = ids.Select(id => (int)id).ToArray() })).ToList();
        }

        // Dapper expands the list into one parameter per id.
        var sql = """
            SELECT CASE WHEN p.COMMAND = 'Sleep' AND t.trx_id IS NULL THEN 'idle' ELSE CONCAT(p.COMMAND, ' ', COALESCE(t.trx_state, '')) END
            FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
            WHERE p.ID IN @ids
            """;
        return (await connection.QueryAsync<string>(sql, new { ids })).ToList();
    }

    /// <summary>
    /// How many sessions on <paramref name="database"/>, other than the one asking, are running a statement or have a
    /// transaction open.
    /// </summary>
    public static async Task<long> BusyOnDatabaseAsync(Engine engine, DbConnection connection, string database)
    {
        await FreshInnoDbTransactionsAsync(engine);
        return await connection.ExecuteScalarAsync<long>(
            engine == Engine.PostgreSql
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid() AND state <> 'idle'"
                : """
                  SELECT COUNT(*) FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
                  WHERE p.DB = @database AND p.ID <> CONNECTION_ID() AND (p.COMMAND <> 'Sleep' OR t.trx_id IS NOT NULL)
                  """,
            new { database });
    }

    /// <summary>How many sessions on <paramref name="database"/>, other than the one asking, have a transaction open.</summary>
    public static async Task<long> InTransactionOnDatabaseAsync(Engine engine, DbConnection connection, string database)
    {
        await FreshInnoDbTransactionsAsync(engine);
        return await connection.ExecuteScalarAsync<long>(
            engine == Engine.PostgreSql
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
                : """
                  SELECT COUNT(*) FROM information_schema.PROCESSLIST p JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
                  WHERE p.DB = @database AND p.ID <> CONNECTION_ID()
                  """,
            new { database });
    }

    // InnoDB fills INNODB_TRX from a cache it refreshes only when the last read is over 0.1 s old: a read sooner than
    // that after the previous one shows transactions as they were then.
    private static Task FreshInnoDbTransactionsAsync(Engine engine) => engine == Engine.MySql ? Task.Delay(150) : Task.CompletedTask;
}
