using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// The translations of one compiled query (<see cref="PremixQuery"/>): per Premix instance (its engine), one per shape of
/// call, that is per operation, paging and which values are null (<c>IS NULL</c> instead of <c>= @p0</c>). A call finds its
/// translation without walking or hashing an expression; a Premix instance that is collected takes its translations with it.
/// </summary>
internal sealed class QueryTranslations(IReadOnlyList<Expression> slots, params QueryModel[] models)
{
    private readonly ConditionalWeakTable<PremixRuntime, ConcurrentDictionary<Shape, CompiledQuery>> _byRuntime = new();

    // The compiled query's own models limited to one row (FirstOrDefaultAsync), made once rather than on every call.
    private readonly (QueryModel Model, QueryModel First)[] _firsts = models.Select(m => (m, m with { Take = 1 })).ToArray();

    public CompiledQuery Get(PremixRuntime runtime, EntityPlan plan, QueryOperation operation, QueryModel model, object?[] values, LambdaExpression? extra, ulong entityFilters = 0)
    {
        if (values.Length > 64)
        {
            // The query's own values and the entity's filters' together pass what the null mask tells apart (as Query.Prepare does): translated per call.
            return CompiledQuery.Compile(plan, runtime.Provider.Dialect, operation, model, QuerySlots.Of([.. slots, .. plan.Filters.Nodes(entityFilters)], values), extra, entityFilters);
        }

        var shape = new Shape(operation, model.Skip.HasValue, model.Take.HasValue, model.Deleted, QuerySlots.NullMaskOf(values), entityFilters);
        if (!_byRuntime.TryGetValue(runtime, out var translations))
        {
            translations = _byRuntime.GetValue(runtime, static _ => new ConcurrentDictionary<Shape, CompiledQuery>());
        }

        if (!translations.TryGetValue(shape, out var compiled))
        {
            var nodes = entityFilters == 0 ? slots : [.. slots, .. plan.Filters.Nodes(entityFilters)]; // the entity's filters' values follow the call's
            compiled = translations.GetOrAdd(shape, CompiledQuery.Compile(plan, runtime.Provider.Dialect, operation, model, QuerySlots.Of(nodes, values), extra, entityFilters));
        }

        return compiled;
    }

    /// <summary><paramref name="model"/> limited to its first row: the one made beforehand when it is one of the compiled query's own.</summary>
    public QueryModel First(QueryModel model)
    {
        foreach (var (own, first) in _firsts)
        {
            if (ReferenceEquals(own, model))
            {
                return first;
            }
        }

        return model with { Take = 1 };
    }

    /// <summary><paramref name="model"/> with every slot replaced by its value as a constant.</summary>
    public QueryModel Inlined(QueryModel model, object?[] values)
    {
        var inliner = new Inliner(slots, values);
        return model with
        {
            Filters = Array.ConvertAll(model.Filters, inliner.VisitAndConvert),
            Orderings = Array.ConvertAll(model.Orderings, o => o with { Key = inliner.VisitAndConvert(o.Key) }),
        };
    }

    private readonly record struct Shape(QueryOperation Operation, bool Skip, bool Take, DeletedRows Deleted, ulong NullMask, ulong EntityFilters);

    private sealed class Inliner(IReadOnlyList<Expression> slots, object?[] values) : ExpressionVisitor
    {
        public LambdaExpression VisitAndConvert(LambdaExpression lambda) => VisitAndConvert(lambda, nameof(Inlined));

        public override Expression? Visit(Expression? node)
        {
            for (var i = 0; i < slots.Count; i++)
            {
                if (ReferenceEquals(slots[i], node))
                {
                    return Expression.Constant(values[i], node.Type);
                }
            }

            return base.Visit(node);
        }
    }
}
