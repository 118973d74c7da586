using System.Data;
using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Querying;
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
        var read = Expression.Lambda<Func<DbDataReader, object>>(Expression.Convert(RowReaders.Read(reader, 1, plan.Properties[1]), typeof(object)), reader);

        var calls = new Calls();
        calls.Visit(DriverRowReader.ForClass(read, typeof(NpgsqlDataReader)).Body);

        Assert.That(calls.DeclaringTypes, Is.EquivalentTo(new[] { typeof(NpgsqlDataReader), typeof(NpgsqlDataReader) }), "IsDBNull, then GetString, both NpgsqlDataReader's");
    }

    // The generic getters (GetFieldValue<T>: DateTimeOffset, Guid, converted enums) go through their generic definition:
    // the class's override, constructed for the same T; where the class has no override, or hides one with `new`,
    // DbDataReader's method stays and is dispatched virtually.
    [Test]
    public void Generic_getters_go_to_the_class_override_and_methods_it_does_not_override_or_hides_stay_DbDataReader_s()
    {
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var getGuid = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!.MakeGenericMethod(typeof(Guid));
        var getString = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetString))!;
        var read = Expression.Lambda<Func<DbDataReader, object>>(
            Expression.Call(typeof(Tuple), nameof(Tuple.Create), [typeof(Guid), typeof(string)], Expression.Call(reader, getGuid, Expression.Constant(0)), Expression.Call(reader, getString, Expression.Constant(1))),
            reader);

        var npgsql = Called(DriverRowReader.ForClass(read, typeof(NpgsqlDataReader)));
        var hiding = Called(DriverRowReader.ForClass(read, typeof(HidingGetString)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(npgsql[0].DeclaringType, Is.EqualTo(typeof(NpgsqlDataReader)), "GetFieldValue<Guid>: Npgsql's override");
            Assert.That((npgsql[0].IsGenericMethodDefinition, npgsql[0].GetGenericArguments().Single()), Is.EqualTo((false, typeof(Guid))), "constructed for Guid");
            Assert.That(npgsql[1].DeclaringType, Is.EqualTo(typeof(NpgsqlDataReader)), "GetString: Npgsql's override");
            Assert.That(hiding.Select(m => (m.DeclaringType, m.Name)), Is.EqualTo(new[] { (typeof(DbDataReader), getGuid.Name), (typeof(DbDataReader), getString.Name) }),
                "GetFieldValue<Guid>: not overridden; GetString: hidden with new; both DbDataReader's (dispatched to the override)");
        }
    }

    [Test]
    public void A_second_sealed_class_after_the_first_reads_the_same_row()
    {
        var rows = new PlanCompiler(new PostgreSqlDialect()).Compile(Shop.Get(typeof(Customer))).Rows;

        var first = ReadFromTable(rows);
        var second = ReadFromTable(rows, inner => new WithGenericTwin(inner));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(((DriverRowReader)rows).ReadsThrough, Is.EqualTo(typeof(DataTableReader)), "the first class keeps the typed form");
            foreach (var customer in new[] { first, second })
            {
                Assert.That((customer.Id, customer.Name, customer.Email, customer.Visits), Is.EqualTo((7L, "Ada", (string?)null, 3)));
            }
        }
    }

    // The expression serves only to compile a form not compiled yet: it stays while one is missing (a reader of the other
    // kind may still come) and goes once both are, and both classes still read the row after that.
    [Test]
    public void The_reader_keeps_its_expression_until_both_forms_are_compiled_then_drops_it_and_reads_both_classes()
    {
        var rows = (DriverRowReader)new PlanCompiler(new PostgreSqlDialect()).Compile(Shop.Get(typeof(Customer))).Rows;
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();

        var held = new List<bool> { rows.HoldsExpression };
        var read = new List<Customer> { ReadFromTable(rows) };
        held.Add(rows.HoldsExpression);
        read.Add(ReadFromSqlite(rows, connection));
        held.Add(rows.HoldsExpression);
        read.Add(ReadFromTable(rows));
        read.Add(ReadFromSqlite(rows, connection));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(held, Is.EqualTo(new[] { true, true, false }), "before any read, after the typed form, after both forms");
            Assert.That(rows.ReadsThrough, Is.EqualTo(typeof(DataTableReader)));
            foreach (var customer in read)
            {
                Assert.That((customer.Id, customer.Name, customer.Email, customer.Visits), Is.EqualTo((7L, "Ada", (string?)null, 3)));
            }
        }
    }

    private static List<System.Reflection.MethodInfo> Called(Expression<Func<DbDataReader, object>> lambda)
    {
        var calls = new Calls();
        calls.Visit(lambda.Body);
        return calls.Methods.Where(m => m.DeclaringType != typeof(Tuple)).ToList();
    }

    // A driver's class may declare more than DbDataReader's overrides: a generic method of the same name and parameters, or
    // a method hiding an override with `new`. Neither may be called in the override's place, and neither may make the
    // plan's reader throw: the typed form was built with a lookup that threw AmbiguousMatchException on the generic twin,
    // on every statement, although the general form reads the row.
    [Test]
    public void A_sealed_reader_class_with_a_generic_twin_or_a_hiding_getter_reads_through_the_overrides_on_every_statement()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, open) in new (string, Func<DataTableReader, DbDataReader>)[] { (nameof(WithGenericTwin), inner => new WithGenericTwin(inner)), (nameof(HidingGetString), inner => new HidingGetString(inner)) })
            {
                var rows = new PlanCompiler(new PostgreSqlDialect()).Compile(Shop.Get(typeof(Customer))).Rows;
                for (var statement = 1; statement <= 2; statement++)
                {
                    var customer = ReadFromTable(rows, open);
                    Assert.That(customer.Name, Is.EqualTo("Ada"), $"{name}, statement {statement}: the override's value, not the other method's");
                    Assert.That(customer.Id, Is.EqualTo(7), name);
                    Assert.That(customer.Email, Is.Null, name);
                }

                Assert.That(((DriverRowReader)rows).ReadsThrough?.Name, Is.EqualTo(name), "the typed form, made for the class");
            }
        }
    }

    // Before the driver's class could be known, a Select's reader was compiled when its shape was translated; now on its
    // first read (the cached shape holds the expression until then), once.
    [Test]
    public void A_select_reader_is_compiled_on_its_first_read_not_when_translated_and_once()
    {
        var plan = new PlanCompiler(new PostgreSqlDialect()).Compile(Shop.Get(typeof(Customer)));
        Expression<Func<Customer, object>> selector = c => new { c.Name, c.Visits };
        var compiled = LazyDelegates.CountInThisFlow();

        var projection = Projection.Compile(plan, new PostgreSqlDialect(), selector);
        var atTranslation = compiled.Value;
        using var table = new DataTable();
        table.Columns.Add("Name", typeof(string));
        table.Columns.Add("Visits", typeof(int));
        table.Rows.Add("Ada", 3);
        var read = new List<object>();
        for (var statement = 1; statement <= 2; statement++)
        {
            using var reader = table.CreateDataReader();
            Assert.That(reader.Read(), Is.True);
            read.Add(projection.Rows.Open(reader, "SELECT ...")(reader));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(atTranslation, Is.Zero, "nothing compiled when the Select is translated");
            Assert.That(compiled.Value, Is.EqualTo(1), "one compilation over two reads");
            Assert.That(read.Select(r => r.ToString()), Is.All.EqualTo("{ Name = Ada, Visits = 3 }"));
        }
    }

    private static Customer ReadFromTable(Premix.Execution.RowReader rows) => ReadFromTable(rows, inner => inner);

    private static Customer ReadFromTable(Premix.Execution.RowReader rows, Func<DataTableReader, DbDataReader> open)
    {
        using var table = new DataTable();
        table.Columns.Add("Id", typeof(long));
        table.Columns.Add("Name", typeof(string));
        table.Columns.Add("Email", typeof(string));
        table.Columns.Add("Visits", typeof(int));
        table.Rows.Add(7L, "Ada", DBNull.Value, 3);
        using var reader = open(table.CreateDataReader());
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

    /// <summary>A reader class that forwards every <see cref="DbDataReader"/> override to a <see cref="DataTableReader"/>.</summary>
    private abstract class Odd(DataTableReader inner) : DbDataReader
    {
        public override int Depth => inner.Depth;
        public override int FieldCount => inner.FieldCount;
        public override bool HasRows => inner.HasRows;
        public override bool IsClosed => inner.IsClosed;
        public override int RecordsAffected => inner.RecordsAffected;
        public override object this[int ordinal] => inner[ordinal];
        public override object this[string name] => inner[name];
        public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);
        public override byte GetByte(int ordinal) => inner.GetByte(ordinal);
        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
        public override char GetChar(int ordinal) => inner.GetChar(ordinal);
        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
        public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
        public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);
        public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);
        public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);
        public override System.Collections.IEnumerator GetEnumerator() => inner.GetEnumerator();
        public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);
        public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);
        public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);
        public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);
        public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);
        public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);
        public override string GetName(int ordinal) => inner.GetName(ordinal);
        public override int GetOrdinal(string name) => inner.GetOrdinal(name);
        public override string GetString(int ordinal) => inner.GetString(ordinal);
        public override object GetValue(int ordinal) => inner.GetValue(ordinal);
        public override int GetValues(object[] values) => inner.GetValues(values);
        public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);
        public override bool NextResult() => inner.NextResult();
        public override bool Read() => inner.Read();
    }

    // A reader returns the class it builds, so a list of that class takes each row uncast; anything else returns object, as written.
    [TestCase("a class", typeof(Built))]
    [TestCase("a class in two blocks", typeof(Built))]
    [TestCase("a null of a class", typeof(Built))]
    [TestCase("an int", typeof(object))]
    [TestCase("a struct", typeof(object))]
    [TestCase("a conversion by a method", typeof(object))]
    [TestCase("an object", typeof(object))]
    public void A_reader_returns_the_class_it_builds_and_object_for_anything_else_with_the_same_row(string body, Type returned)
    {
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var built = Expression.MemberInit(Expression.New(typeof(Built)), Expression.Bind(typeof(Built).GetProperty(nameof(Built.Name))!, Expression.Constant("b")));
        var inner = Expression.Variable(typeof(Built), "inner");
        var outer = Expression.Variable(typeof(Built), "outer");
        Expression written = body switch
        {
            "a class" => Expression.Convert(built, typeof(object)),
            "a class in two blocks" => Expression.Block([outer], Expression.Assign(outer, built), Expression.Block([inner], Expression.Assign(inner, outer), Expression.Convert(inner, typeof(object)))),
            "a null of a class" => Expression.Convert(Expression.Constant(null, typeof(Built)), typeof(object)),
            "an int" => Expression.Convert(Expression.Constant(4), typeof(object)),
            "a struct" => Expression.Convert(Expression.Constant(new DateTime(2026, 12, 8)), typeof(object)),
            "a conversion by a method" => Expression.Convert(built, typeof(object), typeof(Built).GetMethod(nameof(Built.Described))),
            _ => Expression.Constant("o", typeof(object)),
        };
        var lambda = Expression.Lambda<Func<DbDataReader, object>>(written, reader);

        var read = DriverRowReader.CompileReturningItsClass(lambda);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Method.ReturnType, Is.EqualTo(returned));
            Assert.That(read(null!), Is.EqualTo(lambda.Compile()(null!)), "the same row as the reader as written");
        }
    }

    private sealed record Built
    {
        public string Name { get; init; } = "";

        public static object Described(Built built) => "described " + built.Name;
    }

    private sealed class WithGenericTwin(DataTableReader inner) : Odd(inner)
    {
        public string GetString<T>(int ordinal) => "the generic twin";
    }

    private sealed class HidingGetString(DataTableReader inner) : Odd(inner)
    {
        public new string GetString(int ordinal) => "the hiding method";
    }

    private sealed class Calls : ExpressionVisitor
    {
        public List<System.Reflection.MethodInfo> Methods { get; } = [];

        public IEnumerable<Type?> DeclaringTypes => Methods.Select(m => m.DeclaringType);

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            Methods.Add(node.Method);
            return base.VisitMethodCall(node);
        }
    }
}
