using System.Data;
using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// A plan's row reader calls the getters of the driver's own (sealed) reader class once a statement shows it, and a reader
/// of any other class (a profiler's wrapper, an unsealed driver class) still reads the same row. No engine: the readers
/// here are a <see cref="DataTableReader"/> (sealed) and an in-memory SQLite reader (not sealed); the engine suites read
/// through the drivers' own classes.
/// </summary>
public sealed class DriverRowReaderTests
{
    private static readonly Model Shop = new ModelBuilder().Add(new CustomerMap()).Build();

    [TestCase(true)]
    [TestCase(false)]
    public void A_reader_of_another_class_reads_the_same_row_whichever_class_came_first(bool sealedClassFirst)
    {
        foreach (var dialect in new Premix.Providers.ISqlDialect[] { new PostgreSqlDialect(), new SqliteDialect() })
        {
            var rows = new PlanCompiler(dialect).Compile(Shop.Get(typeof(Customer))).Rows;
            using var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();

            var first = sealedClassFirst ? ReadFromTable(rows) : ReadFromSqlite(rows, connection);
            var second = sealedClassFirst ? ReadFromSqlite(rows, connection) : ReadFromTable(rows);

            using (Assert.EnterMultipleScope())
            {
                foreach (var customer in new[] { first, second })
                {
                    Assert.That(customer.Id, Is.EqualTo(7), dialect.GetType().Name);
                    Assert.That(customer.Name, Is.EqualTo("Ada"), dialect.GetType().Name);
                    Assert.That(customer.Email, Is.Null, dialect.GetType().Name);
                    Assert.That(customer.Visits, Is.EqualTo(3), dialect.GetType().Name);
                }
            }
        }
    }

    [Test]
    public void The_reader_made_for_a_driver_class_calls_that_class_getters_and_nothing_of_DbDataReader()
    {
        var plan = new PlanCompiler(new PostgreSqlDialect()).Compile(Shop.Get(typeof(Customer)));
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var read = Expression.Lambda<Func<DbDataReader, object>>(Expression.Convert(RowReaders.Read(reader, 1, plan.Properties[1], nullsFirst: true), typeof(object)), reader);

        var calls = new Calls();
        calls.Visit(DriverRowReader.ForClass(read, typeof(NpgsqlDataReader)).Body);

        Assert.That(calls.DeclaringTypes, Is.EquivalentTo(new[] { typeof(NpgsqlDataReader), typeof(NpgsqlDataReader) }), "IsDBNull, then GetString, both NpgsqlDataReader's");
    }

    private static Customer ReadFromTable(Premix.Execution.RowReader rows)
    {
        using var table = new DataTable();
        table.Columns.Add("Id", typeof(long));
        table.Columns.Add("Name", typeof(string));
        table.Columns.Add("Email", typeof(string));
        table.Columns.Add("Visits", typeof(int));
        table.Rows.Add(7L, "Ada", DBNull.Value, 3);
        using var reader = table.CreateDataReader();
        Assert.That(reader.Read(), Is.True);
        return (Customer)rows.Open(reader, "SELECT ...")(reader);
    }

    private static Customer ReadFromSqlite(Premix.Execution.RowReader rows, SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 7, 'Ada', NULL, 3";
        using var reader = command.ExecuteReader();
        Assert.That(reader.Read(), Is.True);
        return (Customer)rows.Open(reader, command.CommandText)(reader);
    }

    private sealed class Calls : ExpressionVisitor
    {
        public List<Type?> DeclaringTypes { get; } = [];

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            DeclaringTypes.Add(node.Method.DeclaringType);
            return base.VisitMethodCall(node);
        }
    }
}
