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

    /// <summary>The table with its primary key and a FOREIGN KEY for every relation in which it is the dependent.</summary>
    public static string Create(Model model, EntityModel entity, ISqlDialect dialect)
    {
        var columns = entity.Properties.Select(p => $"{dialect.QuoteIdentifier(p.Column)} {dialect.ColumnType(p)}{(p.IsRequired || p.IsKey ? " NOT NULL" : " NULL")}");
        var key = string.Join(", ", entity.Key.Select(k => dialect.QuoteIdentifier(k.Column)));
        var foreignKeys = model.Entities
            .SelectMany(e => e.Relations.Select(r => r.IsDeclaredOnPrincipal ? (Principal: e, Dependent: model.Get(r.Target), r.ForeignKey) : (Principal: model.Get(r.Target), Dependent: e, r.ForeignKey)))
            .Where(r => r.Dependent == entity)
            .Select(r => (Column: r.Dependent.FindProperty(r.ForeignKey.Name)!.Column, r.Principal))
            .Distinct()
            .Select(r => $", FOREIGN KEY ({dialect.QuoteIdentifier(r.Column)}) REFERENCES {dialect.QuoteIdentifier(r.Principal.Table)} ({dialect.QuoteIdentifier(r.Principal.Key[0].Column)})");
        return $"CREATE TABLE {dialect.QuoteIdentifier(entity.Table)} ({string.Join(", ", columns)}, PRIMARY KEY ({key}){string.Concat(foreignKeys)})";
    }
}
