using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// A workload that writes, reads and fails on sensitive values, with parameter logging on: no log line, span or
/// exception text contains a sensitive value, including the database's own error messages.
/// </summary>
public sealed class SensitiveDataTests(Engine engine) : PremixTest(engine)
{
    private const string Secret = "ada.secret@example.com";

    [Test]
    public async Task Sensitive_values_never_reach_logs_spans_or_exception_texts()
    {
        using var telemetry = new TelemetryCapture();
        using var logs = new CapturingLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var premix = CreatePremix(p => p.AddModelConfiguration<CustomerMap>().EnableParameterLogging(), factory);
        await RecreateTablesAsync(premix);
        await premix.Raw($"CREATE UNIQUE INDEX {I("ux_customers_email")} ON {I("customers")} ({I("Email")})").ExecuteAsync();
        var errors = new List<Exception>();

        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "Ada", Email = Secret });
            uow.Repository<Customer>().Add(new Customer { Name = "Bob", Email = "bob-" + Secret });
            await uow.CommitAsync();
            var ada = await uow.Repository<Customer>().Query().Where(c => c.Email == Secret).FirstAsync();
            ada.Visits++;
            await uow.CommitAsync();
        }

        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "Copycat", Email = Secret });
            errors.Add(Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync())!);
        }

        var rawInsert = $"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Email")}, {Q("Visits")}) VALUES (@name, @email, 0)";
        errors.Add(Assert.ThrowsAsync<UniqueConstraintException>(() => premix.Raw(rawInsert, new { name = "Raw", email = Secret }).Sensitive("email").ExecuteAsync())!);
        var byName = $"SELECT {Q("Name")} AS Name FROM {Q("customers")} WHERE {Q("Email")} = @email"; // the verbatim form, arguments named sensitive
        var found = await premix.Raw(byName, new { email = Secret }).Sensitive("@email").FetchAs<NameRow>();
        var foundByHole = await premix.Raw($"SELECT {I("Name")} AS Name FROM {I("customers")} WHERE {I("Email")} = {RawSql.Sensitive(Secret)}").FetchAs<NameRow>();

        var lines = logs.Entries.Select(e => e.Message).ToList();
        var spans = telemetry.Spans(DatabaseName);
        var spanTexts = spans.SelectMany(SpanTexts).ToList();
        var exceptionTexts = errors.Select(e => e.ToString()).ToList();
        await TestContext.Out.WriteLineAsync($"{Engine}: scanned {lines.Count} log lines, {spans.Count} spans ({spanTexts.Count} texts) and {exceptionTexts.Count} exception texts");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found.Select(r => r.Name), Is.EqualTo(new[] { "Ada" }));
            Assert.That(foundByHole.Select(r => r.Name), Is.EqualTo(new[] { "Ada" }));
            Assert.That(lines, Has.Some.Contains("@p0=***"), "a hole marked RawSql.Sensitive is masked");
            Assert.That(lines, Has.Count.GreaterThanOrEqualTo(8), "the workload was logged");
            Assert.That(lines, Has.Some.Contains("@Email=***").Or.Some.Contains("@Email=[***, ***]"), "sensitive parameters are shown, masked");
            Assert.That(lines, Has.Some.Contains("@email=***"), "a raw argument marked Sensitive() is masked");
            Assert.That(lines, Has.None.Contains(Secret));
            Assert.That(spans, Has.Count.GreaterThanOrEqualTo(6));
            Assert.That(spanTexts, Has.None.Contains(Secret));
            Assert.That(exceptionTexts, Has.None.Contains(Secret));
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(2), "neither failed insert wrote a row");
        }

        // MariaDB names the duplicate value in its message, so the driver's exception is replaced by a redacted copy;
        // PostgreSQL (without Include Error Detail) and SQLite name only the constraint, so theirs is kept.
        foreach (var error in errors)
        {
            if (Engine == Engine.MySql)
            {
                var redacted = error.InnerException as RedactedDatabaseException;
                Assert.That(redacted, Is.Not.Null);
                Assert.That(redacted!.Message, Does.Contain("Duplicate entry '***'"));
                Assert.That(redacted.SqlState, Is.EqualTo("23000"));
                Assert.That(redacted.DriverExceptionType, Is.EqualTo("MySqlConnector.MySqlException"));
            }
            else
            {
                Assert.That(error.InnerException, Is.InstanceOf<DbException>().And.Not.InstanceOf<RedactedDatabaseException>());
            }
        }
    }

    private static IEnumerable<string> SpanTexts(Activity span) =>
        new[] { span.DisplayName, span.StatusDescription ?? string.Empty }
            .Concat(span.TagObjects.Select(t => t.Value?.ToString() ?? string.Empty))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => t.Value?.ToString() ?? string.Empty).Append(e.Name)));

    private sealed record NameRow(string Name);
}
