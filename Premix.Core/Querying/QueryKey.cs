using System.Linq.Expressions;

namespace Premix.Querying;

/// <summary>
/// The cache key of a translated query: entity, operation and the shape of its lambdas (not their values), plus which
/// values are null (IS NULL changes the SQL), whether it pages and which of the entity's named filters it applies. A
/// struct: looking up a query that was translated before allocates nothing for its key.
/// </summary>
/// <remarks>
/// <paramref name="takes"/> says whether the query has a Take: the model's, or one the call adds without a copy of the
/// model (FirstOrDefault's 1, Single's 2; see <c>Query.Prepare</c>). <paramref name="lastFilter"/> is a filter after the
/// model's own, not yet in its array (a query's last <c>Where</c>, kept apart so that <c>Where</c> copies no model): the key
/// compares the filters in order, so a model holding [a, b] and one holding [a] with b last are the same key.
/// </remarks>
internal readonly struct QueryKey(Type entity, QueryOperation operation, QueryModel model, bool takes, ulong nullMask, LambdaExpression? extra = null, ulong entityFilters = 0, LambdaExpression? lastFilter = null) : IEquatable<QueryKey>
{
    private readonly int _hash = Hash(entity, operation, model, lastFilter, takes, nullMask, extra) ^ entityFilters.GetHashCode();

    public bool Equals(QueryKey other) =>
        other._hash == _hash && other.Entity == Entity && other.Operation == Operation && other.NullMask == NullMask && other.EntityFilters == EntityFilters && other.Model.Deleted == Model.Deleted
        && other.Model.Skip.HasValue == Model.Skip.HasValue && other.Takes == Takes
        && SameFilters(other) && SameOrder(other.Model.Orderings, Model.Orderings)
        && ExpressionShape.Instance.Equals(other.Extra, Extra);

    /// <summary>
    /// Whether another call's key can equal this one: false when a lambda holds a node kind the shape comparison does not
    /// know (<see cref="ExpressionShape.Compares"/>); such a query is translated per call and not cached, or the cache would
    /// grow by one entry per call.
    /// </summary>
    public bool IsReusable
    {
        get
        {
            for (var i = 0; i < FilterCount; i++)
            {
                if (!ExpressionShape.Compares(Filter(i)))
                {
                    return false;
                }
            }

            foreach (var ordering in Model.Orderings)
            {
                if (!ExpressionShape.Compares(ordering.Key))
                {
                    return false;
                }
            }

            return ExpressionShape.Compares(Extra);
        }
    }

    private Type Entity { get; } = entity;

    private QueryOperation Operation { get; } = operation;

    private QueryModel Model { get; } = model;

    private bool Takes { get; } = takes;

    private ulong NullMask { get; } = nullMask;

    private ulong EntityFilters { get; } = entityFilters;

    private LambdaExpression? Extra { get; } = extra;

    private LambdaExpression? LastFilter { get; } = lastFilter;

    private int FilterCount => Model.Filters.Length + (LastFilter is null ? 0 : 1);

    public static bool operator ==(QueryKey left, QueryKey right) => left.Equals(right);

    public static bool operator !=(QueryKey left, QueryKey right) => !left.Equals(right);

    public override bool Equals(object? obj) => obj is QueryKey other && Equals(other);

    public override int GetHashCode() => _hash;

    // Loops, not LINQ: this runs on every query call, and should allocate nothing.
    private bool SameFilters(QueryKey other)
    {
        if (other.FilterCount != FilterCount)
        {
            return false;
        }

        for (var i = 0; i < FilterCount; i++)
        {
            if (!ExpressionShape.Instance.Equals(other.Filter(i), Filter(i)))
            {
                return false;
            }
        }

        return true;
    }

    // Filter i in order: the model's, then the last one.
    private LambdaExpression Filter(int i) => i < Model.Filters.Length ? Model.Filters[i] : LastFilter!;

    private static bool SameOrder(Ordering[] a, Ordering[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i].Descending != b[i].Descending || !ExpressionShape.Instance.Equals(a[i].Key, b[i].Key))
            {
                return false;
            }
        }

        return true;
    }

    private static int Hash(Type entity, QueryOperation operation, QueryModel model, LambdaExpression? lastFilter, bool takes, ulong nullMask, LambdaExpression? extra)
    {
        var hash = default(HashCode);
        hash.Add(entity);
        hash.Add(operation);
        hash.Add(nullMask);
        hash.Add(model.Deleted);
        hash.Add(model.Skip.HasValue);
        hash.Add(takes);
        foreach (var filter in model.Filters)
        {
            hash.Add(ExpressionShape.Instance.GetHashCode(filter));
        }

        if (lastFilter is not null)
        {
            hash.Add(ExpressionShape.Instance.GetHashCode(lastFilter)); // as if it were the model's next filter
        }

        foreach (var ordering in model.Orderings)
        {
            hash.Add(ExpressionShape.Instance.GetHashCode(ordering.Key));
            hash.Add(ordering.Descending);
        }

        hash.Add(ExpressionShape.Instance.GetHashCode(extra));
        return hash.ToHashCode();
    }
}
