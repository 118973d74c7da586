using Premix.Mapping;
using Premix.Providers;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Writes CREATE TABLE statements from the model and the dialect's type mapping, so tests exercise the mapping the
/// dialect declares. Test-only: the schema engine of Premix.Migrations will own DDL.
/// </summary>
internal static class TestTables
{
    public static string Drop(EntityModel entity, ISqlDialect dialect) => $"DROP TABLE IF EXISTS {dialect.QuoteIdentifier(entity.Table)}";

    public static string Create(EntityModel entity, ISqlDialect dialect)
    {
        var columns = entity.Properties.Select(p => $"{dialect.QuoteIdentifier(p.Column)} {dialect.ColumnType(p)}{(p.IsRequired || p.IsKey ? " NOT NULL" : " NULL")}");
        var key = string.Join(", ", entity.Key.Select(k => dialect.QuoteIdentifier(k.Column)));
        return $"CREATE TABLE {dialect.QuoteIdentifier(entity.Table)} ({string.Join(", ", columns)}, PRIMARY KEY ({key}))";
    }
}
