using System.Data.Common;
using MySqlConnector;
using Premix.Diagnostics;
using Premix.Mapping;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// When a statement fails and takes the connection with it, the caller gets that statement's error: never the error of
/// the rollback that follows (attached as <see cref="DatabaseCommandException.RollbackError"/>), nor of reopening the
/// broken connection, which is discarded so the unit of work, or the next one, goes on with a new one.
/// </summary>
public sealed class FirstErrorTests(Engine engine) : ResilienceTest(engine)
{
    private const string Slow = "Slow";

    private IPremix _tables = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _tables = await CreatePremixWithTablesAsync(new CustomerMap(), new DocumentMap());

    [TearDown]
    public async Task DisposeTablesAsync() => await _tables.DisposeAsync();

    [Test]
    public async Task A_commit_over_max_allowed_packet_fails_as_its_statement_however_the_server_closes_the_socket_and_the_unit_of_work_goes_on_with_a_new_connection()
    {
        if (Engine != Engine.MySql)
        {
            await Statements_beyond_MariaDBs_default_packet_limit_are_accepted();
            return;
        }

        var limit = await MaxAllowedPacketAsync();
        // The packet reaches the server: Premix is not told the limit, as with a provider that does not know it.
        await using var premix = CreateRetryingPremix(new DocumentMap(), provider: new ProviderWithoutSizeLimit(Provider));
        byte[][] contents = [Filled(limit), Filled(2 * limit)];
        var closes = new List<string>();
        for (var run = 0; run < 10; run++)
        {
            // Just over the limit, the driver has sent everything when the server refuses the packet and closes the socket
            // (the driver reads the refusal, then the rollback finds the socket closed); at twice the limit, the server
            // closes it while the driver is still sending. Either can happen at either size; both are covered.
            await using var uow = premix.BeginUnitOfWork();
            var session = await SessionIdAsync(uow);
            var document = new Document { Content = contents[run % 2] };
            uow.Repository<Document>().Add(document);

            var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());

            closes.Add(error!.InnerException is MySqlException { ErrorCode: MySqlErrorCode.PacketTooLarge } ? "refused, then closed" : "closed while sending");
            using (Assert.EnterMultipleScope())
            {
                Assert.That((error.Operation, error.Entity, error.ErrorKind), Is.EqualTo(("Insert", "Document", DatabaseErrorKind.Permanent)), error.ToString());
                Assert.That(error.Message, Does.Contain("max_allowed_packet"));
                Assert.That(document.Id, Is.Zero, "the object is as before the commit");
            }

            document.Content = [1, 2, 3];
            await uow.CommitAsync();

            Assert.That(await SessionIdAsync(uow), Is.Not.EqualTo(session), "the unit of work went on with a new connection");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("documents")} WHERE LENGTH({Q("Content")}) = 3"), Is.EqualTo(10), "every small document, and nothing else, was written");
            Assert.That(await CountRowsAsync("documents"), Is.EqualTo(10));
            Assert.That(Retries("commit"), Is.Zero, "a statement over the limit is not worth another attempt");
            Assert.That(closes.Distinct().Order(), Is.EqualTo(new[] { "closed while sending", "refused, then closed" }), "both ways the server closes the socket were seen: " + string.Join(", ", closes));
            Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RollbackFailed), Is.EqualTo(10), "every rollback found the connection closed, and said so in the log");
        }
    }

    [Test]
    public async Task A_raw_statement_over_max_allowed_packet_fails_as_itself_and_the_next_statement_gets_a_new_connection()
    {
        if (Engine != Engine.MySql)
        {
            await Statements_beyond_MariaDBs_default_packet_limit_are_accepted();
            return;
        }

        var limit = await MaxAllowedPacketAsync();
        await using var premix = CreateRetryingPremix(new DocumentMap(), provider: new ProviderWithoutSizeLimit(Provider));
        foreach (var content in new[] { Filled(limit), Filled(2 * limit) })
        {
            var write = Assert.ThrowsAsync<DatabaseCommandException>(() => premix.Raw($"INSERT INTO {I("documents")} ({I("Content")}) VALUES ({content})").ExecuteAsync());
            var read = Assert.ThrowsAsync<DatabaseCommandException>(() => premix.Raw($"SELECT COUNT(*) FROM {I("documents")} WHERE {I("Content")} = {content}").ReadOnly().ScalarAs<long>());

            using (Assert.EnterMultipleScope())
            {
                Assert.That((write!.Operation, write.ErrorKind, write.Message.Contains("max_allowed_packet", StringComparison.Ordinal)), Is.EqualTo(("Raw", DatabaseErrorKind.Permanent, true)), write.ToString());
                Assert.That((read!.Operation, read.ErrorKind, read.Message.Contains("max_allowed_packet", StringComparison.Ordinal)), Is.EqualTo(("Raw", DatabaseErrorKind.Permanent, true)), read.ToString());
                Assert.That(await premix.Raw($"SELECT COUNT(*) FROM {I("documents")}").ReadOnly().ScalarAs<long>(), Is.Zero, "the next statement runs");
            }

            await using var uow = premix.BeginUnitOfWork();
            var session = await SessionIdAsync(uow);
            var inUnitOfWork = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.Raw($"SELECT COUNT(*) FROM {I("documents")} WHERE {I("Content")} = {content}").ReadOnly().ScalarAs<long>());
            Assert.That(inUnitOfWork!.ErrorKind, Is.EqualTo(DatabaseErrorKind.Permanent), inUnitOfWork.ToString());
            Assert.That(await uow.Raw($"SELECT COUNT(*) FROM {I("documents")}").ReadOnly().ScalarAs<long>(), Is.Zero, "the unit of work reads on");
            Assert.That(await SessionIdAsync(uow), Is.Not.EqualTo(session), "on a new connection");
        }
    }

    [Test]
    public async Task A_commit_whose_session_is_killed_mid_statement_fails_as_that_statement_and_the_unit_of_work_goes_on_with_a_new_connection()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap(), o => o.RetryCommits = false);
        await using var uow = premix.BeginUnitOfWork();
        var customer = new Customer { Name = Slow };
        uow.Repository<Customer>().Add(customer);
        DatabaseCommandException error;
        if (Engine == Engine.Sqlite)
        {
            // In-process SQLite has no session to kill. A statement it refuses is reported as itself, the rollback
            // succeeds, and the unit of work goes on with its connection.
            await ExecuteAsync($"""CREATE TRIGGER refuse_slow BEFORE INSERT ON customers WHEN NEW."Name" = '{Slow}' BEGIN SELECT RAISE(ABORT, 'slow customers are refused'); END;""");
            error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync())!;
            Assert.That((error.Operation, error.Entity, error.ErrorKind, error.RollbackError), Is.EqualTo(("Insert", "Customer", DatabaseErrorKind.Permanent, (Exception?)null)), error.ToString());
            await ExecuteAsync("DROP TRIGGER refuse_slow");
        }
        else
        {
            await ExecuteAsync(SleepingTriggerSql());
            var session = await SessionIdAsync(uow);
            var commit = uow.CommitAsync();
            try
            {
                await WaitUntilSleepingAsync(session);
            }
            finally
            {
                await KillSessionAsync(session);
            }

            error = Assert.ThrowsAsync<DatabaseCommandException>(() => commit)!;

            using (Assert.EnterMultipleScope())
            {
                Assert.That((error.Operation, error.Entity, error.ErrorKind), Is.EqualTo(("Insert", "Customer", DatabaseErrorKind.ConnectionLost)), error.ToString());
                Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RollbackFailed), Is.EqualTo(error.RollbackError is null ? 0 : 1), "a failed rollback is logged beside the error");
            }

            await ExecuteAsync(Engine == Engine.PostgreSql ? "DROP FUNCTION sleep_for_slow CASCADE" : "DROP TRIGGER sleep_for_slow");
            Assert.That(await SessionIdAsync(uow), Is.Not.EqualTo(session), "the unit of work goes on with a new connection");
        }

        Assert.That((customer.Id, await CountRowsAsync("customers")), Is.EqualTo((0L, 0L)), "nothing was written, and the object is as before");
        await uow.CommitAsync();
        Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")} WHERE {Q("Name")} = '{Slow}'"), Is.EqualTo(customer.Id), "the same unit of work commits");
        await using var next = premix.BeginUnitOfWork();
        Assert.That((await next.Repository<Customer>().GetAsync(customer.Id)).Name, Is.EqualTo(Slow), "and so does the next");
    }

    // Where no server setting limits a statement's size, the statements that MariaDB refuses by default are accepted.
    private async Task Statements_beyond_MariaDBs_default_packet_limit_are_accepted()
    {
        const int DefaultLimit = 16 * 1024 * 1024;
        await using var premix = CreateRetryingPremix(new DocumentMap());
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Document>().Add(new Document { Content = Filled(2 * DefaultLimit) });
            await uow.CommitAsync();
        }

        var content = Filled(DefaultLimit);
        await premix.Raw($"INSERT INTO {I("documents")} ({I("Content")}) VALUES ({content})").ExecuteAsync();
        Assert.That(await premix.Raw($"SELECT COUNT(*) FROM {I("documents")} WHERE {I("Content")} = {content}").ReadOnly().ScalarAs<long>(), Is.EqualTo(1));
        Assert.That(await ScalarAsync<long>($"SELECT SUM(LENGTH({Q("Content")})) FROM {Q("documents")}"), Is.EqualTo(3L * DefaultLimit));
    }

    private async Task<int> MaxAllowedPacketAsync()
    {
        var limit = await ScalarAsync<long>("SELECT @@max_allowed_packet");
        Assert.That(limit, Is.LessThanOrEqualTo(64 * 1024 * 1024), "these tests send statements of up to twice max_allowed_packet: run them on a server whose limit is 64 MB or less (16 MB by default)");
        return (int)limit;
    }

    // Bytes none of which MySqlConnector escapes, so the statement is as long as the value plus the SQL around it.
    private static byte[] Filled(int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)'x');
        return bytes;
    }

    // Inserting the customer named Slow sleeps for 30 seconds: long enough to kill its session mid-statement.
    private string SleepingTriggerSql() => Engine == Engine.PostgreSql
        ? $"""
            CREATE FUNCTION sleep_for_slow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.{Q("Name")} = '{Slow}' THEN PERFORM pg_sleep(30); END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER sleep_for_slow BEFORE INSERT ON {Q("customers")} FOR EACH ROW EXECUTE FUNCTION sleep_for_slow();
            """
        : $"""
            CREATE TRIGGER sleep_for_slow BEFORE INSERT ON {Q("customers")} FOR EACH ROW
            BEGIN
                IF NEW.{Q("Name")} = '{Slow}' THEN DO SLEEP(30); END IF;
            END;
            """;

    private async Task WaitUntilSleepingAsync(long session)
    {
        var sql = Engine == Engine.PostgreSql
            ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = @session AND wait_event = 'PgSleep'"
            : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @session AND STATE = 'User sleep'";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ScalarAsync<long>(sql, new { session = Engine == Engine.PostgreSql ? (object)(int)session : session }) == 0)
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the insert never started sleeping");
            await Task.Delay(20);
        }
    }

    private sealed class Document
    {
        public long Id { get; set; }

        public byte[] Content { get; set; } = [];
    }

    private sealed class DocumentMap : ModelConfiguration<Document>
    {
        public override void Configure(EntityBuilder<Document> e) => e.ToTable("documents");
    }

    /// <summary>The fixture's provider, minus what it knows of the engine's statement size limit.</summary>
    private sealed class ProviderWithoutSizeLimit(IDatabaseProvider inner) : IDatabaseProvider
    {
        public string Name => inner.Name;

        public ISqlDialect Dialect => inner.Dialect;

        public bool CompletesSynchronously => inner.CompletesSynchronously;

        public ConnectionSettings? Connections => inner.Connections;

        public DatabaseTarget Target => inner.Target;

        public bool IsPoolExhausted(Exception error) => inner.IsPoolExhausted(error);

        public DatabaseErrorKind Classify(Exception error) => inner.Classify(error);

        public ConnectionFailure DescribeConnectionFailure(Exception error) => inner.DescribeConnectionFailure(error);

        public CancellationTokenRegistration CancelOnToken(DbConnection connection, CancellationToken cancellationToken) => inner.CancelOnToken(connection, cancellationToken);

        public DbConnection CreateConnection() => inner.CreateConnection();
    }
}
