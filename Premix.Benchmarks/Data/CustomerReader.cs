using System.Data;
using System.Data.Common;

namespace Premix.Benchmarks.Data;

/// <summary>The hand-written ADO.NET baseline: one command, a reader, and typed getters by ordinal.</summary>
internal static class CustomerReader
{
    public static async Task<Customer?> GetAsync(DbConnection connection, long id)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = CustomerSql.ByKey;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@id";
            parameter.Value = id;
            command.Parameters.Add(parameter);
            return await FirstAsync(command).ConfigureAwait(false);
        }
    }

    public static async Task<Customer?> FirstByEmailAsync(DbConnection connection, string email, CommandBehavior behavior = CommandBehavior.Default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = CustomerSql.FirstByEmail;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@email";
            parameter.Value = email;
            command.Parameters.Add(parameter);
            var take = command.CreateParameter();
            take.ParameterName = "@take";
            take.Value = 1;
            command.Parameters.Add(take);
            return await FirstAsync(command, behavior).ConfigureAwait(false);
        }
    }

    public static async Task<List<Customer>> ListAsync(DbConnection connection, string sql, long? min, CommandBehavior behavior = CommandBehavior.Default)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            if (min is { } value)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@min";
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            var rows = new List<Customer>();
            var reader = await command.ExecuteReaderAsync(behavior).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    rows.Add(Read(reader));
                }
            }

            return rows;
        }
    }

    private static async Task<Customer?> FirstAsync(DbCommand command, CommandBehavior behavior = CommandBehavior.Default)
    {
        var reader = await command.ExecuteReaderAsync(behavior).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync().ConfigureAwait(false) ? Read(reader) : null;
        }
    }

    private static Customer Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Name = reader.GetString(1),
        Email = reader.GetString(2),
        Score = reader.GetInt32(3),
        CreatedAt = reader.GetDateTime(4),
    };
}
