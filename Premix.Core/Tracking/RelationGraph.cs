using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// The relations of the whole model, compiled at startup: the order in which entity types are inserted (parents
/// first; deletes run in reverse) and, per type, the relations it takes part in.
/// </summary>
internal sealed class RelationGraph
{
    private readonly Model _model;
    private readonly Dictionary<Type, RelationPlan[]> _declared;
    private readonly Dictionary<Type, RelationPlan[]> _asDependent;

    private RelationGraph(Model model, Dictionary<Type, RelationPlan[]> declared, Dictionary<Type, RelationPlan[]> asDependent)
    {
        _model = model;
        _declared = declared;
        _asDependent = asDependent;
    }

    /// <summary>Where <paramref name="type"/> stands in the insert order (0: inserted first).</summary>
    public int Rank(Type type) => _model.InsertRank(type);

    /// <summary>The relations declared on <paramref name="type"/>, with their navigations.</summary>
    public IReadOnlyList<RelationPlan> DeclaredOn(Type type) => _declared[type];

    /// <summary>The relations in which <paramref name="type"/> holds the foreign key.</summary>
    public IReadOnlyList<RelationPlan> WhereDependent(Type type) => _asDependent[type];

    /// <summary>Attaches the plans to the model's relations; the insert order comes from the model, which refused cycles when it was built.</summary>
    public static RelationGraph Build(Model model, IReadOnlyDictionary<Type, EntityPlan> plans)
    {
        // A subclass of a table-per-hierarchy mapping takes part in its base's relations, through the same plans.
        var tables = model.Entities.Where(e => e.Inheritance is not { IsRoot: false }).ToList();
        var relations = tables.ToDictionary(
            e => e.ClrType,
            e => e.Relations.Select(r => new RelationPlan(r, plans[r.Constraint.Principal], plans[r.Constraint.Dependent])).ToArray());
        var all = relations.Values.SelectMany(r => r).ToArray();
        var asDependent = tables.ToDictionary(e => e.ClrType, e => all.Where(r => r.Dependent.Entity.ClrType == e.ClrType).ToArray());
        foreach (var subclass in model.Entities.Where(e => e.Inheritance is { IsRoot: false }))
        {
            relations[subclass.ClrType] = relations[subclass.Inheritance!.Root];
            asDependent[subclass.ClrType] = asDependent[subclass.Inheritance.Root];
        }

        return new RelationGraph(model, relations, asDependent);
    }
}
