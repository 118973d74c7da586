using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// Table per hierarchy (<c>HasDiscriminator</c>): gives each type a base declares a draft that inherits the base's, then
/// links the built models to their discriminator, and reports every problem of the hierarchy with the model's others.
/// </summary>
internal static class Hierarchies
{
    /// <summary>Before the models are built: every type named by <c>HasValue</c> gets a draft chained to the mapped class above it.</summary>
    public static void Prepare(List<EntityDraft> drafts, List<MappingProblem> problems)
    {
        foreach (var root in drafts.Where(d => d.Discriminator is not null).ToList())
        {
            var discriminator = root.Discriminator!;
            var entity = root.ClrType.Name;
            foreach (var duplicate in discriminator.Values.GroupBy(v => v.Value).Where(g => g.Count() > 1))
            {
                problems.Add(new MappingProblem(entity, discriminator.Property.Name, $"gives the discriminator value '{duplicate.Key}' to {string.Join(" and ", duplicate.Select(v => v.Type.Name))}, so a row could not tell which class it is.", "Give each class its own value in HasValue<T>(...)."));
            }

            foreach (var twice in discriminator.Values.GroupBy(v => v.Type).Where(g => g.Count() > 1))
            {
                problems.Add(new MappingProblem(entity, discriminator.Property.Name, $"gives {twice.Key.Name} two discriminator values ({string.Join(", ", twice.Select(v => v.Value))}).", $"Call HasValue<{twice.Key.Name}>(...) once."));
            }

            foreach (var declared in discriminator.Values.DistinctBy(v => v.Type))
            {
                var (type, value) = (declared.Type, declared.Value);
                if (type.IsAbstract)
                {
                    problems.Add(new MappingProblem(type.Name, null, $"is abstract but has the discriminator value '{value}'; no row can be built as an abstract class.", $"Remove HasValue<{type.Name}>(...), or make {type.Name} concrete."));
                }

                // The values are written into the SQL that filters a subtype's rows: a quote or backslash would need escaping per engine.
                if (value is string text && (text.Length == 0 || text.Any(c => c is '\'' or '\\' || char.IsControl(c))))
                {
                    problems.Add(new MappingProblem(type.Name, null, $"has the discriminator value '{text}', which is empty or holds a quote, a backslash or a control character.", "Use a plain word such as \"dog\"."));
                }

                if (type != root.ClrType)
                {
                    Chain(declared.Type, root, drafts, problems);
                }
            }

            var valued = discriminator.Values.Select(v => v.Type).ToHashSet();
            foreach (var missing in ConcreteClasses(root.ClrType, drafts).Where(t => !valued.Contains(t)))
            {
                problems.Add(new MappingProblem(missing.Name, null, $"is a concrete class of {entity}'s hierarchy but has no discriminator value, so Premix could neither write nor read it.", $"Add .HasValue<{missing.Name}>(\"...\") to {entity}'s HasDiscriminator, or make {missing.Name} abstract."));
            }
        }
    }

    /// <summary>
    /// After the models are built: links each model of a hierarchy to its discriminator and values, and gives each subclass
    /// the relations of the classes above it before its own.
    /// </summary>
    public static void Link(List<EntityDraft> drafts, List<EntityModel> entities, List<MappingProblem> problems)
    {
        var byType = entities.ToDictionary(e => e.ClrType);
        foreach (var root in drafts.Where(d => d.Discriminator is not null))
        {
            var members = drafts.Where(d => d.Root == root).Select(d => byType[d.ClrType]).ToList();
            var declared = members.ToDictionary(e => e.ClrType, e => e.Relations);
            var values = root.Discriminator!.Values.DistinctBy(v => v.Type).ToDictionary(v => v.Type, v => v.Value);
            foreach (var entity in members)
            {
                var discriminator = entity.Properties.FirstOrDefault(p => p.Property == root.Discriminator.Property);
                if (discriminator is null || discriminator.IsKey || discriminator.IsVersion || discriminator.IsSoftDeleteMarker || !IsDiscriminatorType(discriminator.ValueType))
                {
                    if (entity.ClrType == root.ClrType)
                    {
                        problems.Add(new MappingProblem(entity.Name, root.Discriminator.Property.Name, "is the discriminator but is not a plain mapped column of a string, integer or enum type (it is ignored, of another type, or the key, version or soft-delete marker).", "Use a string, integer or enum property of its own for HasDiscriminator(...)."));
                    }

                    continue;
                }

                entity.Inheritance = new InheritanceModel(root.ClrType, entity.ClrType == root.ClrType, discriminator, values.GetValueOrDefault(entity.ClrType), values.Where(v => entity.ClrType.IsAssignableFrom(v.Key)).ToDictionary());
                if (entity.ClrType != root.ClrType)
                {
                    entity.Relations = drafts.First(d => d.ClrType == entity.ClrType).Chain.Reverse().SelectMany(d => declared[d.ClrType]).ToList();
                }
            }

            FindClashingColumns(members, problems);
        }
    }

    // Its values are written into SQL as literals: text or a number, nothing an engine would spell its own way.
    private static bool IsDiscriminatorType(Type type) =>
        type == typeof(string) || type.IsEnum || type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte);

    // The same column may serve two subclasses (Dog.Name and Cat.Name) only when both would store it alike.
    private static void FindClashingColumns(List<EntityModel> members, List<MappingProblem> problems)
    {
        var declared = members.SelectMany(e => e.Properties.Where(p => p.IsDeclaredBySubtype)).DistinctBy(p => p.Property).ToList();
        foreach (var column in declared.GroupBy(p => p.Column, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var first = column.First();
            foreach (var other in column.Skip(1).Where(p => p.ValueType != first.ValueType || p.MaxLength != first.MaxLength || p.Precision != first.Precision || p.Scale != first.Scale || p.EnumStorage != first.EnumStorage || p.ColumnType != first.ColumnType))
            {
                problems.Add(new MappingProblem(
                    other.Property.DeclaringType!.Name,
                    other.Name,
                    $"maps the column '{column.Key}' as {EntityModelFactory.TypeName(other.Property.PropertyType)}, which {first.Property.DeclaringType!.Name}.{first.Name} maps as {EntityModelFactory.TypeName(first.Property.PropertyType)} (or with another length, precision or column type) in the same table.",
                    "Give one of them another column with HasColumnName(...), or declare both alike."));
            }
        }
    }

    // A subtype's draft (its own mapping class, or an empty one) chained to the nearest class above it that is mapped.
    private static void Chain([DynamicallyAccessedMembers(EntityModel.Members)] Type type, EntityDraft root, List<EntityDraft> drafts, List<MappingProblem> problems)
    {
        var draft = drafts.FirstOrDefault(d => d.ClrType == type);
        if (draft is null)
        {
            draft = new EntityDraft(type);
            drafts.Add(draft);
        }
        else
        {
            RefuseOwnTable(draft, root, problems);
        }

        var parent = type.BaseType;
        while (parent is not null && parent != root.ClrType && (!root.Discriminator!.Values.Any(v => v.Type == parent) || !drafts.Any(d => d.ClrType == parent)))
        {
            parent = parent.BaseType;
        }

        draft.Base = parent is null ? root : drafts.FirstOrDefault(d => d.ClrType == parent) ?? root;
    }

    private static void RefuseOwnTable(EntityDraft draft, EntityDraft root, List<MappingProblem> problems)
    {
        var own = new List<string>();
        own.AddRange(draft.Table is null && draft.Schema is null ? [] : ["ToTable"]);
        own.AddRange(draft.Key is null && draft.KeyGeneration is null ? [] : ["HasKey"]);
        own.AddRange(draft.Version is null ? [] : ["Version"]);
        own.AddRange(draft.SoftDelete is null ? [] : ["SoftDelete"]);
        own.AddRange(draft.Indexes.Count == 0 ? [] : ["HasIndex"]);
        own.AddRange(draft.QueryFilters.Count == 0 ? [] : ["HasQueryFilter"]);
        own.AddRange(draft.UnmappedColumns.Count == 0 ? [] : ["HasUnmappedColumn"]);
        own.AddRange(draft.Discriminator is null ? [] : ["HasDiscriminator"]);
        if (own.Count > 0)
        {
            problems.Add(new MappingProblem(draft.ClrType.Name, null, $"shares {root.ClrType.Name}'s table (HasDiscriminator) but {draft.Source} declares {string.Join(", ", own)}, which belong to the whole table.", $"Declare them in {root.Source}; a subclass's mapping configures only its own properties."));
        }
    }

    // Every concrete class of the hierarchy Premix could meet: subclasses in the base's assembly and mapped ones elsewhere.
    // The scan only looks for a mistake (a concrete class without a discriminator value); it never adds a class to the model.
    // A class trimming removed is never created, so never written or read, and missing it reports no false problem. Under
    // native AOT, whose metadata may not list every class the code creates, a table-per-hierarchy model is refused at startup
    // anyway (the generated model does not cover it, docs/aot.md), so what the scan misses there changes no outcome.
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = "Looks for a mapping mistake only; see the comment above.")]
    private static IEnumerable<Type> ConcreteClasses(Type root, List<EntityDraft> drafts)
    {
        Type?[] types;
        try
        {
            types = root.Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }

        return types.OfType<Type>().Concat(drafts.Select(d => d.ClrType)).Concat([root])
            .Where(t => !t.IsAbstract && root.IsAssignableFrom(t) && !t.IsGenericTypeDefinition)
            .Distinct();
    }
}
