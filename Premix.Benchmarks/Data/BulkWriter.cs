using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using NpgsqlTypes;

namespace Premix.Benchmarks.Data;

/// <summary>
/// The best hand-written bulk insert of each engine that still reads the generated keys back, as Premix and EF Core
/// do: on PostgreSQL the keys taken from the identity's sequence in one statement, then every row in one binary
/// <c>COPY</c>; on MariaDB one <c>INSERT … VALUES … RETURNING id</c> per 1000 rows (its bulk channel, <c>LOAD DATA</c>,
/// returns no keys); on SQLite one prepared command re-bound per row.
/// </summary>
internal static class BulkWriter
{
    // The identity's sequence by name: pg_get_serial_sequence(...) in the select list would run once per row (0.32 s of
    // catalog lookups for 100,000 keys, against 0.04 s for the keys themselves).
    private const string NextKeys = "SELECT nextval('customers_id_seq') FROM generate_series(1, @count)";

    private const string Copy = "COPY customers (id, name, email, score, created_at) FROM STDIN (FORMAT BINARY)";

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, List<Customer> customers)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyWithKeysAsync(npgsql, (NpgsqlTransaction)transaction, customers).ConfigureAwait(false);
        }
        else if (connection is MySqlConnection)
        {
            for (var start = 0; start < customers.Count; start += WriteSql.InsertedRowCount)
            {
                await CustomerWriter.InsertAsync(connection, transaction, customers.GetRange(start, WriteSql.InsertedRowCount)).ConfigureAwait(false);
            }
        }
        else
        {
            await CustomerWriter.InsertAsync((SqliteConnection)connection, transaction, customers).ConfigureAwait(false);
        }
    }

    private static async Task CopyWithKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Customer> customers)
    {
        await using (var keys = new NpgsqlCommand(NextKeys, connection, transaction))
        {
            keys.Parameters.Add(new NpgsqlParameter<int>("count", customers.Count));
            await using var reader = await keys.ExecuteReaderAsync().ConfigureAwait(false);
            var row = 0;
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                customers[row++].Id = reader.GetInt64(0);
            }
        }

        // Values written synchronously: they go to Npgsql's buffer, which flushes when full; an await per value (500,000
        // of them) cost this contender about half its time.
        await using var import = await connection.BeginBinaryImportAsync(Copy).ConfigureAwait(false);
        foreach (var customer in customers)
        {
            import.StartRow();
            import.Write(customer.Id, NpgsqlDbType.Bigint);
            import.Write(customer.Name, NpgsqlDbType.Varchar);
            import.Write(customer.Email, NpgsqlDbType.Varchar);
            import.Write(customer.Score, NpgsqlDbType.Integer);
            import.Write(customer.CreatedAt, NpgsqlDbType.Timestamp);
        }

        await import.CompleteAsync().ConfigureAwait(false);
    }
}
