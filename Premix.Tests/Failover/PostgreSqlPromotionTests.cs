using Microsoft.Extensions.Logging;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// What a commit meets between a primary's death and a standby's promotion, one case at a time, on the failover pair
/// (<see cref="FailoverPair"/>): hosts none of which is a primary, and a standby that refuses writes (SQLSTATE 25006).
/// PostgreSQL only.
/// </summary>
[NonParallelizable]
public sealed class PostgreSqlPromotionTests
{
    private FailoverPair _pair = null!;
    private IPremix? _premix;
    private CapturingLoggerProvider _logs = null!;

    [SetUp]
    public async Task ResetThePairAsync()
    {
        _pair = FailoverPair.FromEnvironment();
        _logs = new CapturingLoggerProvider(); // each test's own: the fixture's instance serves every test
        await _pair.ControlAsync("reset");
        await _pair.ExecuteAsync(1, FailoverNote.CreateTable);
    }

    [TearDown]
    public async Task DisposePremixAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
        }

        _logs.Dispose();
    }

    [Test]
    public async Task PostgreSql_with_no_primary_among_the_hosts_a_commit_fails_after_its_retries_with_a_connection_error_saying_so_and_writes_nothing()
    {
        await _pair.ControlAsync("kill-primary"); // the standby is never promoted
        var premix = Premix(_pair.ConnectionString, maxRetries: 2);
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = "no-primary" });

        var error = Assert.ThrowsAsync<DatabaseConnectionException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Failure, Is.EqualTo(ConnectionFailureKind.ServerUnavailable), error.Message);
            Assert.That(error.Message, Does.Contain("Target Session Attributes"), "it says why no host was taken");
            Assert.That(_logs.Entries.Count(e => e.Id == PremixEventId.RetryScheduled), Is.EqualTo(2), "retried as the options allow");
            Assert.That((await _pair.ReferenceCountsAsync(2, "notes")).Keys, Is.Empty, "nothing written");
        }
    }

    [Test]
    public async Task PostgreSql_a_commit_a_standby_refuses_as_read_only_is_retried_on_a_new_connection_and_lands_once_it_is_promoted()
    {
        // The standby alone, as a moved address or a pooler still pointing at it would give it: it refuses the write with 25006.
        var premix = Premix(_pair.Server(2, pooling: true), maxRetries: 30);
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = "read-only" });

        var commit = uow.CommitAsync();
        while (!_logs.Entries.Any(e => e.Id == PremixEventId.RetryScheduled) && !commit.IsCompleted)
        {
            await Task.Delay(20);
        }

        await _pair.ControlAsync("promote");
        await commit;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled).Select(e => e.Message), Has.Some.Contains("read-only transaction"),
                "the standby refused the write (25006), and the commit was run again");
            Assert.That((await _pair.ReferenceCountsAsync(2, "notes"))["read-only"], Is.EqualTo(1), "saved once, by the promoted standby");
        }
    }

    private IPremix Premix(string connectionString, int maxRetries)
    {
        _premix = PremixFactory.Create(
            p => p.UsePostgreSql(connectionString).AddModelConfiguration(new FailoverNoteMap())
                .ConfigureResilience(r => (r.MaxRetries, r.BaseDelay, r.MaxDelay) = (maxRetries, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200))),
            LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Warning)));
        return _premix;
    }
}
