using System.Linq.Expressions;
using Premix.Querying;

namespace Premix.Tests.Querying;

/// <summary>
/// <see cref="ExpressionShape"/> is the query cache's key: two lambdas it calls equal share one translation, so two of
/// another shape must never compare equal, and two of one shape must hash alike whatever values they capture. A member's
/// and a call's type are not read (they are their member's and method's); every other difference still tells shapes apart.
/// </summary>
public sealed class ExpressionShapeTests
{
    private static readonly ExpressionShape Shape = ExpressionShape.Instance;
    private static readonly int[] Ints = [1];
    private static readonly long[] Longs = [1];

    [Test]
    public void Two_lambdas_of_one_shape_with_other_captured_values_are_equal_and_hash_alike()
    {
        var first = Where("a", 1);
        var second = Where("b", 2);

        Assert.That(Shape.Equals(first, second), Is.True);
        Assert.That(Shape.GetHashCode(first), Is.EqualTo(Shape.GetHashCode(second)));
    }

    public static IEnumerable<TestCaseData> OtherShapes()
    {
        var name = "a";
        var level = 1;
        TestCaseData Pair(string label, Expression<Func<Row, bool>> one, Expression<Func<Row, bool>> other) => new TestCaseData(one, other).SetArgDisplayNames(label);

        yield return Pair("another property", r => r.Name == name, r => r.Code == name);
        yield return Pair("another operator", r => r.Level > level, r => r.Level >= level);
        yield return Pair("another method", r => r.Name.StartsWith(name), r => r.Name.EndsWith(name));
        yield return Pair("another call target", r => r.Name.StartsWith(name), r => r.Code.StartsWith(name));
        yield return Pair("another argument", r => r.Name.StartsWith(name), r => r.Name.StartsWith(r.Code));
        yield return Pair("a conversion to another type", r => (long)r.Level == level, r => (double)r.Level == level);
        yield return Pair("a member of another object", r => r.Name == name, r => r.Kid.Name == name);
        yield return Pair("a static member instead of the row's", r => r.Level == level, r => Row.Static == level);
        yield return Pair("one generic method at other type arguments", r => Ints.Contains(r.Level), r => Longs.Contains(r.Level));
        yield return Pair("CompareTo of another type", r => r.Name.CompareTo(name) > 0, r => r.Level.CompareTo(level) > 0);
    }

    [TestCaseSource(nameof(OtherShapes))]
    public void Two_lambdas_of_other_shapes_are_not_equal(Expression<Func<Row, bool>> one, Expression<Func<Row, bool>> other)
    {
        Assert.That(Shape.Equals(one, other), Is.False);
        Assert.That(Shape.Equals(other, one), Is.False);
    }

    [Test]
    public void Constants_of_other_types_are_not_equal_though_their_values_are_not_compared()
    {
        var row = Expression.Parameter(typeof(Row), "r");
        var asInt = Expression.Lambda<Func<Row, object>>(Expression.Convert(Expression.Constant(1), typeof(object)), row);
        var asLong = Expression.Lambda<Func<Row, object>>(Expression.Convert(Expression.Constant(1L), typeof(object)), row);
        var otherInt = Expression.Lambda<Func<Row, object>>(Expression.Convert(Expression.Constant(7), typeof(object)), row);

        Assert.That(Shape.Equals(asInt, asLong), Is.False);
        Assert.That(Shape.Equals(asInt, otherInt), Is.True);
    }

    [Test]
    public void Lambdas_of_one_body_under_other_delegate_types_are_not_equal()
    {
        Expression<Func<Row, bool>> func = r => r.Level > 1;
        var predicate = Expression.Lambda<Predicate<Row>>(func.Body, func.Parameters);

        Assert.That(Shape.Equals(func, predicate), Is.False);
    }

    [Test]
    public void Two_trees_of_a_node_kind_it_does_not_compare_are_not_equal_though_written_alike()
    {
        Expression<Func<Row, bool>> listInit = r => new List<int> { 1 }.Contains(r.Level);
        Expression<Func<Row, bool>> same = r => new List<int> { 1 }.Contains(r.Level);

        Assert.That(ExpressionShape.Compares(listInit), Is.False, "the cache keeps no translation of it");
        Assert.That(Shape.Equals(listInit, same), Is.False);
    }

    private static Expression<Func<Row, bool>> Where(string name, int level) => r => r.Name == name && r.Level >= level && r.Name.StartsWith(name);

    public sealed class Row
    {
        public static int Static { get; set; }

        public string Name { get; set; } = "";

        public string Code { get; set; } = "";

        public int Level { get; set; }

        public Row Kid { get; set; } = null!;
    }
}
