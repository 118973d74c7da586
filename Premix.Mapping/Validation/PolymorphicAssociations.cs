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
                polymorphic.Targets.Count == 0
                    ? $"Name each target and its foreign key: .Via<Post>(x => x.PostId).Via<Photo>(x => x.PhotoId)."
                    : $"Add the other targets with .Via<TTarget>(x => x.TargetId), or declare a plain relation: BelongsTo(x => x.{navigation}).WithForeignKey(...).");
        }

        foreach (var twice in polymorphic.Targets.GroupBy(t => t.Target).Where(g => g.Count() > 1))
        {
            Problem(
                $"names {twice.Key.Name} as a target {twice.Count()} times, so a {twice.Key.Name} could go in either foreign key",
                $"Keep one Via<{twice.Key.Name}>(...) and remove the others.");
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
}
