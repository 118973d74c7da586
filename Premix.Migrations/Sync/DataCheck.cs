using System.Data.Common;
using System.Globalization;

namespace Premix.Migrations;

/// <summary>Asks the database whether a change that looks safe would fail or lose data with the rows it holds now.</summary>
internal static class DataCheck
{
    public static async Task<string?> FindsLossAsync(SchemaDialect dialect, DbConnection connection, SchemaOperation operation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case AddColumn { Column: { IsNullable: false, DefaultSql: null, IsIdentity: false } column } add
                when await CountAsync(connection, dialect.CountSql(add.Table, null), cancellationToken).ConfigureAwait(false) is var rows and > 0:
                return $"{add.Table.DisplayName} has {rows} row(s) and the new required column {column.Name} has no default to fill them; give it one with HasDefaultValueSql(...), or make it nullable";
            case AlterColumn { From.IsNullable: true, To.IsNullable: false } alter
                when await CountAsync(connection, dialect.CountSql(alter.Table, alter.To.Name), cancellationToken).ConfigureAwait(false) is var nulls and > 0:
                return $"{nulls} row(s) of {alter.Table.DisplayName} hold NULL in {alter.To.Name}, which would become required";
            case RebuildTable rebuild:
                foreach (var change in rebuild.Changes)
                {
                    if (await FindsLossAsync(dialect, connection, change, cancellationToken).ConfigureAwait(false) is { } loss)
                    {
                        return loss;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static async Task<long> CountAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }
}
