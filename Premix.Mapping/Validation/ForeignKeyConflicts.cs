using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// Finds declarations of one foreign key that contradict each other. What one end states and the other leaves out is
/// merged; two ends stating different things would make the schema, the unit of work and Include follow whichever
/// declaration happened to be registered first, so each contradiction is a mapping problem naming both declarations.
/// </summary>
internal static class ForeignKeyConflicts
{
    /// <summary>Reports every contradiction among the declarations of one foreign-key property; true when there was one.</summary>
    public static bool Report(List<RelationDeclaration> declared, List<MappingProblem> problems)
    {
        var count = problems.Count;
        var dependent = declared[0].Dependent;
        var key = declared[0].Relation.ForeignKeyName!;
        void Problem(string problem, IEnumerable<RelationDeclaration> involved, string fix) =>
            problems.Add(new MappingProblem(dependent.Name, key, $"{problem}: {List(involved)}.", fix));

        var principals = declared.Select(d => d.Principal).Distinct().ToList();
        if (principals.Count > 1)
        {
            Problem(
                $"is the foreign key of relations to different entities ({Names(principals.Select(p => p.Name))})",
                declared,
                $"A foreign key points at one entity: give each relation a foreign-key property of its own (for example {dependent.Name}.{principals[1].Name}Id).");
            return true; // their navigations and actions differ because they are different relations: saying so again would add nothing
        }

        var principalEnds = declared.Where(d => d.Relation.Kind != RelationKind.BelongsTo).ToList();
        var collections = principalEnds.Where(d => d.Relation.Kind == RelationKind.HasMany).Select(d => d.Relation.Navigation!).Distinct().ToList();
        var singles = principalEnds.Where(d => d.Relation.Kind == RelationKind.HasOne).Select(d => d.Relation.Navigation!).Distinct().ToList();
        if (collections.Count > 0 && singles.Count > 0)
        {
            var principal = principalEnds[0].Principal.Name;
            Problem(
                $"is declared both one-to-many (HasMany) and one-to-one (HasOne)",
                principalEnds,
                $"Keep HasMany(...) if a {principal} can have several {dependent.Name} rows, or HasOne(...) if it has at most one, and leave the other navigation out with e.Ignore(x => x.{singles[0].Name}) or e.Ignore(x => x.{collections[0].Name}).");
        }
        else if (collections.Count + singles.Count > 1)
        {
            TwoNavigations(principalEnds, collections.Concat(singles).Select(n => n.Name).ToList());
        }

        var dependentEnds = declared.Where(d => d.Relation.Kind == RelationKind.BelongsTo).ToList();
        var parents = dependentEnds.Select(d => d.Relation.Navigation).OfType<PropertyInfo>().Distinct().ToList();
        if (parents.Count > 1)
        {
            TwoNavigations(dependentEnds.Where(d => d.Relation.Navigation is not null), parents.Select(n => n.Name).ToList());
        }

        var stating = declared.FindAll(d => d.Relation.OnDelete is not null);
        // Asked only of two statements or more: LINQ over the enum is JIT-compiled at every start (see NavigationOf).
        var actions = stating.Count < 2 ? null : stating.Select(d => d.Relation.OnDelete!.Value).Distinct().ToList();
        if (actions is { Count: > 1 })
        {
            var principal = declared[0].Principal.Name;
            Problem(
                $"is one foreign key declared with different delete actions ({Names(actions.Select(a => a.ToString()))})",
                stating,
                $"State OnDelete on one end only, or the same action on both ({string.Join("; ", actions.Select(a => Effect(a, principal, dependent.Name, key)))}): "
                + "keep .OnDelete(...) on the declaration that says what you mean and remove it from the other.");
        }

        return problems.Count > count;

        void TwoNavigations(IEnumerable<RelationDeclaration> involved, List<string> navigations)
        {
            var owner = involved.First().Draft.ClrType.Name;
            Problem(
                $"is one foreign key with {navigations.Count} navigations on {owner} ({Names(navigations)})",
                involved,
                $"Keep one navigation per end and leave the others out with e.Ignore(x => x.{navigations[1]}), or give each relation a foreign-key property of its own.");
        }
    }

    /// <summary>Reports each navigation declared with more than one foreign key: it could follow only one of them.</summary>
    public static void ReportNavigationsWithTwoKeys(List<RelationDeclaration> declarations, List<MappingProblem> problems)
    {
        // A polymorphic navigation (BelongsToOneOf) has one key per target by design.
        foreach (var group in declarations.Where(d => d.Relation.Navigation is not null && d.Relation.Polymorphic is null).GroupBy(d => new NavigationOf(d.Draft.ClrType, d.Relation.Navigation)))
        {
            var keys = group.Select(d => $"{d.Dependent.Name}.{d.Relation.ForeignKeyName}").Distinct().ToList();
            if (keys.Count > 1)
            {
                problems.Add(new MappingProblem(
                    group.Key.ClrType.Name,
                    group.Key.Navigation!.Name,
                    $"is declared with {keys.Count} foreign keys ({Names(keys)}): {List(group)}.",
                    "A navigation follows one foreign key: keep the declaration you mean and remove the other, or add a second navigation for the second key."));
            }
        }
    }

    private static string Effect(ReferentialAction action, string principal, string dependent, string key) => action switch
    {
        ReferentialAction.Cascade => $"Cascade deletes the {dependent} rows with their {principal}",
        ReferentialAction.SetNull => $"SetNull sets their {key} to NULL",
        _ => $"NoAction refuses to delete the {principal} while {dependent} rows refer to it",
    };

    private static string List(IEnumerable<RelationDeclaration> declarations) => string.Join("; ", declarations.Select(d => d.ToString()).Distinct());

    private static string Names(IEnumerable<string> names) => string.Join(", ", names);

    // A class, not a tuple (the rule: ModelBuilder's TableName).
    private sealed record NavigationOf(Type ClrType, PropertyInfo? Navigation);
}
