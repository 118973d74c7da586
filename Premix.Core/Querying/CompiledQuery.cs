using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>A query translated once for its shape: the SQL text and how to bind each slot's value.</summary>
internal sealed class CompiledQuery(string sql, SlotBinding?[] slots, Projection? projection = null, SlotNames.BoundNames? names = null)
{
    public string Sql { get; } = sql;

    /// <summary>The names the dialect binds the slots' values and the paging values under; <see langword="null"/>: the placeholders themselves.</summary>
    public SlotNames.BoundNames? Names { get; } = names;

    /// <summary>For a Select: its row reader.</summary>
    public Projection? Projection { get; } = projection;

    public SlotBinding?[] Slots { get; } = slots;

    /// <summary>The values a bulk update sets (<see cref="SlotKind.Assigned"/> slots) with their columns, given the call's values by slot.</summary>
    public IEnumerable<(ParameterBinding Column, object? Value)> Assignments(object?[] values)
    {
        for (var i = 0; i < Slots.Length; i++)
        {
            if (Slots[i] is { Kind: SlotKind.Assigned, Column: { } column })
            {
                yield return (column, values[i]);
            }
        }
    }

    /// <summary>Rounds, in <paramref name="values"/>, the decimals a bulk update sets to a column that declares <c>Rounding</c>, as a commit rounds them.</summary>
    public void RoundAssigned(object?[] values)
    {
        for (var i = 0; i < Slots.Length; i++)
        {
            if (Slots[i] is { Kind: SlotKind.Assigned, Column: { ValueRule: DecimalDigits { Rounding: not null } digits } column } && values[i] is { } value)
            {
                values[i] = column.FromStored(digits.Round(column.ToStored(value)!));
            }
        }
    }

    /// <param name="plan">The queried entity's plan.</param>
    /// <param name="dialect">The engine's SQL.</param>
    /// <param name="operation">What the statement does.</param>
    /// <param name="model">The query.</param>
    /// <param name="slots">The call's values, by slot.</param>
    /// <param name="extra">The assignments of a bulk update, or the selector of a projection.</param>
    /// <param name="entityFilters">The entity's named filters the query applies (<see cref="QueryFilterSet.Active"/>); their slots follow the model's.</param>
    public static CompiledQuery Compile(EntityPlan plan, ISqlDialect dialect, QueryOperation operation, QueryModel model, QuerySlots slots, LambdaExpression? extra = null, ulong entityFilters = 0)
    {
        var translator = new SqlTranslator(plan, dialect, slots);
        var where = new StringBuilder();
        foreach (var filter in entityFilters == 0 ? model.Filters : model.Filters.Concat(plan.Filters.Predicates(entityFilters)))
        {
            where.Append(where.Length == 0 ? " WHERE " : " AND ");
            translator.Predicate(filter, where);
        }

        var visibility = (model.Deleted, operation) switch
        {
            (_, QueryOperation.HardDelete) or (DeletedRows.Included, _) => null,
            (DeletedRows.Only, _) => plan.DeletedSql,
            _ => plan.NotDeletedSql,
        };
        foreach (var condition in new[] { plan.TypeFilterSql, visibility })
        {
            if (condition is not null)
            {
                where.Append(where.Length == 0 ? " WHERE " : " AND ").Append(condition);
            }
        }

        var orderBy = model.Orderings.Length == 0 ? string.Empty
            : " ORDER BY " + string.Join(", ", model.Orderings.Select(o => translator.OrderingColumn(o.Key) + (o.Descending ? " DESC" : string.Empty)));
        var paging = dialect.Paging(model.Skip.HasValue, model.Take.HasValue);
        var projection = operation == QueryOperation.Project ? Projection.Compile(plan, dialect, extra!) : null;
        var sql = operation switch
        {
            QueryOperation.Rows => $"SELECT {plan.SelectList} FROM {plan.TableSql}{where}{orderBy}{paging}",
            QueryOperation.Project => $"SELECT {projection!.SelectList} FROM {plan.TableSql}{where}{orderBy}{paging}",
            QueryOperation.Count when paging.Length == 0 => $"SELECT COUNT(*) FROM {plan.TableSql}{where}",
            QueryOperation.Count => $"SELECT COUNT(*) FROM (SELECT 1 AS counted FROM {plan.TableSql}{where}{orderBy}{paging}) paged",
            QueryOperation.Any => $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {plan.TableSql}{where}) THEN 1 ELSE 0 END",
            QueryOperation.Delete when plan.Entity.SoftDeleteMarker is { } marker => $"UPDATE {plan.TableSql} SET {dialect.QuoteIdentifier(marker.Column)} = @__deleted{where}",
            QueryOperation.Delete or QueryOperation.HardDelete => $"DELETE FROM {plan.TableSql}{where}",
            _ => $"UPDATE {plan.TableSql} SET {translator.SetClause(extra!)}{where}",
        };
        return new CompiledQuery(sql, translator.Bindings, projection, SlotNames.Bound(dialect));
    }
}

/// <summary>The translated queries of one Premix instance, by shape; filled on first use of each shape.</summary>
internal sealed class QueryCache
{
    // Made on the first query (LazyInitializer; see Plans.UpdateStatements): a start whose first calls are gets and commits translates none.
    private ConcurrentDictionary<QueryKey, CompiledQuery>? _queries;

    public int Count => Volatile.Read(ref _queries)?.Count ?? 0;

    public bool TryGet(QueryKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CompiledQuery? compiled)
    {
        compiled = null;
        return Volatile.Read(ref _queries)?.TryGetValue(key, out compiled) == true;
    }

    /// <summary>Stores a translation; when another thread stored one first, that one is kept and returned.</summary>
    public CompiledQuery Add(QueryKey key, CompiledQuery compiled) => LazyInitializer.EnsureInitialized(ref _queries, static () => new()).GetOrAdd(key, compiled);
}
