using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using NpgsqlTypes;

namespace Premix.Benchmarks.Data;

/// <summary>
/// The best hand-written writes for each engine (DESIGN.md, "Performance facts"): on SQLite one prepared command
/// re-bound per row, on PostgreSQL one statement for all rows (array parameters and <c>unnest</c>), so one round trip;
/// on MariaDB one many-row <c>INSERT … VALUES (…), (…) RETURNING id</c> and one <c>UPDATE … SET score = CASE id …</c>,
/// one round trip each. All read the generated keys back, as Premix and EF Core do.
/// </summary>
internal static class CustomerWriter
{
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, List<Customer> customers)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            await InsertUnnestAsync(npgsql, (NpgsqlTransaction)transaction, customers).ConfigureAwait(false);
        }
        else if (connection is MySqlConnection mySql)
        {
            await InsertValuesAsync(mySql, (MySqlTransaction)transaction, customers).ConfigureAwait(false);
        }
        else
        {
            InsertPrepared((SqliteConnection)connection, (SqliteTransaction)transaction, customers);
        }
    }

    public static async Task UpdateScoresAsync(DbConnection connection, DbTransaction transaction, List<Customer> customers)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            await UpdateUnnestAsync(npgsql, (NpgsqlTransaction)transaction, customers).ConfigureAwait(false);
        }
        else if (connection is MySqlConnection mySql)
        {
            await UpdateCaseAsync(mySql, (MySqlTransaction)transaction, customers).ConfigureAwait(false);
        }
        else
        {
            UpdatePrepared((SqliteConnection)connection, (SqliteTransaction)transaction, customers);
        }
    }

    private static void InsertPrepared(SqliteConnection connection, SqliteTransaction transaction, List<Customer> customers)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = WriteSql.InsertReturningKey;
        var name = command.Parameters.Add("@Name", SqliteType.Text);
        var email = command.Parameters.Add("@Email", SqliteType.Text);
        var score = command.Parameters.Add("@Score", SqliteType.Integer);
        var createdAt = command.Parameters.Add("@CreatedAt", SqliteType.Text);
        command.Prepare();
        foreach (var customer in customers)
        {
            name.Value = customer.Name;
            email.Value = customer.Email;
            score.Value = customer.Score;
            createdAt.Value = customer.CreatedAt;
            customer.Id = (long)command.ExecuteScalar()!;
        }
    }

    private static void UpdatePrepared(SqliteConnection connection, SqliteTransaction transaction, List<Customer> customers)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = WriteSql.UpdateScore;
        var score = command.Parameters.Add("@Score", SqliteType.Integer);
        var id = command.Parameters.Add("@Id", SqliteType.Integer);
        command.Prepare();
        foreach (var customer in customers)
        {
            score.Value = customer.Score;
            id.Value = customer.Id;
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"Customer {customer.Id} was not updated.");
            }
        }
    }

    private static async Task InsertUnnestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Customer> customers)
    {
        var names = new string[customers.Count];
        var emails = new string[customers.Count];
        var scores = new int[customers.Count];
        var created = new DateTime[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            names[i] = customers[i].Name;
            emails[i] = customers[i].Email;
            scores[i] = customers[i].Score;
            created[i] = customers[i].CreatedAt;
        }

        await using var command = new NpgsqlCommand(WriteSql.PostgreSqlInsertUnnest, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { TypedValue = names });
        command.Parameters.Add(new NpgsqlParameter<string[]>("emails", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { TypedValue = emails });
        command.Parameters.Add(new NpgsqlParameter<int[]>("scores", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = scores });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("created", NpgsqlDbType.Array | NpgsqlDbType.Timestamp) { TypedValue = created });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var row = 0;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            customers[row++].Id = reader.GetInt64(0);
        }

        if (row != customers.Count)
        {
            throw new InvalidOperationException($"The insert returned {row} keys for {customers.Count} rows.");
        }
    }

    private static async Task UpdateUnnestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Customer> customers)
    {
        var ids = new long[customers.Count];
        var scores = new int[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            ids[i] = customers[i].Id;
            scores[i] = customers[i].Score;
        }

        await using var command = new NpgsqlCommand(WriteSql.PostgreSqlUpdateUnnest, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<int[]>("scores", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = scores });
        var rows = await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        if (rows != customers.Count)
        {
            throw new InvalidOperationException($"The update changed {rows} rows of {customers.Count}.");
        }
    }

    private static async Task InsertValuesAsync(MySqlConnection connection, MySqlTransaction transaction, List<Customer> customers)
    {
        if (customers.Count != WriteSql.InsertedRowCount)
        {
            throw new ArgumentException($"The statement lists {WriteSql.InsertedRowCount} rows; got {customers.Count}.", nameof(customers));
        }

        await using var command = new MySqlCommand(WriteSql.MySqlInsertValues, connection, transaction);
        var parameters = command.Parameters;
        foreach (var customer in customers)
        {
            parameters.Add(new MySqlParameter { MySqlDbType = MySqlDbType.VarChar, Value = customer.Name });
            parameters.Add(new MySqlParameter { MySqlDbType = MySqlDbType.VarChar, Value = customer.Email });
            parameters.Add(new MySqlParameter { MySqlDbType = MySqlDbType.Int32, Value = customer.Score });
            parameters.Add(new MySqlParameter { MySqlDbType = MySqlDbType.DateTime, Value = customer.CreatedAt });
        }

        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var row = 0;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            customers[row++].Id = reader.GetInt64(0);
        }

        if (row != customers.Count)
        {
            throw new InvalidOperationException($"The insert returned {row} keys for {customers.Count} rows.");
        }
    }

    private static async Task UpdateCaseAsync(MySqlConnection connection, MySqlTransaction transaction, List<Customer> customers)
    {
        if (customers.Count != WriteSql.UpdatedRowCount)
        {
            throw new ArgumentException($"The statement lists {WriteSql.UpdatedRowCount} rows; got {customers.Count}.", nameof(customers));
        }

        await using var command = new MySqlCommand(WriteSql.MySqlUpdateCase, connection, transaction);
        var parameters = command.Parameters;
        foreach (var customer in customers)
        {
            parameters.Add(new MySqlParameter { MySqlDbType = MySqlDbType.Int64, Value = customer.Id });
            parameters.Add(new MySqlParameter { MySqlDbType = MySqlDbType.Int32, Value = customer.Score });
        }

        foreach (var customer in customers)
        {
            parameters.Add(new MySqlParameter { MySqlDbType = MySqlDbType.Int64, Value = customer.Id });
        }

        // MySqlConnector counts the rows the statement matched (its default, Use Affected Rows=false).
        var rows = await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        if (rows != customers.Count)
        {
            throw new InvalidOperationException($"The update changed {rows} rows of {customers.Count}.");
        }
    }
}
