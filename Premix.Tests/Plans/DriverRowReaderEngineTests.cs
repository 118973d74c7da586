using System.Data.Common;
using System.Linq.Expressions;
using Premix.ColdStart.Model;
using Premix.Plans;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// On PostgreSQL and MariaDB a plan's row reader, and a Select's, read through the driver's own sealed reader class
/// (<c>NpgsqlDataReader</c>, <c>MySqlDataReader</c>) once a statement has shown it; on SQLite, whose reader class is not
/// sealed, through <see cref="DbDataReader"/>. Without it every suite stays green while the gain of issue 17 item 1 is lost.
/// </summary>
public sealed class DriverRowReaderEngineTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task StartAndArrangeAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new Entity000Map(), new Entity001Map());
        await ExecuteAsync(
            $"INSERT INTO {Q("entity001")} ({Q("Name")}, {Q("Code")}, {Q("Amount")}, {Q("Quantity")}, {Q("CreatedAt")}, {Q("IsActive")}, {Q("Note")}, {Q("Ratio")}, {Q("ParentId")}) "
            + "VALUES (@name, @code, @amount, @quantity, @createdAt, @isActive, @note, @ratio, @parent)",
            new { name = "one", code = "C1", amount = 12.5m, quantity = 4, createdAt = new DateTime(2026, 1, 2, 3, 4, 5), isActive = true, note = (string?)null, ratio = 0.5, parent = (long?)null });
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task A_list_and_a_select_read_through_the_driver_class_on_PostgreSql_and_MariaDb_and_through_DbDataReader_on_Sqlite()
    {
        var expected = Engine switch
        {
            Engine.PostgreSql => typeof(Npgsql.NpgsqlDataReader),
            Engine.Sqlite => null,
            _ => typeof(MySqlConnector.MySqlDataReader),
        };
        var plan = _premix.GetPlan<Entity001>();
        Expression<Func<Entity001, object>> selector = e => new { e.Name, e.Quantity };
        var projection = Projection.Compile(plan, Provider.Dialect, selector);

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var listed = await uow.Repository<Entity001>().ListAsync();
            Assert.That(listed.Select(e => (e.Name, e.Quantity)), Is.EqualTo(new[] { ("one", 4) }));
        }

        object selected;
        await using (var connection = await OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {projection.SelectList} FROM {Q("entity001")}";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True);
            selected = projection.Rows.Open(reader, command.CommandText)(reader);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(selected.ToString(), Is.EqualTo("{ Name = one, Quantity = 4 }"), "the Select's row");
            Assert.That(((DriverRowReader)plan.Rows).ReadsThrough, Is.EqualTo(expected), "the plan's rows");
            Assert.That(((DriverRowReader)projection.Rows).ReadsThrough, Is.EqualTo(expected), "the Select's rows");
        }
    }

    [Test]
    public async Task The_plan_s_reader_and_a_select_of_a_class_return_their_class_and_a_select_of_a_value_returns_it_boxed_on_every_engine()
    {
        var plan = _premix.GetPlan<Entity001>();
        Expression<Func<Entity001, object>> named = e => new { e.Name, e.Quantity };
        Expression<Func<Entity001, int>> quantity = e => e.Quantity;
        var anonymous = Projection.Compile(plan, Provider.Dialect, named);
        var value = Projection.Compile(plan, Provider.Dialect, quantity);

        await using var connection = await OpenConnectionAsync();
        async Task<(Func<DbDataReader, object> Read, object Row)> ReadAsync(Premix.Execution.RowReader rows, string selectList)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {selectList} FROM {Q("entity001")}";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True);
            var read = rows.Open(reader, command.CommandText);
            return (read, read(reader));
        }

        var entity = await ReadAsync(plan.Rows, plan.SelectList);
        var select = await ReadAsync(anonymous.Rows, anonymous.SelectList);
        var boxed = await ReadAsync(value.Rows, value.SelectList);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entity.Read, Is.InstanceOf<Func<DbDataReader, Entity001>>(), "a list of Entity001 takes each row as it is read, uncast");
            Assert.That(((Entity001)entity.Row).Name, Is.EqualTo("one"));
            Assert.That(select.Read.Method.ReturnType, Is.EqualTo(select.Row.GetType()), "the Select's anonymous class");
            Assert.That(select.Row.ToString(), Is.EqualTo("{ Name = one, Quantity = 4 }"));
            Assert.That(boxed.Read.Method.ReturnType, Is.EqualTo(typeof(object)), "an int is returned boxed");
            Assert.That(boxed.Row, Is.EqualTo(4));
        }
    }
}
