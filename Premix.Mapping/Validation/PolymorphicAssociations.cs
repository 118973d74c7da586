namespace Premix.Mapping;

/// <summary>
/// Checks what is particular to a <c>BelongsToOneOf</c> navigation; each of its targets is otherwise a <c>BelongsTo</c>
/// relation, checked (mapped target, mapped foreign key of the key's type) and merged with the others.
/// </summary>
internal static class PolymorphicAssociations
{
    public static void Validate(List<EntityDraft> drafts, Dictionary<Type, EntityModel> byType, List<MappingProblem> problems)
    {
        foreach (var draft in drafts)
        {
            foreach (var polymorphic in draft.Polymorphics)
            {
                Validate(draft, polymorphic, byType.GetValueOrDefault(draft.ClrType), problems);
            }
        }
    }

    private static void Validate(EntityDraft draft, PolymorphicDraft polymorphic, EntityModel? entity, List<MappingProblem> problems)
    {
        var navigation = polymorphic.Navigation.Name;
        void Problem(string problem, string fix) => problems.Add(new MappingProblem(draft.ClrType.Name, navigation, $"{problem} ({draft.Source}: {polymorphic.Source}).", fix));

        if (polymorphic.Targets.Count < 2)
        {
            Problem(
                $"is declared with BelongsToOneOf and {polymorphic.Targets.Count} target{(polymorphic.Targets.Count == 1 ? string.Empty : "s")}, but a polymorphic navigation needs two or more",
                (polymorphic.Targets.Count, polymorphic.TypeProperty) switch
                {
                    (0, null) => $"Name each target and its foreign key: .Via<Post>(x => x.PostId).Via<Photo>(x => x.PhotoId).",
                    (_, null) => $"Add the other targets with .Via<TTarget>(x => x.TargetId), or declare a plain relation: BelongsTo(x => x.{navigation}).WithForeignKey(...).",
                    _ => $"Name each target and its type name: .As<Post>(\"Post\").As<Photo>(\"Photo\").",
                });
        }

        foreach (var twice in polymorphic.Targets.GroupBy(t => t.Target).Where(g => g.Count() > 1))
        {
            Problem(
                $"names {twice.Key.Name} as a target {twice.Count()} times, so a {twice.Key.Name} could go in either foreign key",
                $"Keep one Via<{twice.Key.Name}>(...) and remove the others.");
        }

        if (polymorphic.TypeProperty is not null)
        {
            ValidateTypeAndId(polymorphic, entity, Problem);
            return;
        }

        if (entity is null)
        {
            return; // the entity failed earlier; its problems are already listed
        }

        // Exactly one key is set, so every key must accept NULL; an unmapped key is reported when the relation is merged.
        foreach (var target in polymorphic.Targets)
        {
            if (entity.FindProperty(target.ForeignKey![0].Name) is { IsRequired: true } key)
            {
                var type = EntityModelFactory.TypeName(key.Property.PropertyType);
                Problem(
                    $"uses {entity.Name}.{key.Name} ({type}) as the foreign key to {target.Target.Name}, but it is required, and only one target's key is set at a time",
                    $"Make {entity.Name}.{key.Name} nullable ({(key.Property.PropertyType.IsValueType ? type + "?" : type + "? without IsRequired()")}).");
            }
        }
    }

    // A type+id pair: a mapped type column, names that tell the targets apart; each target's key type is checked when its relation is merged.
    private static void ValidateTypeAndId(PolymorphicDraft polymorphic, EntityModel? entity, Action<string, string> problem)
    {
        var typeProperty = polymorphic.TypeProperty!;
        if (polymorphic.Targets.Any(t => t.TypeName is null))
        {
            problem(
                "mixes Via<TTarget>(...) with ByTypeAndId(...), but a navigation is either one foreign key per target or one type+id pair",
                "Keep one form: Via<TTarget>(x => x.TargetId) for each target, or ByTypeAndId(...).As<TTarget>(\"Name\") for each.");
        }

        foreach (var blank in polymorphic.Targets.Where(t => t.TypeName is { } name && string.IsNullOrWhiteSpace(name)))
        {
            problem($"names {blank.Target.Name} with an empty type name", $"Give {blank.Target.Name} the type column's value for it: As<{blank.Target.Name}>(\"{blank.Target.Name}\").");
        }

        // Case aside: MySQL and MariaDB compare text without case by default, so 'Photo' and 'photo' would be one name there.
        foreach (var twice in polymorphic.Targets.Where(t => t.TypeName is not null).GroupBy(t => t.TypeName, StringComparer.OrdinalIgnoreCase).Where(g => g.Select(t => t.Target).Distinct().Count() > 1))
        {
            problem(
                $"gives the type name '{twice.Key}' to {string.Join(" and ", twice.Select(t => t.Target.Name).Distinct())} (type names are compared without case here), so a row could not tell which it points at",
                "Give each target a type name of its own.");
        }

        if (entity is null)
        {
            return; // the entity failed earlier; its problems are already listed
        }

        if (entity.FindProperty(typeProperty.Name) is not { } type)
        {
            problem($"uses {entity.Name}.{typeProperty.Name} as its type column, but that property is not mapped", $"Map {entity.Name}.{typeProperty.Name} as a column (do not Ignore it).");
        }
        else if (type.MaxLength is { } length && polymorphic.Targets.FirstOrDefault(t => t.TypeName?.Length > length) is { } longer)
        {
            problem(
                $"names {longer.Target.Name} '{longer.TypeName}', longer than {entity.Name}.{type.Name} holds (HasMaxLength({length}))",
                $"Raise HasMaxLength on {entity.Name}.{type.Name}, or choose a shorter type name.");
        }
    }

    /// <summary>
    /// Reports a plain relation (<c>HasMany</c>, <c>HasOne</c>, <c>BelongsTo</c>) over the id column of a type+id pair: it
    /// would follow the id alone, whatever the type column says, and make the id a real foreign key to one target's table.
    /// </summary>
    public static void ReportRelationsOverTypeAndIdKeys(List<RelationDeclaration> declarations, List<MappingProblem> problems)
    {
        // Keys of a class, not tuples (the rule: ModelBuilder's TableName).
        var typed = declarations.Where(d => d.Relation.TypeName is not null).Select(d => new TypedKey(d.Dependent.ClrType, d.Relation.ForeignKeyName)).ToHashSet();
        foreach (var plain in declarations.Where(d => d.Relation.TypeName is null && typed.Contains(new TypedKey(d.Dependent.ClrType, d.Relation.ForeignKeyName))))
        {
            problems.Add(new MappingProblem(
                plain.Draft.ClrType.Name,
                plain.Relation.Navigation?.Name,
                $"is declared over {plain.Dependent.Name}.{plain.Relation.ForeignKeyName}, the id column of a type+id pair (ByTypeAndId), but it would ignore the type column ({plain}).",
                $"Remove this relation and query {plain.Dependent.Name} by its type and id columns instead, or map the association with one foreign key per target (Via<TTarget>(...)), whose keys plain relations can follow."));
        }
    }

    private sealed record TypedKey(Type Dependent, string? ForeignKeyName);
}
