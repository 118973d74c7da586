using System.Linq.Expressions;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// One call of a compiled query (<see cref="PremixQuery"/>): the values of its slots and of a parameterised
/// <c>Skip</c>/<c>Take</c>, computed from the call's arguments, and the translations they select from.
/// </summary>
internal sealed class QueryArguments(QueryTranslations translations, object?[] values, int? skip, int? take)
{
    public object?[] Values => values;

    /// <summary>
    /// The translation of this call's shape (<paramref name="operation"/>, paging, which values are null, which of the entity's
    /// filters apply), made on first use; <paramref name="withFilters"/> holds this call's values then the filters'.
    /// </summary>
    public CompiledQuery Translation(PremixRuntime runtime, EntityPlan plan, QueryOperation operation, QueryModel model, LambdaExpression? extra, object?[] withFilters, ulong entityFilters) =>
        translations.Get(runtime, plan, operation, model, withFilters, extra, entityFilters);

    /// <summary><paramref name="model"/> with this call's paging, when the compiled query takes its Skip or Take as an argument.</summary>
    public QueryModel Paged(QueryModel model) =>
        skip is null && take is null ? model : model with { Skip = skip ?? model.Skip, Take = take ?? model.Take };

    /// <summary><paramref name="model"/> with this call's values written into its lambdas as constants, for a query served from memory.</summary>
    public QueryModel Inlined(QueryModel model) => translations.Inlined(Paged(model), values);
}
