using System.Linq.Expressions;
using Premix.Plans;

namespace Premix.Testing;

/// <summary>A bulk <c>UpdateAll</c>, <c>DeleteAll</c> or <c>HardDeleteAll</c> on the rows of a unit of work's transaction.</summary>
internal sealed class FakeBulkStatement(EntityPlan plan, FakeStore transaction)
{
    /// <summary>Sets each assigned column of every row, computing values that read the row from the row's values before the statement (as SQL's SET does).</summary>
    public void Update(List<object> rows, LambdaExpression assignments)
    {
        var pairs = ((NewArrayExpression)assignments.Body).Expressions;
        var columns = new InMemoryColumns(plan, assignments);
        var sets = new List<(ParameterBinding Column, Func<object, object?> Value)>();
        for (var i = 0; i < pairs.Count; i += 2)
        {
            var value = Expression.Lambda<Func<object, object?>>(
                Expression.Convert(Expression.Invoke(Expression.Lambda(pairs[i + 1], assignments.Parameters), Expression.Convert(Parameter, assignments.Parameters[0].Type)), typeof(object)),
                Parameter).Compile();
            sets.Add((columns.Find(pairs[i])!, value));
        }

        foreach (var row in rows)
        {
            var values = sets.ConvertAll(set => set.Value(row)); // every value from the row as it was
            for (var i = 0; i < sets.Count; i++)
            {
                var column = sets[i].Column;
                var value = values[i] is { } v && column.ValueRule is DecimalDigits { Rounding: not null } digits ? digits.Round(v) : values[i];
                column.Property.Property.SetValue(row, value);
            }
        }
    }

    public void SoftDelete(List<object> rows)
    {
        foreach (var row in rows)
        {
            plan.SetSoftDeleteMarker!(row, plan.DeletedMarker());
        }
    }

    public void Delete(List<object> rows)
    {
        foreach (var row in rows)
        {
            transaction.Remove(plan, plan.KeyOf(row));
        }
    }

    private static readonly ParameterExpression Parameter = Expression.Parameter(typeof(object), "row");
}
