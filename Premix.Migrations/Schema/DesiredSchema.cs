using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>The schema a model needs on one engine: a table per entity, foreign keys from its relations, its declared indexes, a CHECK per polymorphic navigation.</summary>
public static class DesiredSchema
{
    /// <summary>Describes the tables <paramref name="model"/> maps, with the column types of <paramref name="dialect"/>.</summary>
    public static DatabaseSchema From(Model model, SchemaDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dialect);
        // A subtype of a table-per-hierarchy mapping has no table of its own: its columns are in its base's.
        return new DatabaseSchema(model.Entities.Where(e => e.Inheritance is not { IsRoot: false }).Select(entity => Table(entity, model, dialect)).ToList());
    }

    private static TableSchema Table(EntityModel entity, Model model, SchemaDialect dialect)
    {
        var properties = entity.Inheritance is null
            ? entity.Properties
            : entity.Properties.Concat(model.Entities.Where(e => e.Inheritance?.Root == entity.ClrType).SelectMany(e => e.Properties)).DistinctBy(p => p.Column, StringComparer.OrdinalIgnoreCase);
        var columns = properties.Select(p => new ColumnSchema(p.Column, dialect.StoreType(p), p.ColumnAllowsNull, p.DefaultSql, p.IsGenerated) { EnumLabels = p.ColumnType is null ? p.EnumType?.Labels : null, CompositeType = p.ColumnType is null ? p.CompositeType : null, CompositeAttributes = p.ColumnType is null && p.CompositeType is { } composite ? dialect.CompositeAttributes(composite) : null }).ToList();

        // One constraint per foreign key of the model, which merged what the parent's and the child's declarations say;
        // none for a type+id pair, whose id refers to a different table per type name.
        var foreignKeys = model.ForeignKeys
            .Where(k => (model.Get(k.Dependent).Inheritance?.Root ?? k.Dependent) == entity.ClrType && k.IsEnforcedByDatabase) // a subclass's keys are its base table's
            .Select(k => (Key: k, Principal: model.Get(k.Principal)))
            .Select(k => (k.Key, k.Principal, Columns: k.Key.Properties.Select(p => p.Column).ToList()))
            .Select(k => new ForeignKeySchema($"fk_{entity.Table}_{string.Join("_", k.Columns)}", k.Columns, k.Principal.Schema, k.Principal.Table, k.Key.PrincipalKeys.Select(p => p.Column).ToList(), k.Key.OnDelete))
            .ToList();
        var indexes = entity.Indexes.Select(i => new IndexSchema(i.Name, i.Properties.Select(p => p.Column).ToList(), i.IsUnique)).ToList();
        // A polymorphic navigation's foreign keys: exactly one is set, which the database enforces.
        var checks = entity.Relations.Where(r => r.IsPolymorphic && r.Constraint.IsEnforcedByDatabase).GroupBy(r => r.Navigation)
            .Select(g => g.Select(r => r.Constraint.Property.Column).ToList())
            .Select(c => new CheckSchema($"ck_{entity.Table}_{string.Join("_", c)}", c))
            .ToList();
        return new TableSchema(entity.Schema, entity.Table, columns, entity.Key.Select(k => k.Column).ToList(), indexes, foreignKeys) { UnmappedColumns = entity.UnmappedColumns, Checks = checks };
    }
}
