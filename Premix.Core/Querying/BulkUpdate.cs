using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Premix;

/// <summary>The assignments of <see cref="Query{T}.UpdateAllAsync"/>: <c>s =&gt; s.Set(x =&gt; x.Status, "archived").Set(x =&gt; x.Count, x =&gt; x.Count + 1)</c>.</summary>
/// <typeparam name="T">The entity updated.</typeparam>
public sealed class BulkUpdate<T>
    where T : class
{
    private readonly ParameterExpression _row = Expression.Parameter(typeof(T), "x");
    private readonly List<Expression> _assignments = [];

    internal BulkUpdate()
    {
    }

    /// <summary>Sets <paramref name="property"/> to a value (sent as a parameter).</summary>
    public BulkUpdate<T> Set<TValue>(Expression<Func<T, TValue>> property, TValue value)
    {
        ArgumentNullException.ThrowIfNull(property);
        _assignments.Add(Rebind(property));
        _assignments.Add(Expression.Convert(Expression.Constant(value, typeof(TValue)), typeof(object)));
        return this;
    }

    /// <summary>Sets <paramref name="property"/> to an expression of the row's columns, computed by the database (<c>x =&gt; x.Count + 1</c>).</summary>
    public BulkUpdate<T> Set<TValue>(Expression<Func<T, TValue>> property, Expression<Func<T, TValue>> value)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(value);
        _assignments.Add(Rebind(property));
        _assignments.Add(Rebind(value));
        return this;
    }

    /// <summary>All assignments as one lambda over one row parameter, pairs of (column, value): the shape the query cache keys on.</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode", Justification = "The array made is an object[], which every binary has: no array type is made at run time.")]
    internal LambdaExpression ToLambda() =>
        _assignments.Count == 0
            ? throw new ArgumentException("UpdateAllAsync needs at least one Set(...).")
            : Expression.Lambda<Func<T, object[]>>(Expression.NewArrayInit(typeof(object), _assignments), _row);

    private Expression Rebind(LambdaExpression lambda) =>
        Expression.Convert(new ParameterSwap(lambda.Parameters[0], _row).Visit(lambda.Body), typeof(object));

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
