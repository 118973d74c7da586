using Premix.Plans;

namespace Premix.Tests.Plans;

/// <summary>
/// The array builder many-row writes use while dynamic code is off (native AOT, <c>ColumnArrays.Boxed</c>): the stored values,
/// read boxed, converted and set into the array type the dialect names. The AOT sample runs it on PostgreSQL
/// (<c>NativeAotAppTests</c>); here its contract is checked under the JIT, without a database.
/// </summary>
public sealed class ColumnArraysBoxedTests
{
    [Test]
    public void The_boxed_builder_fills_the_named_array_type_in_order_with_each_value_converted_and_a_null_left_as_null()
    {
        var build = ColumnArrays.Boxed(typeof(short?[]), entity => ((Row)entity).Value, value => (short)(byte)value);

        var array = build([new Row(1), new Row(null), new Row(255)]);

        Assert.That(array, Is.TypeOf<short?[]>().And.EqualTo(new short?[] { 1, null, 255 }));
    }

    [Test]
    public void The_boxed_builder_without_a_conversion_sets_the_values_as_read()
    {
        var build = ColumnArrays.Boxed(typeof(string[]), entity => ((Row)entity).Value?.ToString(System.Globalization.CultureInfo.InvariantCulture), convert: null);

        Assert.That(build([new Row(7), new Row(null)]), Is.TypeOf<string[]>().And.EqualTo(new[] { "7", null }));
    }

    private sealed record Row(byte? Value);
}
