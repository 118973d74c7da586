namespace Premix.Mapping;

/// <summary>
/// Checks relations across entities (they can only be checked once every entity is known), merges the declarations of
/// each foreign key into one <see cref="ForeignKeyModel"/> and attaches the declared ends to their entities.
/// </summary>
internal static class RelationValidator
{
    /// <summary>The model's foreign keys, one per foreign-key property; a key whose declarations contradict each other is reported instead.</summary>
    public static List<ForeignKeyModel> Validate(List<EntityDraft> drafts, List<EntityModel> entities, List<MappingProblem> problems)
    {
        var byType = entities.ToDictionary(e => e.ClrType);
        var declarations = new List<RelationDeclaration>();
        foreach (var draft in drafts)
        {
            foreach (var relation in draft.Relations)
            {
                if (Resolve(draft, relation, byType, problems) is { } declaration)
                {
                    declarations.Add(declaration);
                }
            }
        }

        ForeignKeyConflicts.ReportNavigationsWithTwoKeys(declarations, problems);
        var foreignKeys = new List<ForeignKeyModel>();
        var ends = new Dictionary<RelationDraft, RelationModel>();
        foreach (var group in declarations.GroupBy(d => (d.Dependent.ClrType, d.Relation.ForeignKey!.Name)))
        {
            var declared = group.ToList();
            if (!ForeignKeyConflicts.Report(declared, problems) && Merge(declared, problems) is { } foreignKey)
            {
                foreignKeys.Add(foreignKey);
                AddEnds(declared, foreignKey, ends);
            }
        }

        for (var i = 0; i < drafts.Count; i++)
        {
            var relations = drafts[i].Relations.Select(ends.GetValueOrDefault).OfType<RelationModel>().Distinct().ToList();
            entities[i] = Rebuild(entities[i], relations);
        }

        return foreignKeys;
    }

    // What can be checked on one declaration alone: the other end is mapped and the foreign key is named.
    private static RelationDeclaration? Resolve(EntityDraft draft, RelationDraft relation, Dictionary<Type, EntityModel> byType, List<MappingProblem> problems)
    {
        if (!byType.TryGetValue(relation.Target, out var target))
        {
            problems.Add(new MappingProblem(draft.ClrType.Name, relation.Navigation?.Name, $"relates to {relation.Target.Name}, which is not mapped.", $"Add a ModelConfiguration<{relation.Target.Name}>."));
            return null;
        }

        if (relation.ForeignKey is null)
        {
            problems.Add(new MappingProblem(draft.ClrType.Name, relation.Navigation?.Name, $"declares {relation.Kind} {relation.Target.Name} without a foreign key.", "Complete it with .WithForeignKey(x => x.ParentId)."));
            return null;
        }

        if (byType.GetValueOrDefault(draft.ClrType) is not { } declaring)
        {
            return null; // the entity itself failed earlier; its problems are already listed
        }

        return relation.Kind == RelationKind.BelongsTo
            ? new RelationDeclaration(draft, relation, target, declaring)
            : new RelationDeclaration(draft, relation, declaring, target);
    }

    // The checks of the key itself, once per key however many ends declare it, reported where it was first declared.
    private static ForeignKeyModel? Merge(List<RelationDeclaration> declared, List<MappingProblem> problems)
    {
        var (draft, relation, principal, dependent) = declared[0];
        void Problem(string problem, string fix) => problems.Add(new MappingProblem(draft.ClrType.Name, relation.Navigation?.Name, problem, fix));

        var foreignKey = dependent.FindProperty(relation.ForeignKey!.Name);
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

        // Either end may state the action; ForeignKeyConflicts has refused two different ones.
        var onDelete = declared.Select(d => d.Relation.OnDelete).FirstOrDefault(a => a is not null) ?? ReferentialAction.NoAction;
        if (onDelete == ReferentialAction.SetNull && foreignKey.IsRequired)
        {
            Problem($"deletes with SetNull, but the foreign key {dependent.Name}.{foreignKey.Name} is required.", $"Make {dependent.Name}.{foreignKey.Name} nullable, or choose OnDelete(ReferentialAction.Cascade) or NoAction.");
            return null;
        }

        return new ForeignKeyModel(principal.ClrType, dependent.ClrType, foreignKey, principal.Key[0], onDelete);
    }

    // One end per side: a declaration repeated (or a BelongsTo<T>() beside a BelongsTo with a navigation) adds nothing.
    private static void AddEnds(List<RelationDeclaration> declared, ForeignKeyModel foreignKey, Dictionary<RelationDraft, RelationModel> ends)
    {
        foreach (var side in declared.GroupBy(d => d.Relation.Kind == RelationKind.BelongsTo))
        {
            var relation = side.Select(d => d.Relation).OrderBy(r => r.Navigation is null).First();
            var end = new RelationModel(relation.Kind, relation.Target, relation.Navigation, foreignKey);
            foreach (var declaration in side)
            {
                ends[declaration.Relation] = end;
            }
        }
    }

    private static EntityModel Rebuild(EntityModel entity, List<RelationModel> relations) =>
        new(entity.ClrType, entity.Table, entity.Schema, entity.Properties)
        {
            Relations = relations,
            Indexes = entity.Indexes,
            UnmappedColumns = entity.UnmappedColumns,
            Rules = entity.Rules,
            Hooks = entity.Hooks,
        };
}

/// <summary>One relation as a mapping class declared it, with both of its entities resolved.</summary>
internal sealed record RelationDeclaration(EntityDraft Draft, RelationDraft Relation, EntityModel Principal, EntityModel Dependent)
{
    /// <summary>Where the declaration is and what it says, as the user wrote it: <c>CustomerMap: HasMany(c =&gt; c.Orders).WithForeignKey(o =&gt; o.CustomerId)</c>.</summary>
    public override string ToString() => $"{Draft.Source}: {Relation}";
}
