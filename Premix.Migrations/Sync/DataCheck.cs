using System.Data.Common;
using System.Globalization;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>
/// Asks the database whether a change that looks safe would fail or lose data with the rows it holds now, through the
/// executor like every other statement.
/// </summary>
internal static class DataCheck
{
    public static async Task<string?> FindsLossAsync(SqlExecutor executor, SchemaDialect dialect, DbConnection connection, SchemaOperation operation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case AddColumn { Column: { IsNullable: false, DefaultSql: null, IsIdentity: false } column } add
                when await CountAsync(executor, connection, dialect.CountSql(add.Table, null), cancellationToken).ConfigureAwait(false) is var rows and > 0:
                return $"{add.Table.DisplayName} has {rows} row(s) and the new required column {column.Name} has no default to fill them; give it one with HasDefaultValueSql(...), or make it nullable";
            case AlterColumn { From.IsNullable: true, To.IsNullable: false } alter
                when await CountAsync(executor, connection, dialect.CountSql(alter.Table, alter.To.Name), cancellationToken).ConfigureAwait(false) is var nulls and > 0:
                return $"{nulls} row(s) of {alter.Table.DisplayName} hold NULL in {alter.To.Name}, which would become required";
            case RebuildTable rebuild:
                foreach (var change in rebuild.Changes)
                {
                    if (await FindsLossAsync(executor, dialect, connection, change, cancellationToken).ConfigureAwait(false) is { } loss)
                    {
                        return loss;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static async Task<long> CountAsync(SqlExecutor executor, DbConnection connection, string sql, CancellationToken cancellationToken) =>
        Convert.ToInt64(await executor.ScalarAsync(connection, null, "SchemaDiff", sql, null, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
}
