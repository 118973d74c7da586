using Npgsql;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// What a commit meets between a primary's death and a standby's promotion, one case at a time, on the failover pair
/// (<see cref="FailoverPair"/>): hosts none of which is a primary, and a standby that refuses writes (SQLSTATE 25006).
/// PostgreSQL only.
/// </summary>
public sealed class PostgreSqlPromotionTests : PostgreSqlFailoverFixture
{
    [Test]
    public async Task PostgreSql_with_no_primary_among_the_hosts_a_commit_fails_after_its_retries_with_a_connection_error_saying_so_and_writes_nothing()
    {
        await Pair.ControlAsync("kill-primary"); // the standby is never promoted
        var premix = Premix(Pair.ConnectionString, maxRetries: 2);
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = "no-primary" });

        var error = Assert.ThrowsAsync<DatabaseConnectionException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Failure, Is.EqualTo(ConnectionFailureKind.ServerUnavailable), error.Message);
            Assert.That(error.Message, Does.Contain("Target Session Attributes"), "it says why no host was taken");
            Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RetryScheduled), Is.EqualTo(2), "retried as the options allow");
            Assert.That((await Pair.ReferenceCountsAsync(2, "notes")).Keys, Is.Empty, "nothing written");
        }
    }

    [Test]
    public async Task PostgreSql_a_commit_a_standby_refuses_as_read_only_is_retried_on_a_new_connection_and_lands_once_it_is_promoted()
    {
        // The standby alone, as a moved address or a pooler still pointing at it would give it: it refuses the write with 25006.
        var premix = Premix(Pair.Server(2, pooling: true), maxRetries: 30);
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = "read-only" });

        var commit = uow.CommitAsync();
        while (!Logs.Entries.Any(e => e.Id == PremixEventId.RetryScheduled) && !commit.IsCompleted)
        {
            await Task.Delay(20);
        }

        await Pair.ControlAsync("promote");
        await commit;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled).Select(e => e.Message), Has.Some.Contains("read-only transaction"),
                "the standby refused the write (25006), and the commit was run again");
            Assert.That((await Pair.ReferenceCountsAsync(2, "notes"))["read-only"], Is.EqualTo(1), "saved once, by the promoted standby");
        }
    }

    [Test]
    public async Task PostgreSql_a_VerifyCommitWith_check_that_reaches_a_standby_waits_for_its_promotion_so_a_commit_it_has_not_applied_yet_is_found_and_stored_once()
    {
        // A virtual address (the relay) leads to the primary; the COMMIT's answer is lost; the address then moves to the
        // synchronous standby, which has received that COMMIT but, its replay paused, not applied it: read there, the row
        // is missing, and a replayed commit would land a second time when the promotion applies the first.
        await Pair.ExecuteAsync(2, "SELECT pg_wal_replay_pause()");
        var primary = new NpgsqlConnectionStringBuilder(Pair.Server(1));
        var standby = new NpgsqlConnectionStringBuilder(Pair.Server(2));
        await using var relay = new TcpRelay(primary.Host!, primary.Port);
        var premix = Premix(new NpgsqlConnectionStringBuilder(Pair.Server(1)) { Host = "127.0.0.1", Port = relay.Port }.ConnectionString, maxRetries: 30);
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = "verified" });
        Task? promotion = null;
        uow.VerifyCommitWith(async (check, cancellationToken) =>
        {
            relay.MoveTo(standby.Host!, standby.Port);
            promotion = PromoteSoonAsync();
            return await check.Repository<FailoverNote>().Query().Where(n => n.Reference == "verified").AnyAsync(cancellationToken);
        });
        relay.LoseAnswerTo(@"\bCOMMIT\b");

        await uow.CommitAsync();
        await promotion!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(relay.AnswersLost, Is.EqualTo(1), "the answer to COMMIT was lost");
            Assert.That((await Pair.ReferenceCountsAsync(2, "notes"))["verified"], Is.EqualTo(1), "stored once: the check waited for a server that takes writes");
            Assert.That(Logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled).Select(e => e.Message), Has.Some.Contains("standby"),
                "the check's read was refused by the standby and run again");
            Assert.That(Logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled).Select(e => e.Message), Has.None.Contains("read-only transaction"),
                "the commit was not run again");
        }

        async Task PromoteSoonAsync()
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await Pair.ExecuteAsync(2, "SELECT pg_wal_replay_resume()");
            await Pair.ControlAsync("promote");
        }
    }

    private IPremix Premix(string connectionString, int maxRetries) =>
        CreatePremix(connectionString, p => p.ConfigureResilience(r => (r.MaxRetries, r.BaseDelay, r.MaxDelay) = (maxRetries, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200))));
}
