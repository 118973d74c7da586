using NpgsqlTypes;
using Premix.Mapping;
using Premix.Providers.PostgreSql;

namespace Premix.Tests.Types;

/// <summary>
/// PostgreSQL-only: the one table of array element types (<c>PostgreSqlArrayBuilders</c>) that native AOT builds typed arrays
/// from. It must hold every type a list compared with a column can have (the column's storage type: the array-column element
/// types, <c>byte[]</c> and the range types), and each row's builder must make exactly its array type.
/// </summary>
public sealed class PostgreSqlArrayBuildersTests
{
    [Test]
    public void The_PostgreSql_array_table_holds_every_array_column_element_byte_arrays_and_the_range_types()
    {
        Assert.That(PostgreSqlArrayBuilders.Elements, Is.EquivalentTo(ArrayTypes.ScalarElements.Concat(PostgreSqlRanges.ClrTypes).Append(typeof(byte[]))));
    }

    [Test]
    public void Each_PostgreSql_array_builder_makes_its_rows_array_type_with_the_values_in_order()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var element in PostgreSqlArrayBuilders.Elements)
            {
                var empty = PostgreSqlArrayBuilders.Known(element)!([]);
                Assert.That(empty.GetType(), Is.EqualTo(PostgreSqlArrayBuilders.ArrayType(element)).And.EqualTo(element.MakeArrayType()), element.Name);
            }

            Assert.That(PostgreSqlArrayBuilders.Known(typeof(byte[]))!([new byte[] { 1 }, new byte[] { 2, 3 }]), Is.EqualTo(new[] { new byte[] { 1 }, new byte[] { 2, 3 } }));
            Assert.That(PostgreSqlArrayBuilders.Known(typeof(NpgsqlRange<int>))!([new NpgsqlRange<int>(1, 3)]), Is.EqualTo(new[] { new NpgsqlRange<int>(1, 3) }));
        }
    }

    [Test]
    public void A_type_outside_the_PostgreSql_array_table_has_no_builder_and_no_array_type()
    {
        Assert.That((PostgreSqlArrayBuilders.Known(typeof(uint)), PostgreSqlArrayBuilders.ArrayType(typeof(uint))), Is.EqualTo(((Func<IReadOnlyList<object>, object>?)null, (Type?)null)));
    }
}
