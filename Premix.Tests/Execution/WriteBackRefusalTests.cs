using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// A write whose answer the entity refuses (its key setter throws on the generated key an insert returns, or on the key an
/// upsert reads back) ends as a read whose row the entity refuses does (<see cref="TelemetryTests"/>): the caller gets the
/// entity's own exception, the statement's span ends marked failed, it is logged as <c>CommandFailed</c> and recorded as
/// failed, and the commit rolls back (nothing written, checked through plain SQL), with no value read in any of them.
/// </summary>
public sealed class WriteBackRefusalTests(Engine engine) : PremixTest(engine)
{
    private TelemetryCapture _telemetry = null!;
    private CapturingLoggerProvider _logs = null!;
    private ILoggerFactory _loggerFactory = null!;
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _telemetry = new TelemetryCapture();
        _logs = new CapturingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _premix = await CreatePremixWithTablesAsync(_loggerFactory, new ShyBadgeMap());
    }

    [TearDown]
    public void StopListening()
    {
        _premix.Dispose();
        _loggerFactory.Dispose();
        _telemetry.Dispose();
        _logs.Dispose();
    }

    // One row: a statement of its own; three: a many-row statement (PostgreSQL, MariaDB) or one command re-bound per row
    // (SQLite). Past the bulk threshold, PostgreSQL takes the keys from the sequence first (AllocateKeys), gives them to the
    // objects, then sends the rows through COPY: the refusal fails the statement that took the keys and COPY is never sent;
    // SQLite and MariaDB have no bulk channel here and write the rows as without it.
    [TestCase(1, false)]
    [TestCase(3, false)]
    [TestCase(3, true)]
    public async Task An_insert_whose_entity_refuses_its_generated_key_fails_its_statement_and_rolls_back_the_commit(int rows, bool bulk)
    {
        var badges = Badges(rows);
        using var bulkPremix = bulk ? CreatePremix(p => p.AddModelConfiguration(new ShyBadgeMap()).BulkInsertThreshold(2), _loggerFactory) : null;
        var premix = bulkPremix ?? _premix;
        await using var uow = premix.BeginUnitOfWork();
        using var queries = premix.RecordQueries();
        foreach (var badge in badges)
        {
            uow.Repository<ShyBadge>().Add(badge);
        }

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => uow.CommitAsync());

        await AssertRefusedAsync(error!, queries, badges);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(queries.Statements.Where(s => s.Error is not null).Select(s => s.Operation == "AllocateKeys"), Is.EqualTo(new[] { bulk && Engine == Engine.PostgreSql }),
                "past the threshold PostgreSQL takes the keys first (the COPY path) and that statement is the one that failed; else the insert itself");
            Assert.That(queries.Statements.Select(s => s.Sql), Has.None.StartsWith("COPY"), "no row was sent after the refusal");
        }
    }

    // One row: an upsert statement of its own; two: a batch of upsert statements on PostgreSQL (below the arrays' threshold);
    // three: written from arrays on PostgreSQL. MariaDB lists the rows in one statement, SQLite re-binds one command per row.
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task An_upsert_whose_entity_refuses_the_key_it_reads_back_fails_its_statement_and_rolls_back_the_commit(int rows)
    {
        var badges = Badges(rows);
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = _premix.RecordQueries();
        uow.Repository<ShyBadge>().Upsert(badges, on: b => b.Email);

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => uow.CommitAsync());

        await AssertRefusedAsync(error!, queries, badges);
        if (Engine == Engine.PostgreSql && rows == 2)
        {
            Assert.That(queries.Statements.Where(s => s.Sql.Contains(ShyBadgeMap.Table, StringComparison.Ordinal)).Select(s => s.Error is null), Is.EqualTo(new[] { true, false }),
                "the batch's first statement ran and is recorded as executed, the second, refused, as failed");
        }
    }

    // A single row goes row by row (SqlExecutor.ExecuteRepeatedAsync), whose rows are described only when something looks at
    // them: with no debug log and no recorder the refusal still logs the row's parameters, as a driver's failure does.
    [Test]
    public async Task A_key_refused_in_a_row_by_row_insert_is_logged_with_the_rows_parameters_when_nothing_else_describes_them()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        using var premix = CreatePremix(p => p.AddModelConfiguration(new ShyBadgeMap()), factory);
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<ShyBadge>().Add(new ShyBadge { Email = ShyBadge.SecretEmail, RefusesKey = true });
            Assert.ThrowsAsync<InvalidOperationException>(() => uow.CommitAsync());
        }

        var failed = logs.Entries.Where(e => e.Id == PremixEventId.CommandFailed).Select(e => e.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed, Has.Count.EqualTo(1));
            Assert.That(failed.FirstOrDefault(), Does.Contain("@Email").And.Contain("@Motto"), "the row's parameters, as for a failed statement");
            Assert.That(failed.FirstOrDefault(), Does.Not.Contain(ShyBadge.SecretEmail));
            Assert.That(await CountRowsAsync(ShyBadgeMap.Table), Is.Zero, "the commit rolled back");
        }
    }

    [Test]
    public async Task A_read_whose_row_the_entity_refuses_is_recorded_failed_without_the_value_read()
    {
        await ExecuteAsync($"INSERT INTO {Q(ShyBadgeMap.Table)} ({Q("Email")}, {Q("Motto")}) VALUES (@email, @motto)", new { email = ShyBadge.SecretEmail, motto = ShyBadge.RefusedMotto });
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = _premix.RecordQueries();

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => uow.Repository<ShyBadge>().ListAsync());

        var recorded = queries.Statements.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain(ShyBadge.RefusedMotto), "the caller gets the entity's own exception");
            Assert.That(recorded.Error, Is.Not.Null, "recorded as failed");
            Assert.That(recorded.Error?.Message, Is.EqualTo("The rows could not be read: InvalidOperationException."), "as the log says it");
            Assert.That(recorded.Error?.ToString(), Does.Not.Contain(ShyBadge.RefusedMotto), "no value read, as in the log and the span");
            Assert.That(recorded.ToString(), Does.Not.Contain(ShyBadge.RefusedMotto));
        }
    }

    [Test]
    public async Task A_unique_violation_on_a_sensitive_column_is_recorded_without_its_value()
    {
        await ExecuteAsync($"INSERT INTO {Q(ShyBadgeMap.Table)} ({Q("Email")}, {Q("Motto")}) VALUES (@email, '')", new { email = ShyBadge.SecretEmail });
        await using var detailed = Engine == Engine.PostgreSql ? new Premix.Providers.PostgreSql.PostgreSqlProvider(ConnectionString + ";Include Error Detail=true") : null;
        using var own = detailed is null ? null : PremixFactory.Create(p => p.UseProvider(detailed).AddModelConfiguration(new ShyBadgeMap()));
        var premix = own ?? _premix;
        await using var uow = premix.BeginUnitOfWork();
        using var queries = premix.RecordQueries();
        uow.Repository<ShyBadge>().Add(new ShyBadge { Email = ShyBadge.SecretEmail });

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        var recorded = queries.Statements.Single(s => s.Error is not null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.InnerException, Engine == Engine.Sqlite ? Is.Not.Null : Is.TypeOf<RedactedDatabaseException>(),
                "PostgreSQL (its detail) and MariaDB echo the value in their message: the driver's exception was redacted, so the scrubbing ran");
            Assert.That(error.ToString(), Does.Not.Contain(ShyBadge.SecretEmail));
            Assert.That(recorded.Error, Is.SameAs(error), "the recorder sees the exception the caller gets, scrubbed");
            Assert.That(recorded.ToString(), Does.Not.Contain(ShyBadge.SecretEmail));
            Assert.That(recorded.Parameters.Single(p => p.Key == "Email").Value, Is.EqualTo("***"));
            Assert.That(Texts(recorded.Error!), Has.None.Contains(ShyBadge.SecretEmail), "nor anywhere in the exception or its inner ones (a detail, its data)");
        }
    }

    private static ShyBadge[] Badges(int rows) =>
        [.. Enumerable.Range(1, rows).Select(i => new ShyBadge { Email = $"badge{i}@example.com", RefusesKey = i == rows })];

    // Every text an exception and its inner exceptions carry: messages, their data, a PostgreSQL detail.
    private static IEnumerable<string> Texts(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e.ToString();
            foreach (System.Collections.DictionaryEntry entry in e.Data)
            {
                yield return $"{entry.Key}={entry.Value}";
            }

            if (e is Npgsql.PostgresException postgres)
            {
                yield return postgres.Detail ?? string.Empty;
            }
        }
    }

    private async Task AssertRefusedAsync(Exception error, QueryRecorder queries, ShyBadge[] badges)
    {
        var failedSpans = _telemetry.Spans(DatabaseName).Where(s => s.Status == ActivityStatusCode.Error && s.Kind == ActivityKind.Client).ToList();
        var failedLogs = _logs.Entries.Where(e => e.Id == PremixEventId.CommandFailed).Select(e => e.Message).ToList();
        var failedStatements = queries.Statements.Where(s => s.Error is not null).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.StartWith(ShyBadge.KeyRefusal), "the entity's own exception reaches the caller");
            Assert.That(await CountRowsAsync(ShyBadgeMap.Table), Is.Zero, "the commit rolled back: nothing written");
            Assert.That(badges.Select(b => b.Id), Is.All.Zero, "the keys given to the objects were taken back");
            Assert.That(failedSpans.Select(s => s.DisplayName).ToList(), Has.Count.EqualTo(1).And.All.Contain(ShyBadgeMap.Table), "the statement's span ends failed");
            Assert.That(failedSpans.Select(s => s.GetTagItem("error.type")), Is.All.EqualTo(typeof(InvalidOperationException).FullName));
            Assert.That(failedLogs, Has.Count.EqualTo(1), "logged as a failed statement");
            Assert.That(failedLogs.FirstOrDefault(), Does.Contain(ShyBadgeMap.Table).And.Contain("InvalidOperationException"));
            Assert.That(failedStatements, Has.Count.EqualTo(1), "the recorder is told");
            Assert.That(failedStatements.FirstOrDefault()?.Error?.Message, Does.Contain("InvalidOperationException"));
            Assert.That(failedLogs.Concat(failedSpans.Select(s => s.StatusDescription ?? string.Empty)).Concat(failedStatements.Select(s => s.ToString())), Has.None.Contains(ShyBadge.KeyRefusal),
                "the reason names the exception's type, never the value it refused");
        }
    }
}

/// <summary>A badge that can refuse the key the database gives it, and a motto, as a domain type may refuse a value.</summary>
public sealed class ShyBadge
{
    public const string KeyRefusal = "This badge refuses the key";

    public const string RefusedMotto = "refused motto";

    public const string SecretEmail = "shy.secret@example.com";

    private long _id;
    private string _motto = "";

    public long Id
    {
        get => _id;
        set => _id = value != 0 && RefusesKey ? throw new InvalidOperationException($"{KeyRefusal} {value}.") : value;
    }

    /// <summary>Unique and sensitive.</summary>
    public string Email { get; set; } = "";

    public string Motto
    {
        get => _motto;
        set => _motto = value == RefusedMotto ? throw new InvalidOperationException($"A shy badge refuses the motto '{value}'.") : value;
    }

    /// <summary>Not mapped: whether the key setter throws for any key but 0.</summary>
    public bool RefusesKey { get; set; }
}

/// <summary>Maps <see cref="ShyBadge"/> to <c>shy_badges</c>.</summary>
public sealed class ShyBadgeMap : ModelConfiguration<ShyBadge>
{
    public const string Table = "shy_badges";

    public override void Configure(EntityBuilder<ShyBadge> e)
    {
        e.ToTable(Table);
        e.Property(b => b.Email).HasMaxLength(100).Sensitive();
        e.Property(b => b.Motto).HasMaxLength(100);
        e.HasIndex(b => b.Email).IsUnique();
        e.Ignore(b => b.RefusesKey);
    }
}
