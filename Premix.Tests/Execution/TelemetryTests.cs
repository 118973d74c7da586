using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// Every statement is a client span named and tagged by OpenTelemetry's database conventions, every commit a span
/// around its statements; the meter counts durations, rows, errors, commits, rollbacks, conflicts and connections.
/// </summary>
public sealed class TelemetryTests(Engine engine) : PremixTest(engine)
{
    private TelemetryCapture _telemetry = null!;
    private CapturingLoggerProvider _logs = null!;
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _telemetry = new TelemetryCapture();
        _logs = new CapturingLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _premix = await CreatePremixWithTablesAsync(factory, new CustomerMap(), new CounterMap(), new PickyNoteMap());
    }

    [TearDown]
    public void StopListening()
    {
        _telemetry.Dispose();
        _logs.Dispose();
    }

    [Test]
    public async Task Each_statement_is_a_client_span_tagged_by_the_database_conventions_inside_its_commit()
    {
        var before = _telemetry.Spans(DatabaseName).Count;
        long id;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var customer = new Customer { Name = "Ada", Email = "ada@example.com" };
            uow.Repository<Customer>().Add(customer);
            await uow.CommitAsync();
            id = customer.Id;
        }

        await using (var reader = _premix.BeginUnitOfWork())
        {
            await reader.Repository<Customer>().GetAsync(id); // a new unit of work: the identity map would answer without a statement
        }

        await _premix.Raw($"SELECT COUNT(*) FROM {I("customers")}").ScalarAs<long>();

        var spans = _telemetry.Spans(DatabaseName).Skip(before).ToList();
        var insert = spans.Single(s => s.DisplayName == "INSERT customers");
        var commit = spans.Single(s => s.DisplayName == "COMMIT");
        var select = spans.Single(s => s.DisplayName == "SELECT customers");
        var raw = spans.Single(s => s.DisplayName == "SELECT");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(insert.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(insert.GetTagItem("db.system.name"), Is.EqualTo(Provider.Name));
            Assert.That(insert.GetTagItem("db.operation.name"), Is.EqualTo("INSERT"));
            Assert.That(insert.GetTagItem("db.collection.name"), Is.EqualTo("customers"));
            Assert.That(insert.GetTagItem("db.query.text") as string, Does.StartWith("INSERT INTO"));
            Assert.That(insert.GetTagItem("server.address"), Is.EqualTo(Engine == Engine.Sqlite ? null : "127.0.0.1"));
            Assert.That(insert.Parent, Is.SameAs(commit), "the commit's statements are its children");
            Assert.That(commit.GetTagItem("premix.commit.inserted"), Is.EqualTo(1));
            Assert.That(select.GetTagItem("db.query.text") as string, Does.Contain("WHERE"));
            Assert.That(select.GetTagItem("db.response.returned_rows"), Is.EqualTo(1L));
            Assert.That(raw.GetTagItem("db.collection.name"), Is.Null, "raw SQL belongs to no mapped table");
            Assert.That(spans.Select(s => s.Status), Is.All.EqualTo(ActivityStatusCode.Unset));
        }
    }

    [Test]
    public async Task A_failed_statement_marks_its_span_and_the_commit_and_is_counted()
    {
        await _premix.Raw($"CREATE UNIQUE INDEX {I("ux_customers_name")} ON {I("customers")} ({I("Name")})").ExecuteAsync();
        await using (var seed = _premix.BeginUnitOfWork())
        {
            seed.Repository<Customer>().Add(new Customer { Name = "Ada" });
            await seed.CommitAsync();
        }

        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
        Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        var failed = _telemetry.Spans(DatabaseName).Where(s => s.Status == ActivityStatusCode.Error).ToList();
        var errors = _telemetry.Measurements(PremixDiagnostics.Errors, DatabaseName);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Select(s => s.DisplayName), Is.EquivalentTo(new[] { "INSERT customers", "COMMIT" }));
            Assert.That(failed[0].GetTagItem("error.type"), Is.Not.Null.And.Not.Empty);
            Assert.That(errors, Has.Count.EqualTo(1));
            Assert.That(errors[0].Tag("error.type"), Is.EqualTo(failed[0].GetTagItem("error.type")));
            Assert.That(_telemetry.Measurements(PremixDiagnostics.Rollbacks, DatabaseName), Has.Count.EqualTo(1));
            Assert.That(_telemetry.Measurements(PremixDiagnostics.Commits, DatabaseName), Has.Count.EqualTo(1), "the seed's commit only");
        }
    }

    // A row the entity refuses (here its setter throws) is no failed statement: the caller gets the entity's own exception,
    // unwrapped, as before. The statement's span used to stay open and no error was counted.
    // A list read and a stream build their rows in two places; both end the span.
    [TestCase(false)]
    [TestCase(true)]
    public async Task A_row_the_entity_refuses_reaches_the_caller_unwrapped_and_its_span_ends_marked_failed(bool streamed)
    {
        await ExecuteAsync($"INSERT INTO {Q("picky_notes")} ({Q("Text")}) VALUES (@Text)", new { Text = PickyNote.Refused });
        var errorsBefore = _telemetry.Measurements(PremixDiagnostics.Errors, DatabaseName).Count;

        await using var uow = _premix.BeginUnitOfWork();
        var notes = uow.Repository<PickyNote>();
        var error = streamed
            ? Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await foreach (var _ in notes.Query().AsAsyncEnumerable())
                {
                }
            })
            : Assert.ThrowsAsync<InvalidOperationException>(() => notes.ListAsync());

        var failed = _telemetry.Spans(DatabaseName).Where(s => s.Status == ActivityStatusCode.Error).ToList();
        var errors = _telemetry.Measurements(PremixDiagnostics.Errors, DatabaseName).Skip(errorsBefore).ToList();
        var failedLogs = _logs.Entries.Where(e => e.Id == PremixEventId.CommandFailed).Select(e => e.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Is.EqualTo(PickyNote.Refusal), "the entity's exception itself");
            Assert.That(failedLogs, Has.Count.EqualTo(1), "logged as a failed statement");
            Assert.That(
                failedLogs.FirstOrDefault(),
                Does.Contain("picky_notes").And.Contain("The rows could not be read: InvalidOperationException.").And.Not.Contain(PickyNote.Refused),
                "the statement and the reason, without the value read");
            Assert.That(failed.Select(s => s.DisplayName), Is.EqualTo(new[] { "SELECT picky_notes" }));
            Assert.That(failed[0].GetTagItem("error.type"), Is.EqualTo(typeof(InvalidOperationException).FullName));
            Assert.That(failed[0].StatusDescription, Does.Not.Contain(PickyNote.Refused), "the reason names the exception's type, never a value read");
            Assert.That(errors.Select(e => e.Tag("error.type")), Is.EqualTo(new[] { typeof(InvalidOperationException).FullName }));
        }
    }

    [Test]
    public async Task The_meter_counts_durations_rows_commits_and_the_connections_held()
    {
        // The setup's schema sync is measured too (its catalog reads are statements like any other): count after it.
        var durationsBefore = _telemetry.Measurements(PremixDiagnostics.OperationDuration, DatabaseName).Count;
        var rowsBefore = _telemetry.Measurements(PremixDiagnostics.Rows, DatabaseName).Count;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            for (var i = 0; i < 3; i++)
            {
                uow.Repository<Customer>().Add(new Customer { Name = $"c{i}" });
            }

            await uow.CommitAsync();
            Assert.That(await uow.Repository<Customer>().ListAsync(), Has.Count.EqualTo(3));
            Assert.That(ConnectionsHeld(), Is.Zero, "between operations the unit of work holds no connection (ConnectionLifetimeTests: one while a transaction or a stream is open)");
        }

        var durations = _telemetry.Measurements(PremixDiagnostics.OperationDuration, DatabaseName).Skip(durationsBefore).ToList();
        var rows = _telemetry.Measurements(PremixDiagnostics.Rows, DatabaseName).Skip(rowsBefore).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(durations.Where(d => Equals(d.Tag("db.operation.name"), "SELECT") && Equals(d.Tag("db.collection.name"), "customers")).ToList(), Has.Count.EqualTo(1));
            Assert.That(durations.Select(d => d.Value), Is.All.GreaterThan(0));
            Assert.That(durations.Select(d => d.Tag("db.system.name")), Is.All.EqualTo(Provider.Name));
            Assert.That(rows.Where(r => Equals(r.Tag("db.operation.name"), "INSERT")).Sum(r => r.Value), Is.EqualTo(3));
            Assert.That(rows.Where(r => Equals(r.Tag("db.operation.name"), "SELECT")).Sum(r => r.Value), Is.EqualTo(3));
            Assert.That(_telemetry.Measurements(PremixDiagnostics.Commits, DatabaseName), Has.Count.EqualTo(1));
            Assert.That(ConnectionsHeld(), Is.Zero, "every connection taken was given back");
        }
    }

    [Test]
    public async Task A_concurrency_conflict_is_counted_and_logged_as_its_own_event()
    {
        await using (var seed = _premix.BeginUnitOfWork())
        {
            seed.Repository<Counter>().Add(new Counter { Name = "hits", Version = 1 });
            await seed.CommitAsync();
        }

        await using var uow = _premix.BeginUnitOfWork();
        var counter = (await uow.Repository<Counter>().ListAsync()).Single();
        await _premix.Raw($"UPDATE {I("counters")} SET {I("Version")} = 7").ExecuteAsync();
        counter.Value = 1;
        Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_telemetry.Measurements(PremixDiagnostics.Conflicts, DatabaseName), Has.Count.EqualTo(1));
            Assert.That(_logs.Entries.Where(e => e.Id == PremixEventId.ConcurrencyConflict).Select(e => e.Message).ToList(), Has.One.Contains($"Counter with key {counter.Id} matched no row"));
        }
    }

    private double ConnectionsHeld() => _telemetry.Measurements(PremixDiagnostics.ActiveConnections, DatabaseName).Sum(m => m.Value);
}
