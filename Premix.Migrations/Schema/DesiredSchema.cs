using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>The schema a model needs on one engine: a table per entity, foreign keys from its relations, its declared indexes.</summary>
public static class DesiredSchema
{
    /// <summary>Describes the tables <paramref name="model"/> maps, with the column types of <paramref name="dialect"/>.</summary>
    public static DatabaseSchema From(Model model, SchemaDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dialect);
        var relations = model.Entities
            .SelectMany(e => e.Relations.Select(r => r.IsDeclaredOnPrincipal ? (Principal: e, Dependent: model.Get(r.Target), Relation: r) : (Principal: model.Get(r.Target), Dependent: e, Relation: r)))
            .ToList();
        return new DatabaseSchema(model.Entities.Select(entity => Table(entity, relations.Where(r => r.Dependent == entity), dialect)).ToList());
    }

    private static TableSchema Table(EntityModel entity, IEnumerable<(EntityModel Principal, EntityModel Dependent, RelationModel Relation)> relations, SchemaDialect dialect)
    {
        var columns = entity.Properties.Select(p => new ColumnSchema(p.Column, dialect.StoreType(p), !p.IsRequired && !p.IsKey, p.DefaultSql, p.IsGenerated)).ToList();
        var foreignKeys = relations
            .Select(r => (Column: r.Dependent.FindProperty(r.Relation.ForeignKey.Name)!.Column, r.Principal, r.Relation.OnDelete))
            .DistinctBy(r => (r.Column.ToUpperInvariant(), r.Principal))
            .Select(r => new ForeignKeySchema($"fk_{entity.Table}_{r.Column}", [r.Column], r.Principal.Schema, r.Principal.Table, [r.Principal.Key[0].Column], r.OnDelete))
            .ToList();
        var indexes = entity.Indexes.Select(i => new IndexSchema(i.Name, i.Properties.Select(p => p.Column).ToList(), i.IsUnique)).ToList();
        return new TableSchema(entity.Schema, entity.Table, columns, entity.Key.Select(k => k.Column).ToList(), indexes, foreignKeys);
    }
}
