using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Premix.Querying;

namespace Premix.Tests.Querying;

/// <summary>
/// How a compiled query reads its values with dynamic code off (native AOT), tested in-process: the reader
/// <c>QueryTemplate</c> uses there (<c>InterpretedCount</c>, <c>CapturedValues.Evaluate</c> over the call's
/// <see cref="ArgumentValues"/>) is called directly, as the switch cannot be turned off in a JIT test process.
/// A count <c>CapturedValues</c> cannot evaluate (<c>ids.Length</c>, <c>-page</c>) is refused when the query is
/// compiled, not misread on each call.
/// </summary>
public sealed class CompiledQueryInterpretedValuesTests
{
    private static readonly Arguments Holder = new();

    // The placeholders stand for the lambda's arguments as QueryTemplate's do: reads of members of a constant.
    private static readonly MemberExpression Page = Expression.Property(Expression.Constant(Holder), nameof(Arguments.Page));

    private static readonly MemberExpression Ids = Expression.Field(Expression.Constant(Holder), nameof(Arguments.Ids));

    private static readonly MemberExpression[] Placeholders = [Page, Ids];

    // A call's arguments as the readers take them: the tuple, boxed once per call by QueryTemplate.Bind.
    private static ITuple Call(int page) => (page, Array.Empty<long>());

    [Test]
    public void A_count_that_is_an_argument_reads_each_call_s_argument()
    {
        var count = QueryTemplate<Row, (int, long[])>.InterpretedCount(Page, Placeholders, "Skip");

        Assert.That(new[] { count(Call(3)), count(Call(5)) }, Is.EqualTo(new[] { 3, 5 }));
    }

    [Test]
    public void A_count_computed_from_an_argument_is_evaluated_with_each_call_s_argument()
    {
        var count = QueryTemplate<Row, (int, long[])>.InterpretedCount(Expression.Multiply(Page, Expression.Constant(2)), Placeholders, "Skip");

        Assert.That(new[] { count(Call(1)), count(Call(4)) }, Is.EqualTo(new[] { 2, 8 }));
    }

    [Test]
    public void A_captured_variable_mixed_with_an_argument_is_read_on_each_call()
    {
        var captured = new Captured { Offset = 10 };
        var count = QueryTemplate<Row, (int, long[])>.InterpretedCount(
            Expression.Add(Page, Expression.Field(Expression.Constant(captured), nameof(Captured.Offset))), Placeholders, "Take");

        var first = count(Call(1));
        captured.Offset = 20;

        Assert.That(new[] { first, count(Call(1)) }, Is.EqualTo(new[] { 11, 21 }));
    }

    [Test]
    public void A_slot_value_reads_the_call_s_argument_through_its_placeholder()
    {
        var value = CapturedValues.Evaluate(Ids, new ArgumentValues(Placeholders, (7, new long[] { 4, 9 })));

        Assert.That(value, Is.EqualTo(new long[] { 4, 9 }));
    }

    [Test]
    public void A_count_of_an_array_argument_s_length_is_refused_when_compiled_naming_the_count_and_the_fix()
    {
        var error = Assert.Throws<NotSupportedException>(() => QueryTemplate<Row, (int, long[])>.InterpretedCount(Expression.ArrayLength(Ids), Placeholders, "Skip"));

        Assert.That(error!.Message, Does.StartWith("PremixQuery.Compile cannot compute Skip(ArrayLength(").And.Contain("RuntimeFeature.IsDynamicCodeSupported is false").And.EndWith("pass it as an argument of the compiled query."));
    }

    [Test]
    public void A_negated_or_complemented_count_is_refused_when_compiled()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<NotSupportedException>(() => QueryTemplate<Row, (int, long[])>.InterpretedCount(Expression.Negate(Page), Placeholders, "Skip"));
            Assert.Throws<NotSupportedException>(() => QueryTemplate<Row, (int, long[])>.InterpretedCount(Expression.Not(Page), Placeholders, "Take"));
        });
    }

    [Test]
    public void Evaluating_a_negation_or_an_array_length_throws_rather_than_returning_the_operand()
    {
        var arguments = new ArgumentValues(Placeholders, (3, new long[] { 1, 2 }));

        Assert.Multiple(() =>
        {
            Assert.Throws<NotSupportedException>(() => CapturedValues.Evaluate(Expression.Negate(Page), arguments));
            Assert.Throws<NotSupportedException>(() => CapturedValues.Evaluate(Expression.ArrayLength(Ids), arguments));
        });
    }

    private sealed class Row;

    private sealed class Arguments
    {
        public int Page { get; set; }

        public long[] Ids = [];
    }

    private sealed class Captured
    {
        public int Offset;
    }
}
