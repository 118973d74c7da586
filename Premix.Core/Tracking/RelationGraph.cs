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
        // One plan per relation, shared by every class of a table-per-hierarchy mapping that takes part in it.
        // A generated model has the navigation's code in the declaring entity's (checked against the mapping at startup).
        var compiled = new Dictionary<RelationModel, RelationPlan>();
        RelationPlan Compile(EntityModel declaring, RelationModel r) =>
            compiled.TryGetValue(r, out var plan) ? plan : compiled[r] = new RelationPlan(r, plans[r.Constraint.Principal], plans[r.Constraint.Dependent], plans[declaring.ClrType].Accessors.Relation(r));
        var relations = model.Entities.ToDictionary(e => e.ClrType, e => e.Relations.Select(r => Compile(e, r)).ToArray());
        var all = compiled.Values.ToArray();
        RelationPlan.LinkInverses(all);

        // A subclass holds the foreign keys of the classes above it too (a Puppy in Owner.Dogs, a Dog in Keeper.Pets).
        var asDependent = model.Entities.ToDictionary(e => e.ClrType, e => all.Where(r => HoldsForeignKeyOf(e, r.Dependent.Entity)).ToArray());
        return new RelationGraph(model, relations, asDependent);
    }

    private static bool HoldsForeignKeyOf(EntityModel entity, EntityModel dependent) =>
        entity == dependent || (entity.Inheritance is { } inheritance && dependent.Inheritance?.Root == inheritance.Root && dependent.ClrType.IsAssignableFrom(entity.ClrType));
}
