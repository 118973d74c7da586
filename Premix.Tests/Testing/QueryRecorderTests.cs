using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>premix.RecordQueries() records what Premix sends, per async flow, with masked parameters and the caller's line.</summary>
public sealed class QueryRecorderTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new CustomerMap());

    [OneTimeTearDown]
    public void DisposePremix() => _premix.Dispose();

    [SetUp]
    public async Task EmptyTableAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"DELETE FROM {Q("customers")}");
    }

    [Test]
    public async Task Each_statement_is_recorded_with_its_sql_kind_table_masked_parameters_and_the_callers_line()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customer = new Customer { Name = "Ada", Email = "ada@example.com" };
        uow.Repository<Customer>().Add(customer);
        using var queries = _premix.RecordQueries();

        var commitLine = Line(); await uow.CommitAsync();
        var getLine = Line(); await uow.Repository<Customer>().FindAsync(customer.Id + 1000);

        Assert.That(await ScalarAsync<string>($"SELECT {Q("Email")} FROM {Q("customers")} WHERE {Q("Id")} = {customer.Id}"), Is.EqualTo("ada@example.com"), "the commit happened");
        var statements = queries.Statements;
        Assert.That(statements, Has.Count.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            var insert = statements[0];
            Assert.That(insert.Kind, Is.EqualTo(StatementKind.Insert));
            Assert.That(insert.Operation, Is.EqualTo("Insert"));
            Assert.That(insert.Tables, Is.EqualTo(new[] { "customers" }));
            Assert.That(insert.Sql, Is.EqualTo(_premix.GetPlan<Customer>().Insert.Sql));
            Assert.That(insert.Parameters.Single(p => p.Value is "Ada").Value, Is.EqualTo("Ada"), "an ordinary value is recorded");
            Assert.That(insert.Parameters.Select(p => p.Value), Has.Member("***").And.No.Member("ada@example.com"), "the sensitive Email is masked as in the logs");
            Assert.That(insert.ParametersText, Does.Contain("'Ada'").And.Contain("=***").And.Not.Contain("ada@example.com"));
            Assert.That(insert.CallSite, Is.EqualTo(new StatementCallSite($"{nameof(QueryRecorderTests)}.{nameof(Each_statement_is_recorded_with_its_sql_kind_table_masked_parameters_and_the_callers_line)}", ThisFile(), commitLine)));
            Assert.That(insert.UnitOfWork, Is.SameAs(uow));

            var select = statements[1];
            Assert.That(select.Kind, Is.EqualTo(StatementKind.Select));
            Assert.That(select.Operation, Is.EqualTo("SelectByKey"));
            Assert.That(select.Sql, Is.EqualTo(_premix.GetPlan<Customer>().SelectByKey.Sql));
            Assert.That(select.Parameters.Single().Value, Is.EqualTo(customer.Id + 1000));
            Assert.That(select.Rows, Is.Zero);
            Assert.That(select.CallSite!.Line, Is.EqualTo(getLine));
            Assert.That(select.RoundTrip, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_failed_count_assertion_says_what_was_expected_and_lists_every_statement()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = _premix.RecordQueries();
        await uow.Repository<Customer>().FindAsync(1);
        await uow.Repository<Customer>().CountAsync();

        var error = Assert.Throws<QueryAssertionException>(() => queries.AssertCount(1, StatementKind.Select, "customers"));

        var plan = _premix.GetPlan<Customer>();
        var site = $"{nameof(QueryRecorderTests)}.{nameof(A_failed_count_assertion_says_what_was_expected_and_lists_every_statement)} ({Path.GetFileName(ThisFile())}:";
        Assert.That(error!.Message, Does.StartWith(
            $"Expected 1 SELECT statement on customers, but 2 were recorded.{Environment.NewLine}Recorded statements (2, * = counted):{Environment.NewLine}"
            + $"* 1. [round trip 1] SELECT customers (SelectByKey Customer) at {site}"));
        Assert.That(error.Message, Does.Contain($"{Environment.NewLine}     {plan.SelectByKey.Sql}{Environment.NewLine}     @"));
        Assert.That(error.Message, Does.Contain($"* 2. [round trip 2] SELECT customers (Count Customer) at {site}"));
        Assert.That(error.Message, Does.EndWith($"{Environment.NewLine}     {plan.Count.Sql}"));
        Assert.That(queries.AssertCount(2).AssertCount(2, StatementKind.Select, "CUSTOMERS").AssertNone(StatementKind.Insert).AssertRoundTrips(2), Is.SameAs(queries), "the right counts pass");
    }

    [Test]
    public void A_count_assertion_with_nothing_recorded_says_so()
    {
        using var queries = _premix.RecordQueries();

        var error = Assert.Throws<QueryAssertionException>(() => queries.AssertCount(1));

        Assert.That(error!.Message, Is.EqualTo($"Expected 1 statement, but 0 were recorded.{Environment.NewLine}Recorded statements: none."));
    }

    [Test]
    public async Task Clear_forgets_the_statements_and_numbers_round_trips_from_one_again()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = _premix.RecordQueries();
        await uow.Repository<Customer>().CountAsync();
        await uow.Repository<Customer>().CountAsync();

        queries.Clear();
        await uow.Repository<Customer>().FindAsync(1);

        Assert.That(queries.Statements.Select(s => (s.Operation, s.RoundTrip)), Is.EqualTo(new[] { ("SelectByKey", 1) }));
        var error = Assert.Throws<QueryAssertionException>(() => queries.AssertRoundTrips(2));
        Assert.That(error!.Message, Does.StartWith($"Expected 2 round trips, but 1 was made.{Environment.NewLine}Recorded statements (1):{Environment.NewLine}  1. [round trip 1] SELECT customers (SelectByKey Customer) at "));
    }

    [Test]
    public async Task Parallel_recorders_on_one_instance_each_see_only_their_own_flows_statements()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('x', 0)");
        }

        var ready = 0;
        var allRecording = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var flows = Enumerable.Range(0, 8).Select(flow => Task.Run(async () =>
        {
            using var queries = _premix.RecordQueries();
            if (Interlocked.Increment(ref ready) == 8)
            {
                allRecording.SetResult();
            }

            await allRecording.Task.WaitAsync(TimeSpan.FromSeconds(30)); // every recorder exists before any flow sends a statement
            await using var uow = _premix.BeginUnitOfWork();
            for (var i = 0; i <= flow; i++)
            {
                await uow.Repository<Customer>().FindAsync((flow * 100) + i + 10_000);
            }

            await _premix.Raw($"SELECT {flow} AS n").ReadOnly().ScalarAs<int>();
            return queries.Statements;
        })).ToArray();
        var seen = await Task.WhenAll(flows);

        using (Assert.EnterMultipleScope())
        {
            for (var flow = 0; flow < seen.Length; flow++)
            {
                var keys = seen[flow].Where(s => !s.IsRaw).Select(s => Convert.ToInt64(s.Parameters.Single().Value, System.Globalization.CultureInfo.InvariantCulture));
                Assert.That(keys, Is.EqualTo(Enumerable.Range(0, flow + 1).Select(i => (long)((flow * 100) + i + 10_000))), $"flow {flow} sees its own lookups only");
                Assert.That(seen[flow].Where(s => s.IsRaw).Select(s => s.Parameters.Single().Value), Is.EqualTo(new object[] { flow }), $"flow {flow} sees its own raw statement only");
            }
        }
    }

    [Test]
    public async Task Statements_of_the_unit_of_work_and_repositories_resolved_from_DI_are_recorded_and_a_raw_statement_names_its_tables()
    {
        await using var services = new ServiceCollection().AddPremix(p => p.UseProvider(Provider).AddModelConfiguration<CustomerMap>()).BuildServiceProvider(validateScopes: true);
        var premix = services.GetRequiredService<IPremix>();
        using var queries = premix.RecordQueries();
        using var untouched = _premix.RecordQueries();
        await using (var scope = services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().Add(new Customer { Name = "Grace" });
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync();
        }

        await premix.Raw($"SELECT c.{I("Name")} FROM {I("customers")} c JOIN {I("customers")} d ON d.{I("Id")} = c.{I("Id")}").ReadOnly().FetchAs<string>();

        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1));
        Assert.That(queries.AssertCount(1, StatementKind.Insert, "customers").AssertCount(1, StatementKind.Select, "customers").AssertCount(2), Is.Not.Null);
        var raw = queries.Statements[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.IsRaw, Is.True);
            Assert.That(raw.Tables, Is.EqualTo(new[] { "customers" }));
            Assert.That(raw.UnitOfWork, Is.Null);
            Assert.That(untouched.Statements, Is.Empty, "a recorder of another Premix instance sees nothing of this one");
        }
    }

    [Test]
    public async Task A_unit_of_works_recorder_ignores_other_units_of_work_in_the_same_flow()
    {
        await using var mine = _premix.BeginUnitOfWork();
        await using var other = _premix.BeginUnitOfWork();
        using var queries = mine.RecordQueries();

        await other.Repository<Customer>().FindAsync(1);
        await mine.Repository<Customer>().FindAsync(2);
        await other.Repository<Customer>().CountAsync();

        Assert.That(queries.Statements.Select(s => (s.Operation, s.UnitOfWork)), Is.EqualTo(new[] { ("SelectByKey", (IUnitOfWork?)mine) }));
    }

    [Test]
    public async Task A_disposed_recorder_records_nothing_more_and_keeps_what_it_recorded()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var queries = _premix.RecordQueries();
        await uow.Repository<Customer>().CountAsync();

        queries.Dispose();
        await uow.Repository<Customer>().CountAsync();

        Assert.That(queries.Statements, Has.Count.EqualTo(1));
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
