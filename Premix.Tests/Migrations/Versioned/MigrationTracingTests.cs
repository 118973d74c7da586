using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>
/// The statements of a migration run and of a schema sync are client spans and measurements like every other
/// statement: named by their verb, the SQL as text, errors recorded on the span.
/// </summary>
public sealed class MigrationTracingTests(Engine engine) : MigrationTest(engine)
{
    private TelemetryCapture _telemetry = null!;

    [SetUp]
    public void Listen() => _telemetry = new TelemetryCapture();

    [TearDown]
    public void StopListening() => _telemetry.Dispose();

    [Test]
    public async Task A_migrations_script_and_its_history_statements_are_spans()
    {
        const string Script = "CREATE TABLE traced_orders (id INT)";
        Write(V1, "traced", Script);

        await CreatePremix().MigrateAsync(Folder);

        var spans = _telemetry.Spans(DatabaseName);
        using (Assert.EnterMultipleScope())
        {
            var script = spans.SingleOrDefault(s => Equals(s.GetTagItem("db.query.text"), Script + Environment.NewLine) || Equals(s.GetTagItem("db.query.text"), Script));
            Assert.That(script?.DisplayName, Is.EqualTo("CREATE"), string.Join(", ", spans.Select(s => s.DisplayName)));
            Assert.That(spans.Any(s => s.DisplayName == "INSERT" && ((string)s.GetTagItem("db.query.text")!).Contains("premix_migrations", StringComparison.Ordinal)), Is.True, "the history insert");
            Assert.That(_telemetry.Measurements(PremixDiagnostics.OperationDuration, DatabaseName).Any(m => Equals(m.Tag("db.operation.name"), "CREATE")), Is.True);
        }
    }

    [Test]
    public async Task A_failing_migration_statement_is_a_span_with_its_error()
    {
        Write(V1, "broken", "CREATE TABLE broken_orders (id INT NOT A TYPE)");

        Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));

        var failed = _telemetry.Spans(DatabaseName).Where(s => s.Status == System.Diagnostics.ActivityStatusCode.Error).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Select(s => s.DisplayName), Does.Contain("CREATE"));
            Assert.That(_telemetry.Measurements(PremixDiagnostics.Errors, DatabaseName), Is.Not.Empty);
        }
    }

    [Test]
    public async Task A_syncs_ddl_statements_are_spans()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()));

        await premix.SyncAsync();

        var created = _telemetry.Spans(DatabaseName).Where(s => s.DisplayName == "CREATE").Select(s => (string)s.GetTagItem("db.query.text")!).ToList();
        Assert.That(created, Has.Some.Contains(Q("customers")), string.Join(Environment.NewLine, created));
    }
}
