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
        PolymorphicAssociations.Validate(drafts, byType, problems);
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
        PolymorphicAssociations.ReportRelationsOverTypeAndIdKeys(declarations, problems);
        var foreignKeys = new List<ForeignKeyModel>();
        var ends = new Dictionary<RelationDraft, RelationModel>();
        foreach (var group in declarations.GroupBy(d => new ForeignKeyId(d.Dependent.ClrType, d.Relation.ForeignKeyName, d.Relation.TypeName)))
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

        var unmapped = relation.ForeignKey!.Where(p => dependent.FindProperty(p.Name) is null).Select(p => $"{dependent.Name}.{p.Name}").ToList();
        if (unmapped.Count > 0)
        {
            Problem($"uses {string.Join(" and ", unmapped)} as foreign key, but {(unmapped.Count == 1 ? "that property is" : "those properties are")} not mapped.", $"Map {string.Join(" and ", unmapped)} as {(unmapped.Count == 1 ? "a column" : "columns")} (do not Ignore {(unmapped.Count == 1 ? "it" : "them")}).");
            return null;
        }

        var foreignKey = relation.ForeignKey!.Select(p => dependent.FindProperty(p.Name)!).ToList();
        if (foreignKey.Count != principal.Key.Count)
        {
            var keyNames = ForeignKeyModel.Describe(principal.Key.Select(k => k.Name).ToList());
            Problem(
                $"has a foreign key of {foreignKey.Count} propert{(foreignKey.Count == 1 ? "y" : "ies")} ({dependent.Name}.{relation.ForeignKeyName}), but the key of {principal.Name} has {principal.Key.Count} ({principal.Name}.{keyNames}).",
                $"Name one property of {dependent.Name} per part of {principal.Name}'s key, in the order of its HasKey: WithForeignKey(x => new {{ {string.Join(", ", principal.Key.Select(k => "x." + k.Name))} }}) with properties of {dependent.Name} of the key's types.");
            return null;
        }

        // Every part whose type differs, in one problem: a composite key is fixed as a whole.
        var mismatches = new List<int>(); // a loop: LINQ over int is JIT-compiled at every start (see ForeignKeyId)
        for (var i = 0; i < foreignKey.Count; i++)
        {
            if (foreignKey[i].ValueType != principal.Key[i].ValueType)
            {
                mismatches.Add(i);
            }
        }

        if (mismatches.Count > 0)
        {
            Problem(
                string.Join("; ", mismatches.Select(i => $"has foreign key {dependent.Name}.{foreignKey[i].Name} of type {EntityModelFactory.TypeName(foreignKey[i].Property.PropertyType)}, but the key {principal.Name}.{principal.Key[i].Name} is {principal.Key[i].ValueType.Name}")) + ".",
                string.Join("; ", mismatches.Select(i => $"Change {dependent.Name}.{foreignKey[i].Name} to {principal.Key[i].ValueType.Name} (or {principal.Key[i].ValueType.Name}? for an optional relation)")) + ".");
            return null;
        }

        // Either end may state the action; ForeignKeyConflicts has refused two different ones.
        var onDelete = declared.Find(d => d.Relation.OnDelete is not null)?.Relation.OnDelete ?? ReferentialAction.NoAction;
        if (onDelete == ReferentialAction.SetNull && foreignKey.Any(p => p.IsRequired))
        {
            var required = string.Join(" and ", foreignKey.Where(p => p.IsRequired).Select(p => $"{dependent.Name}.{p.Name}"));
            Problem($"deletes with SetNull, but the foreign key {required} is required.", $"Make {required} nullable, or choose OnDelete(ReferentialAction.Cascade) or NoAction.");
            return null;
        }

        // A type+id pair's key is this target's only when the type column names it; the type property was checked with the navigation.
        if (relation.TypeName is not null)
        {
            return dependent.FindProperty(relation.Polymorphic!.TypeProperty!.Name) is { } type
                ? new ForeignKeyModel(principal.ClrType, dependent.ClrType, foreignKey, principal.Key, onDelete, type, relation.TypeName)
                : null;
        }

        return new ForeignKeyModel(principal.ClrType, dependent.ClrType, foreignKey, principal.Key, onDelete);
    }

    // One end per side: a declaration repeated (or a BelongsTo<T>() beside a BelongsTo with a navigation) adds nothing.
    private static void AddEnds(List<RelationDeclaration> declared, ForeignKeyModel foreignKey, Dictionary<RelationDraft, RelationModel> ends)
    {
        foreach (var side in new[] { declared.FindAll(d => d.Relation.Kind != RelationKind.BelongsTo), declared.FindAll(d => d.Relation.Kind == RelationKind.BelongsTo) })
        {
            if (side.Count == 0)
            {
                continue;
            }

            // The first declaration with a navigation, and of those the first polymorphic one (a loop: see ForeignKeyId).
            var relation = side[0].Relation;
            foreach (var declaration in side)
            {
                if (Preference(declaration.Relation) < Preference(relation))
                {
                    relation = declaration.Relation;
                }
            }

            var end = new RelationModel(relation.Kind, relation.Target, relation.Navigation, foreignKey, relation.Polymorphic is not null);
            foreach (var declaration in side)
            {
                ends[declaration.Relation] = end;
            }
        }

        static int Preference(RelationDraft relation) => (relation.Navigation is null ? 2 : 0) + (relation.Polymorphic is null ? 1 : 0);
    }

    // A class, not a tuple (the rule: ModelBuilder's TableName).
    private sealed record ForeignKeyId(Type Dependent, string? ForeignKeyName, string? TypeName);

    private static EntityModel Rebuild(EntityModel entity, List<RelationModel> relations) =>
        new(entity.ClrType, entity.Table, entity.Schema, entity.Properties)
        {
            Relations = relations,
            Indexes = entity.Indexes,
            UnmappedColumns = entity.UnmappedColumns,
            Rules = entity.Rules,
            Hooks = entity.Hooks,
            QueryFilters = entity.QueryFilters,
        };
}

/// <summary>One relation as a mapping class declared it, with both of its entities resolved.</summary>
internal sealed record RelationDeclaration(EntityDraft Draft, RelationDraft Relation, EntityModel Principal, EntityModel Dependent)
{
    /// <summary>Where the declaration is and what it says, as the user wrote it: <c>CustomerMap: HasMany(c =&gt; c.Orders).WithForeignKey(o =&gt; o.CustomerId)</c>.</summary>
    public override string ToString() => $"{Draft.Source}: {Relation}";
}
