using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// The relations of the whole model, compiled at startup: the order in which entity types are inserted (parents
/// first; deletes run in reverse) and, per type, the relations it takes part in.
/// </summary>
internal sealed class RelationGraph
{
    private readonly Dictionary<Type, int> _rank;
    private readonly Dictionary<Type, RelationPlan[]> _declared;
    private readonly Dictionary<Type, RelationPlan[]> _asDependent;

    private RelationGraph(Dictionary<Type, int> rank, Dictionary<Type, RelationPlan[]> declared, Dictionary<Type, RelationPlan[]> asDependent)
    {
        _rank = rank;
        _declared = declared;
        _asDependent = asDependent;
    }

    /// <summary>Where <paramref name="type"/> stands in the insert order (0: inserted first).</summary>
    public int Rank(Type type) => _rank[type];

    /// <summary>The relations declared on <paramref name="type"/>, with their navigations.</summary>
    public IReadOnlyList<RelationPlan> DeclaredOn(Type type) => _declared[type];

    /// <summary>The relations in which <paramref name="type"/> holds the foreign key.</summary>
    public IReadOnlyList<RelationPlan> WhereDependent(Type type) => _asDependent[type];

    /// <exception cref="MappingException">Entity types depend on each other in a cycle, so no insert order exists.</exception>
    public static RelationGraph Build(Model model, IReadOnlyDictionary<Type, EntityPlan> plans)
    {
        var relations = model.Entities.ToDictionary(e => e.ClrType, e => e.Relations.Select(r => r.IsDeclaredOnPrincipal
            ? new RelationPlan(r, plans[e.ClrType], plans[r.Target])
            : new RelationPlan(r, plans[r.Target], plans[e.ClrType])).ToArray());
        var all = relations.Values.SelectMany(r => r).ToArray();
        var asDependent = model.Entities.ToDictionary(e => e.ClrType, e => all.Where(r => r.Dependent.Entity.ClrType == e.ClrType).ToArray());
        return new RelationGraph(Rank(model, asDependent), relations, asDependent);
    }

    // Depth-first topological order over "dependent needs principal"; a type referring to itself is allowed
    // (rows of one type are inserted in the order they were added).
    private static Dictionary<Type, int> Rank(Model model, Dictionary<Type, RelationPlan[]> asDependent)
    {
        var rank = new Dictionary<Type, int>();
        var visiting = new List<Type>();
        void Visit(Type type)
        {
            if (rank.ContainsKey(type))
            {
                return;
            }

            if (visiting.Contains(type))
            {
                var cycle = visiting.Skip(visiting.IndexOf(type)).Append(type).Select(t => t.Name);
                throw new MappingException([new MappingProblem(type.Name, null,
                    $"is part of a cycle of required parents ({string.Join(" -> ", cycle)}), so no insert order exists.",
                    "Remove one relation of the cycle, or keep that foreign key as a plain property and set it after both rows exist.")]);
            }

            visiting.Add(type);
            foreach (var relation in asDependent[type])
            {
                if (relation.Principal.Entity.ClrType != type)
                {
                    Visit(relation.Principal.Entity.ClrType);
                }
            }

            visiting.Remove(type);
            rank[type] = rank.Count;
        }

        foreach (var entity in model.Entities)
        {
            Visit(entity.ClrType);
        }

        return rank;
    }
}
