namespace Premix.Querying;

/// <summary>
/// One call of a compiled query (<see cref="PremixQuery"/>) as it is bound: the values of its slots and of a parameterised
/// <c>Skip</c>/<c>Take</c>, computed from the call's arguments, and the translations they select from. A struct: the query
/// it binds keeps only the compiled query's shared part and the values, so a call allocates no object for it.
/// </summary>
internal readonly struct QueryArguments(CompiledModels compiled, object?[] values, int? skip, int? take)
{
    public CompiledModels Compiled => compiled;

    public object?[] Values => values;

    /// <summary><paramref name="model"/> with this call's paging, when the compiled query takes its Skip or Take as an argument.</summary>
    public QueryModel Paged(QueryModel model) =>
        skip is null && take is null ? model : model with { Skip = skip ?? model.Skip, Take = take ?? model.Take };

    /// <summary><paramref name="model"/> with this call's values written into its lambdas as constants, for a query served from memory.</summary>
    public QueryModel Inlined(QueryModel model) => compiled.Translations.Inlined(Paged(model), values);
}

/// <summary>
/// What every call of one compiled query shares: its translations, and its own models limited to the rows
/// <c>SingleAsync</c> reads, made once, so a call copies no model (<c>FirstOrDefaultAsync</c>'s are
/// <see cref="QueryTranslations.First"/>'s).
/// </summary>
internal sealed class CompiledModels(QueryTranslations translations, params QueryModel[] models)
{
    private readonly (QueryModel Model, QueryModel Two)[] _twos = models.Select(m => (m, m with { Take = 2 })).ToArray();

    public QueryTranslations Translations => translations;

    /// <summary>
    /// <paramref name="model"/> reading at most <paramref name="rows"/> rows (1 for First, 2 for Single; the caller,
    /// <c>Query.FirstRows</c>, passes no more than the model's own Take): itself when its Take is that already, the one made
    /// beforehand when it is one of the compiled query's own, otherwise a copy (a call whose Skip or Take is computed has a
    /// model of its own).
    /// </summary>
    public QueryModel Limited(QueryModel model, int rows)
    {
        if (model.Take == rows)
        {
            return model;
        }

        if (rows == 1)
        {
            return translations.First(model);
        }

        if (rows == 2)
        {
            foreach (var (own, two) in _twos)
            {
                if (ReferenceEquals(own, model))
                {
                    return two;
                }
            }
        }

        return model with { Take = rows };
    }
}
