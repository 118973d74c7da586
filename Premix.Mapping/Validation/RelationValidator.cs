namespace Premix.Mapping;

/// <summary>Checks relations across entities (they can only be checked once every entity is known) and attaches them to their models.</summary>
internal static class RelationValidator
{
    public static void Validate(List<EntityDraft> drafts, List<EntityModel> entities, List<MappingProblem> problems)
    {
        var byType = entities.ToDictionary(e => e.ClrType);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var relations = new List<RelationModel>();
            foreach (var relation in draft.Relations)
            {
                if (Check(draft, relation, byType, problems) is { } model)
                {
                    relations.Add(model);
                }
            }

            entities[i] = Rebuild(entities[i], relations);
        }
    }

    private static RelationModel? Check(EntityDraft draft, RelationDraft relation, Dictionary<Type, EntityModel> byType, List<MappingProblem> problems)
    {
        var entity = draft.ClrType.Name;
        var where = relation.Navigation?.Name;
        void Problem(string problem, string fix) => problems.Add(new MappingProblem(entity, where, problem, fix));

        if (!byType.TryGetValue(relation.Target, out var target))
        {
            Problem($"relates to {relation.Target.Name}, which is not mapped.", $"Add a ModelConfiguration<{relation.Target.Name}>.");
            return null;
        }

        if (relation.ForeignKey is null)
        {
            Problem($"declares {relation.Kind} {relation.Target.Name} without a foreign key.", "Complete it with .WithForeignKey(x => x.ParentId).");
            return null;
        }

        var (principal, dependent) = relation.Kind != RelationKind.BelongsTo ? (byType.GetValueOrDefault(draft.ClrType), target) : (target, byType.GetValueOrDefault(draft.ClrType));
        if (principal is null || dependent is null)
        {
            return null; // the entity itself failed earlier; its problems are already listed
        }

        var foreignKey = dependent.FindProperty(relation.ForeignKey.Name);
        if (foreignKey is null)
        {
            Problem($"uses {dependent.Name}.{relation.ForeignKey.Name} as foreign key, but that property is not mapped.", $"Map {dependent.Name}.{relation.ForeignKey.Name} as a column (do not Ignore it).");
            return null;
        }

        if (principal.Key.Count != 1)
        {
            Problem($"points at {principal.Name}, whose key has {principal.Key.Count} columns; a single foreign key cannot match it.", $"Give {principal.Name} a single-column key.");
            return null;
        }

        if (foreignKey.ValueType != principal.Key[0].ValueType)
        {
            Problem(
                $"has foreign key {dependent.Name}.{foreignKey.Name} of type {EntityModelFactory.TypeName(foreignKey.Property.PropertyType)}, but the key {principal.Name}.{principal.Key[0].Name} is {principal.Key[0].ValueType.Name}.",
                $"Change {dependent.Name}.{foreignKey.Name} to {principal.Key[0].ValueType.Name} (or {principal.Key[0].ValueType.Name}? for an optional relation).");
            return null;
        }

        if (relation.OnDelete == ReferentialAction.SetNull && foreignKey.IsRequired)
        {
            Problem($"deletes with SetNull, but the foreign key {dependent.Name}.{foreignKey.Name} is required.", $"Make {dependent.Name}.{foreignKey.Name} nullable, or choose OnDelete(ReferentialAction.Cascade) or NoAction.");
            return null;
        }

        return new RelationModel(relation.Kind, relation.Target, relation.Navigation, relation.ForeignKey, relation.OnDelete);
    }

    private static EntityModel Rebuild(EntityModel entity, List<RelationModel> relations) =>
        new(entity.ClrType, entity.Table, entity.Schema, entity.Properties)
        {
            Relations = relations,
            Indexes = entity.Indexes,
            Rules = entity.Rules,
            Hooks = entity.Hooks,
        };
}
