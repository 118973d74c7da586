namespace Premix.Querying;

/// <summary>
/// One call of a compiled query (<see cref="PremixQuery"/>) as it is bound: the values of its slots and of a parameterised
/// <c>Skip</c>/<c>Take</c>, computed from the call's arguments, and the translations they select from. A struct: the query
/// it binds keeps only the translations and the values, so a call allocates no object for it.
/// </summary>
internal readonly struct QueryArguments(QueryTranslations translations, object?[] values, int? skip, int? take)
{
    public QueryTranslations Translations => translations;

    public object?[] Values => values;

    /// <summary><paramref name="model"/> with this call's paging, when the compiled query takes its Skip or Take as an argument.</summary>
    public QueryModel Paged(QueryModel model) =>
        skip is null && take is null ? model : model with { Skip = skip ?? model.Skip, Take = take ?? model.Take };

    /// <summary><paramref name="model"/> with this call's values written into its lambdas as constants, for a query served from memory.</summary>
    public QueryModel Inlined(QueryModel model) => translations.Inlined(Paged(model), values);
}
