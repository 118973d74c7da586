using System.Globalization;
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

    /// <summary>
    /// <see cref="FirstByEmailAsync"/> with its parameters typed as Dapper types them (<c>DbType.String</c> with
    /// <c>Size</c> 4000 for a string of up to 4000 characters, <c>DbType.Int32</c> for an int): a probe of what the typing
    /// costs the driver. Its own reading code, so a profile tells its frames from the plain baseline's.
    /// </summary>
    public static async Task<Customer?> FirstByEmailTypedAsync(DbConnection connection, string email)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            TypeAsDapper(command, email);
            var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync().ConfigureAwait(false) ? Read(reader) : null;
            }
        }
    }

    /// <summary>
    /// <see cref="FirstByEmailTypedAsync"/> read as Dapper's <c>QueryFirstOrDefaultAsync</c> reads: <c>SequentialAccess |
    /// SingleResult</c>, the columns' names and types read for its deserializer cache, every value through the indexer
    /// (boxed, then unboxed), then the rest of the rows and results drained. A probe of what a general mapper's reading
    /// costs the driver over typed getters.
    /// </summary>
    public static async Task<Customer?> FirstByEmailAsDapperAsync(DbConnection connection, string email)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            TypeAsDapper(command, email);
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleResult).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                Customer? result = null;
                if (await reader.ReadAsync().ConfigureAwait(false) && reader.FieldCount != 0)
                {
                    var hash = 0;
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        hash = (hash * 31) + (reader.GetName(i)?.GetHashCode(StringComparison.Ordinal) ?? 0) + (reader.GetFieldType(i)?.GetHashCode() ?? 0);
                    }

                    GC.KeepAlive(hash);
                    result = new Customer
                    {
                        // Converted, not cast, as Dapper converts: SQLite hands back long for INTEGER and text for dates.
                        Id = Convert.ToInt64(reader[0], CultureInfo.InvariantCulture),
                        Name = (string)reader[1],
                        Email = (string)reader[2],
                        Score = Convert.ToInt32(reader[3], CultureInfo.InvariantCulture),
                        CreatedAt = Convert.ToDateTime(reader[4], CultureInfo.InvariantCulture),
                    };
                    while (await reader.ReadAsync().ConfigureAwait(false))
                    {
                    }
                }

                while (await reader.NextResultAsync().ConfigureAwait(false))
                {
                }

                return result;
            }
        }
    }

    // FirstByEmail's text and parameters (@email first), typed as Dapper types them.
    internal static void TypeAsDapper(DbCommand command, string email)
    {
        command.CommandText = CustomerSql.FirstByEmail;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@email";
        parameter.DbType = DbType.String;
        parameter.Size = 4000;
        parameter.Value = email;
        command.Parameters.Add(parameter);
        var take = command.CreateParameter();
        take.ParameterName = "@take";
        take.DbType = DbType.Int32;
        take.Value = 1;
        command.Parameters.Add(take);
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

    internal static Customer Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Name = reader.GetString(1),
        Email = reader.GetString(2),
        Score = reader.GetInt32(3),
        CreatedAt = reader.GetDateTime(4),
    };
}
