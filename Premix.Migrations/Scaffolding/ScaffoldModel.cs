using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>The classes, properties and relations to generate for a schema: every C# name chosen once, up front.</summary>
internal sealed class ScaffoldModel
{
    private const string HistoryTable = "premix_migrations";

    private ScaffoldModel(IReadOnlyList<ScaffoldEntity> entities) => Entities = entities;

    public IReadOnlyList<ScaffoldEntity> Entities { get; }

    public static ScaffoldModel Build(DatabaseSchema schema, SchemaDialect dialect, ScaffoldOptions options)
    {
        var tables = schema.Tables
            .Where(t => options.Tables.Count == 0 ? !SchemaNames.Same(t.Name, HistoryTable) : options.Tables.Any(n => SchemaNames.Same(n, t.Name) || SchemaNames.Same(n, t.DisplayName)))
            .OrderBy(t => t.Schema ?? string.Empty, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        var classNames = new HashSet<string>(StringComparer.Ordinal);
        var entities = new List<ScaffoldEntity>();
        foreach (var table in tables)
        {
            var name = CSharpNames.Pascal(table.Name, "Table");
            entities.Add(new ScaffoldEntity(table, CSharpNames.Unique(CSharpNames.IsReserved(name) ? name + "Entity" : name, classNames)));
        }

        foreach (var entity in entities)
        {
            entity.MapName = CSharpNames.Unique(entity.ClassName + "Map", classNames);
            entity.AddColumns(dialect);
        }

        foreach (var entity in entities)
        {
            AddRelations(entity, entities);
        }

        return new ScaffoldModel(entities);
    }

    private static void AddRelations(ScaffoldEntity dependent, List<ScaffoldEntity> entities)
    {
        if (!dependent.IsMapped)
        {
            return;
        }

        var found = new List<(ForeignKeySchema Key, ScaffoldProperty Column, ScaffoldEntity Principal)>();
        foreach (var key in dependent.Table.ForeignKeys.OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            var principal = entities.FirstOrDefault(e => SchemaNames.Same(e.Table.Name, key.PrincipalTable) && SchemaNames.SameSchema(e.Table.Schema, key.PrincipalSchema));
            var column = key.Columns.Count == 1 ? dependent.Find(key.Columns[0]) : null;
            var principalKey = principal is { IsMapped: true, Key.Count: 1 } ? principal.Key[0] : null;
            var reason = key.Columns.Count != 1 ? "it has several columns, and Premix relations have one"
                : principal is null ? $"the table {key.PrincipalTable} is not scaffolded"
                : !principal.IsMapped ? $"{principal.ClassName} is not mapped"
                : principalKey is null ? $"{principal.ClassName} has a composite key"
                : !SchemaNames.Same(principalKey.Column.Name, key.PrincipalColumns[0]) ? $"it references {key.PrincipalColumns[0]}, not the key of {principal.ClassName}"
                : column is null ? $"its column {key.Columns[0]} is left out"
                : column.Type.Type != principalKey.Type.Type ? $"{column.Name} is {CSharpNames.TypeName(column.Type.Type)} but the key {principal.ClassName}.{principalKey.Name} is {CSharpNames.TypeName(principalKey.Type.Type)}"
                : null;
            if (reason is null)
            {
                found.Add((key, column!, principal!));
            }
            else
            {
                dependent.Notes.Add($"The foreign key {key.Name} is not mapped as a relation: {reason}.");
            }
        }

        foreach (var (key, column, principal) in found)
        {
            var reference = column.Name.Length > 2 && column.Name.EndsWith("Id", StringComparison.Ordinal) ? column.Name[..^2] : principal.ClassName;
            if (reference == dependent.ClassName || dependent.Members.Contains(reference))
            {
                reference = column.Name + principal.ClassName;
            }

            reference = CSharpNames.Unique(reference, dependent.Members);
            var several = found.Count(f => f.Principal == principal) > 1;
            var collection = CSharpNames.Plural(several ? reference + dependent.ClassName : dependent.ClassName);
            collection = CSharpNames.Unique(collection == principal.ClassName ? collection + "List" : collection, principal.Members);
            var relation = new ScaffoldRelation(dependent, column, principal, reference, collection, key.OnDelete);
            dependent.References.Add(relation);
            principal.Collections.Add(relation);
        }
    }
}
