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

    // What a many-row write binds under native AOT (IArrayWriteDialect.ArrayType): T[], or T?[] for a value type whose column can hold NULL.
    [Test]
    public void The_PostgreSql_dialect_names_the_array_type_of_every_element_of_the_table_and_its_nullable_form_for_value_types()
    {
        var dialect = new PostgreSqlDialect();
        using (Assert.EnterMultipleScope())
        {
            foreach (var element in PostgreSqlArrayBuilders.Elements)
            {
                var nullableElement = element.IsValueType ? typeof(Nullable<>).MakeGenericType(element) : element;
                Assert.That(dialect.ArrayType(element, nullable: false), Is.EqualTo(element.MakeArrayType()), element.Name);
                Assert.That(dialect.ArrayType(element, nullable: true), Is.EqualTo(nullableElement.MakeArrayType()), element.Name);
            }
        }
    }

    [Test]
    public void A_type_outside_the_PostgreSql_array_table_has_no_builder_and_no_array_type()
    {
        Assert.That((PostgreSqlArrayBuilders.Known(typeof(uint)), PostgreSqlArrayBuilders.ArrayType(typeof(uint))), Is.EqualTo(((Func<IReadOnlyList<object>, object>?)null, (Type?)null)));
        Assert.That((new PostgreSqlDialect().ArrayType(typeof(uint), nullable: false), new PostgreSqlDialect().ArrayType(typeof(uint), nullable: true)), Is.EqualTo(((Type?)null, (Type?)null)));
    }
}
