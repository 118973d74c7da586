using Premix.Mapping;
using Premix.Querying;

namespace Premix.Plans;

/// <summary>
/// One named query filter (<c>HasQueryFilter</c>) of a generated entity as it was generated: its name, whether only a query
/// naming it lifts it, its condition's SQL (for values that are not null) and each value it reads on every query, as the C#
/// the generated code reads it with (<see cref="GeneratedFilterCode"/>). The start compares it with the mapping's filter, so
/// a filter added, removed or changed since generation fails it, naming the filter. The tenant column's filter is not among
/// them: it reads the unit of work's tenant, never generated code.
/// </summary>
internal sealed class GeneratedFilter(string name, bool liftsOnlyExplicitly, string sql, IReadOnlyList<string> values)
{
    /// <summary>The filter's name (<see cref="QueryFilterModel.Name"/>).</summary>
    public string Name { get; } = name;

    /// <summary><see cref="QueryFilterModel.LiftsOnlyExplicitly"/> at generation.</summary>
    public bool LiftsOnlyExplicitly { get; } = liftsOnlyExplicitly;

    /// <summary>The condition's SQL at generation (<see cref="QueryFilterSet.Sql"/>), in the model's dialect.</summary>
    public string Sql { get; } = sql;

    /// <summary>Each value the filter reads, in the order its predicate is walked, as printed C# (<see cref="ConverterText.PrintValue"/>).</summary>
    public IReadOnlyList<string> Values { get; } = values;

    /// <summary>The filter as the start compares it: <c>SQL</c>, then each value read (<c>@p0 = C#</c>).</summary>
    public string Shape => Describe(LiftsOnlyExplicitly, Sql, Values);

    /// <summary>Whether generated code reads <paramref name="filter"/>'s values: every filter but the tenant column's.</summary>
    public static bool IsGenerated(QueryFilterModel filter) => filter.TenantProperty is null;

    /// <summary>The values <paramref name="filter"/>'s predicate reads on every query (its slots), in the order the translation numbers them.</summary>
    public static IReadOnlyList<System.Linq.Expressions.Expression> Slots(QueryFilterModel filter) =>
        QuerySlots.Find(QueryModel.Empty with { Filters = [filter.Predicate] }).Nodes;

    /// <summary>
    /// <paramref name="filter"/>'s values as C#, or <see langword="null"/> with why one cannot be printed (the value's place
    /// and the construct); <paramref name="entity"/> is the entity declaring it.
    /// </summary>
    public static List<string>? ValuesOf(QueryFilterModel filter, Type entity, out string? refusal)
    {
        var values = new List<string>();
        var slots = Slots(filter);
        for (var i = 0; i < slots.Count; i++)
        {
            if (ConverterText.PrintValue(slots[i], ConverterText.HomeOf(entity), out var why) is not { } text)
            {
                refusal = $"its value {i + 1} of {slots.Count} ({slots[i]}) uses {why}";
                return null;
            }

            values.Add(text);
        }

        refusal = null;
        return values;
    }

    /// <summary>What <see cref="Shape"/> says of a filter with these facts.</summary>
    public static string Describe(bool liftsOnlyExplicitly, string sql, IReadOnlyList<string> values) =>
        sql + string.Concat(values.Select((v, i) => $"; value {i + 1} = {v}")) + (liftsOnlyExplicitly ? "; lifted only by name" : "");
}
