using System.Linq.Expressions;
using Premix.Querying;

namespace Premix.Tests.Querying;

/// <summary>
/// <see cref="QuerySlots"/> walks the usual predicate nodes itself (parameter, member, binary, unary) rather than through the
/// base visitor. Its slots and their order must stay those of the plain visitor walk: the translation numbers its
/// parameters in that order, and generated filters print their values in it (<c>GeneratedFilter.Slots</c>), compared at
/// start. A walk that agreed only with itself would pass every engine test, so this compares it with a reference: an
/// <see cref="ExpressionVisitor"/> that takes every maximal part not depending on the row, in the base visitor's order.
/// </summary>
public sealed class QuerySlotsWalkTests
{
    private static readonly int[] Arr = [1, 2];

    public static IEnumerable<TestCaseData> Lambdas()
    {
        var min = 1;
        var max = 3;
        var name = "a";
        int? maybe = 2;
        long big = 5;
        var flag = true;
        var box = new Box { V = 4, N = "b" };
        var arr = Arr;
        var list = new List<string?> { "a", null };

        TestCaseData Case(string label, Expression<Func<Row, bool>> lambda) => new TestCaseData(lambda).SetArgDisplayNames(label);

        yield return Case("range", r => r.Level >= min && r.Level <= max);
        yield return Case("not, or, closure field", r => !(r.Name == name) || r.Level != box.V);
        yield return Case("negation, nullable", r => -r.Level < -min && r.Maybe == maybe);
        yield return Case("coalesce, reference", r => (r.Name ?? name) == box.N);
        yield return Case("coalesce, nullable", r => (r.Maybe ?? min) > max);
        yield return Case("span and list Contains", r => arr.Contains(r.Level) && list.Contains(r.Name) && r.Level == max);
        yield return Case("array index, length", r => r.Arr[min] == max && r.Arr.Length > min);
        yield return Case("nested lambda", r => r.Kids.Any(k => k.Level == min && k.Name == r.Name));
        yield return Case("conditional, static member", r => (flag ? r.Level : r.Id) == big && Row.S == r.Level);
        yield return Case("conversion", r => (long)r.Level == big);
    }

    [TestCaseSource(nameof(Lambdas))]
    public void The_walk_finds_the_slots_of_the_plain_visitor_walk_in_its_order(Expression<Func<Row, bool>> lambda)
    {
        var reference = new ReferenceWalk();
        reference.Visit(lambda.Body);

        var (nodes, lists) = QuerySlots.Find(QueryModel.Empty with { Filters = [lambda] });

        Assert.That(reference.Nodes, Is.Not.Empty, "the lambda has values");
        Assert.That(nodes, Has.Count.EqualTo(reference.Nodes.Count), "slot count");
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                Assert.That(ReferenceEquals(nodes[i], reference.Nodes[i]), Is.True, $"slot {i}: {nodes[i]}, the reference's {reference.Nodes[i]}");
            }

            Assert.That(lists, Is.EqualTo(reference.Lists), "which slots are lists");
        }
    }

    // The base visitor's walk: every node not depending on the row (a lambda excepted) is a slot and is not entered; the
    // sequence a Contains searches is a list.
    private sealed class ReferenceWalk : ExpressionVisitor
    {
        private Expression? _searched;

        public List<Expression> Nodes { get; } = [];

        public ulong Lists { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (node is null || node is LambdaExpression || !CapturedValues.IsEvaluable(node))
            {
                return base.Visit(node);
            }

            if (ReferenceEquals(node, _searched))
            {
                Lists |= 1UL << Nodes.Count;
            }

            Nodes.Add(node);
            return node;
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            // Kept through a call that is not a Contains: C# 14's span Contains searches the array inside its op_Implicit call.
            var outer = _searched;
            _searched = ContainsCall.Parts(node).Source ?? outer;
            var visited = base.VisitMethodCall(node);
            _searched = outer;
            return visited;
        }
    }

    public sealed class Row
    {
        public static int S { get; set; } = 2;

        public long Id { get; set; }

        public string? Name { get; set; }

        public int Level { get; set; }

        public int? Maybe { get; set; }

        public int[] Arr { get; set; } = [];

        public List<Row> Kids { get; set; } = [];
    }

    public sealed class Box
    {
        public int V;

        public string? N;
    }
}
