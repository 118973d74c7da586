using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>The classes, properties and relations to generate for a schema: every C# name chosen once, up front.</summary>
internal sealed class ScaffoldModel
{
    private const string HistoryTable = "premix_migrations";

    private ScaffoldModel(IReadOnlyList<ScaffoldEntity> entities, IReadOnlyList<ScaffoldEnum> enums, IReadOnlyList<ScaffoldComposite> composites)
    {
        Entities = entities;
        Enums = enums;
        Composites = composites;
    }

    public IReadOnlyList<ScaffoldEntity> Entities { get; }

    /// <summary>The C# enums of the PostgreSQL enum types the scaffolded columns have, one per type.</summary>
    public IReadOnlyList<ScaffoldEnum> Enums { get; }

    /// <summary>The C# classes of the PostgreSQL composite types the scaffolded columns have, one per type the mapping can hold.</summary>
    public IReadOnlyList<ScaffoldComposite> Composites { get; }

    public static ScaffoldModel Build(DatabaseSchema schema, SchemaDialect dialect, ScaffoldOptions options)
    {
        var classNames = new HashSet<string>(StringComparer.Ordinal);
        var entities = new List<ScaffoldEntity>();
        foreach (var (table, isView) in Selected(schema.Tables, options, isView: false).Concat(Selected(schema.Views, options, isView: true)))
        {
            var name = CSharpNames.Pascal(table.Name, "Table");
            name = options.KeepTableNames ? name : CSharpNames.Singular(name);
            entities.Add(new ScaffoldEntity(table, CSharpNames.Unique(CSharpNames.IsReserved(name) ? name + "Entity" : name, classNames), isView));
        }

        // One C# enum per PostgreSQL enum type that a scaffolded column has, alone or as an array's element (the only engine
        // that reads labels back).
        var enums = new Dictionary<string, ScaffoldEnum>(StringComparer.Ordinal);
        foreach (var column in entities.Where(e => !e.IsView && e.Table.PrimaryKey.Count > 0).SelectMany(e => e.Table.Columns).Where(c => c.EnumLabels is not null))
        {
            var type = ScaffoldEnum.TypeOf(column);
            if (!enums.ContainsKey(type))
            {
                var name = CSharpNames.Pascal(type.Split('.')[^1].Trim('"'), "Enum");
                enums[type] = new ScaffoldEnum(type, CSharpNames.Unique(CSharpNames.IsReserved(name) ? name + "Enum" : name, classNames), column.EnumLabels!);
            }
        }

        // One C# class per PostgreSQL composite type that a scaffolded column has.
        var composites = new Dictionary<string, ScaffoldComposite>(StringComparer.Ordinal);
        foreach (var column in entities.Where(e => !e.IsView && e.Table.PrimaryKey.Count > 0).SelectMany(e => e.Table.Columns).Where(c => c.CompositeAttributes is not null))
        {
            if (!composites.ContainsKey(column.StoreType))
            {
                var name = CSharpNames.Pascal(column.StoreType.Split('.')[^1].Trim('"'), "Composite");
                composites[column.StoreType] = new ScaffoldComposite(column.StoreType, CSharpNames.Unique(CSharpNames.IsReserved(name) ? name + "Type" : name, classNames), column.CompositeAttributes!, dialect);
            }
        }

        foreach (var entity in entities)
        {
            entity.MapName = CSharpNames.Unique(entity.ClassName + "Map", classNames);
            entity.AddColumns(dialect, enums, composites);
        }

        var relations = entities.SelectMany(e => Candidates(e, entities)).ToList();
        BreakCycles(relations);
        foreach (var dependent in entities)
        {
            Name(dependent, relations.Where(r => r.Dependent == dependent).ToList());
        }

        return new ScaffoldModel(entities, enums.Values.ToList(), composites.Values.Where(c => c.Refused is null).ToList());
    }

    private static IEnumerable<(TableSchema Table, bool IsView)> Selected(IReadOnlyList<TableSchema> tables, ScaffoldOptions options, bool isView) => tables
        .Where(t => options.Tables.Count == 0 ? isView || !SchemaNames.Same(t.Name, HistoryTable) : options.Tables.Any(n => SchemaNames.Same(n, t.Name) || SchemaNames.Same(n, t.DisplayName)))
        .OrderBy(t => t.Schema ?? string.Empty, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (t, isView));

    // The foreign keys of a mapped table that can be relations; the others get a note saying why not.
    private static IEnumerable<Candidate> Candidates(ScaffoldEntity dependent, List<ScaffoldEntity> entities)
    {
        if (!dependent.IsMapped)
        {
            yield break;
        }

        foreach (var key in dependent.Table.ForeignKeys.OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            var principal = entities.FirstOrDefault(e => !e.IsView && SchemaNames.Same(e.Table.Name, key.PrincipalTable) && SchemaNames.SameSchema(e.Table.Schema, key.PrincipalSchema));
            var columns = new List<ScaffoldProperty>();
            var reason = principal is null ? $"the table {key.PrincipalTable} is not scaffolded"
                : !principal.IsMapped ? $"{principal.ClassName} is not mapped"
                : Mismatch(dependent, key, principal, columns);
            if (reason is not null)
            {
                dependent.Notes.Add($"The foreign key {key.Name} is not mapped as a relation: {reason}.");
                continue;
            }

            var onDelete = key.OnDelete;
            if (onDelete == ReferentialAction.SetNull && columns.FirstOrDefault(c => !c.IsNullable) is { } notNull)
            {
                dependent.Notes.Add($"The foreign key {key.Name} deletes with SET NULL, but its column {notNull.Column.Name} is NOT NULL (such a delete fails): it is mapped without OnDelete.");
                onDelete = ReferentialAction.NoAction;
            }

            yield return new Candidate(dependent, key, columns, principal!, onDelete);
        }
    }

    // Why the key's columns cannot follow the principal's key, or null with its properties paired with the key's parts in
    // the key's order (a constraint may list a composite key's columns in another order than the primary key does).
    private static string? Mismatch(ScaffoldEntity dependent, ForeignKeySchema key, ScaffoldEntity principal, List<ScaffoldProperty> columns)
    {
        if (key.PrincipalColumns.Count != principal.Key.Count || principal.Key.Any(k => !key.PrincipalColumns.Any(c => SchemaNames.Same(c, k.Column.Name))))
        {
            return $"it references {string.Join(", ", key.PrincipalColumns)}, not the key of {principal.ClassName}";
        }

        foreach (var part in principal.Key)
        {
            var name = key.Columns[key.PrincipalColumns.ToList().FindIndex(c => SchemaNames.Same(c, part.Column.Name))];
            if (dependent.Find(name) is not { } column)
            {
                return $"its column {name} is left out";
            }

            if (column.Type.Type != part.Type.Type)
            {
                return $"{column.Name} is {CSharpNames.TypeName(column.Type.Type)} but the key {principal.ClassName}.{part.Name} is {CSharpNames.TypeName(part.Type.Type)}";
            }

            columns.Add(column);
        }

        return null;
    }

    // Premix needs an order in which every principal is inserted before its dependents. Where foreign keys go round in a
    // cycle (store.manager_staff_id -> staff, staff.store_id -> store), one of them stays a plain property, as the startup
    // error's fix says: an optional one if the cycle has one, else the last by table and constraint name.
    private static void BreakCycles(List<Candidate> relations)
    {
        while (FindCycle(relations) is { } cycle)
        {
            var broken = cycle.OrderBy(c => c.Columns.Any(p => p.IsNullable) ? 1 : 0)
                .ThenBy(c => c.Dependent.Table.Schema ?? string.Empty, StringComparer.Ordinal).ThenBy(c => c.Dependent.Table.Name, StringComparer.Ordinal)
                .ThenBy(c => c.Key.Name, StringComparer.Ordinal)
                .Last();
            relations.Remove(broken);
            var from = cycle.IndexOf(broken);
            var path = string.Join(" -> ", cycle.Skip(from).Concat(cycle.Take(from)).Select(c => c.Dependent.Table.Name).Append(broken.Dependent.Table.Name));
            broken.Dependent.Notes.Add(
                $"The foreign key {broken.Key.Name} is not mapped as a relation: it closes a cycle of required parents ({path}), for which no insert order exists. "
                + (broken.Columns.Count == 1 ? $"{broken.Columns[0].Name} stays a plain property" : $"{string.Join(" and ", broken.Columns.Select(c => c.Name))} stay plain properties")
                + ", without navigations: set " + (broken.Columns.Count == 1 ? "it" : "them") + " once both rows exist.");
        }
    }

    // A cycle of relations between different tables (each dependent needs its principal first), as its relations in order.
    private static List<Candidate>? FindCycle(List<Candidate> relations)
    {
        var done = new HashSet<ScaffoldEntity>();
        var path = new List<Candidate>();
        List<Candidate>? Visit(ScaffoldEntity entity, HashSet<ScaffoldEntity> visiting)
        {
            if (done.Contains(entity))
            {
                return null;
            }

            visiting.Add(entity);
            foreach (var relation in relations.Where(r => r.Dependent == entity && r.Principal != entity))
            {
                path.Add(relation);
                if (visiting.Contains(relation.Principal))
                {
                    return path.SkipWhile(r => r.Dependent != relation.Principal).ToList();
                }

                if (Visit(relation.Principal, visiting) is { } cycle)
                {
                    return cycle;
                }

                path.RemoveAt(path.Count - 1);
            }

            visiting.Remove(entity);
            done.Add(entity);
            return null;
        }

        foreach (var entity in relations.Select(r => r.Dependent).Distinct())
        {
            if (Visit(entity, []) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static void Name(ScaffoldEntity dependent, List<Candidate> found)
    {
        foreach (var (_, key, columns, principal, onDelete) in found)
        {
            // A composite key has no one column to name the reference after: it takes the principal's name.
            var column = columns[0];
            var reference = columns.Count == 1 && column.Name.Length > 2 && column.Name.EndsWith("Id", StringComparison.Ordinal) ? column.Name[..^2] : principal.ClassName;
            if (reference == dependent.ClassName || dependent.Members.Contains(reference))
            {
                reference = (columns.Count == 1 ? column.Name : string.Concat(columns.Select(c => c.Name))) + principal.ClassName;
            }

            reference = CSharpNames.Unique(reference, dependent.Members);
            var several = found.Count(f => f.Principal == principal) > 1;
            var collection = CSharpNames.Plural(several ? reference + dependent.ClassName : dependent.ClassName);
            collection = CSharpNames.Unique(collection == principal.ClassName ? collection + "List" : collection, principal.Members);
            var relation = new ScaffoldRelation(dependent, columns, principal, reference, collection, onDelete);
            dependent.References.Add(relation);
            principal.Collections.Add(relation);
        }
    }

    private sealed record Candidate(ScaffoldEntity Dependent, ForeignKeySchema Key, IReadOnlyList<ScaffoldProperty> Columns, ScaffoldEntity Principal, ReferentialAction OnDelete);
}
