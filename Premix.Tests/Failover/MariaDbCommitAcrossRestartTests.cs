using System.Collections.Concurrent;
using MySqlConnector;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// One COMMIT held in a <see cref="TcpRelay"/> while the MariaDB server is killed (SIGKILL) and started again, so its
/// outcome is unknown to Premix every run, not only when the timing of a kill under writers happens to catch one
/// (<see cref="MariaDbRestartTests"/>): the unit of work's <c>VerifyCommitWith</c> check, run once the server is back
/// (its reads wait in the <see cref="ResilienceOptions.MaxUnavailableTime"/> window), gives the right verdict both ways. A
/// COMMIT the server received and committed is found saved and not sent again; a COMMIT that never reached it is found
/// not saved and runs again, once. MariaDB only: the server is one of its own (<see cref="RestartableMariaDb"/>).
/// </summary>
[NonParallelizable] // the fixtures that kill the restartable server take turns, and nothing else runs meanwhile
public sealed class MariaDbCommitAcrossRestartTests
{
    private static readonly TimeSpan HeldWithin = TimeSpan.FromSeconds(30);

    private RestartableMariaDb _server = null!;
    private TcpRelay _relay = null!;
    private IPremix? _premix;
    private bool _killed;

    [SetUp]
    public async Task CreateTableAndRelayAsync()
    {
        _server = await RestartableMariaDb.CreateAsync();
        await _server.ExecuteAsync("CREATE TABLE notes (Id BIGINT AUTO_INCREMENT PRIMARY KEY, Reference VARCHAR(40) NOT NULL, KEY (Reference))");
        var server = new MySqlConnectionStringBuilder(_server.ConnectionString);
        _relay = new TcpRelay(server.Server, (int)server.Port);
    }

    [TearDown]
    public async Task StartTheServerAndDropAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
            _premix = null;
        }

        await _relay.DisposeAsync();
        if (_killed)
        {
            await _server.StartAsync(); // a test that failed between the kill and the start
        }

        await _server.DropAsync();
    }

    [Test]
    public async Task A_COMMIT_whose_answer_is_lost_in_a_restart_is_found_saved_by_its_check_once_the_server_is_back_and_not_sent_again()
    {
        var verdicts = await CommitAcrossRestartAsync(holdAnswer: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts, Is.EqualTo(new[] { true }), "one check, after the restart: the server had committed it");
            Assert.That(await _server.ColumnAsync("SELECT Reference FROM notes WHERE Reference = 'held'"), Has.Count.EqualTo(1), "saved once, not sent again");
        }
    }

    [Test]
    public async Task A_COMMIT_lost_on_its_way_in_a_restart_is_found_not_saved_by_its_check_once_the_server_is_back_and_runs_again_once()
    {
        var verdicts = await CommitAcrossRestartAsync(holdAnswer: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdicts, Is.EqualTo(new[] { false }), "one check, after the restart: the server never received the COMMIT, and the kill rolled the transaction back");
            Assert.That(await _server.ColumnAsync("SELECT Reference FROM notes WHERE Reference = 'held'"), Has.Count.EqualTo(1), "run again, once");
        }
    }

    // Commits one note through the relay, its COMMIT (or the answer to it) held while the server is killed and started
    // again; the commit must then complete. Returns the verdicts of its VerifyCommitWith check, in order.
    private async Task<bool[]> CommitAcrossRestartAsync(bool holdAnswer)
    {
        var relayed = new MySqlConnectionStringBuilder(_server.ConnectionString) { Server = "127.0.0.1", Port = (uint)_relay.Port, SslMode = MySqlSslMode.None };
        _premix = PremixFactory.Create(p => p.UseMySql(relayed.ConnectionString).AddModelConfiguration(new ReferenceNote.Map()));
        await using (var first = _premix.BeginUnitOfWork())
        {
            first.Repository<ReferenceNote>().Add(new ReferenceNote { Reference = "before" });
            await first.CommitAsync(); // the server is reached: a restart now gets the MaxUnavailableTime window
        }

        var verdicts = new ConcurrentQueue<bool>();
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<ReferenceNote>().Add(new ReferenceNote { Reference = "held" });
        uow.VerifyCommitWith(async (check, cancellationToken) =>
        {
            var saved = await check.Repository<ReferenceNote>().Query().Where(n => n.Reference == "held").AnyAsync(cancellationToken);
            verdicts.Enqueue(saved);
            return saved;
        });
        _relay.Hold(@"\bCOMMIT\b", holdAnswer);

        var commit = uow.CommitAsync();
        await _relay.Held.WaitAsync(HeldWithin);
        Assert.That(verdicts, Is.Empty, "no check while the COMMIT is held");
        await _server.KillAsync();
        _killed = true;
        await _server.StartAsync();
        _killed = false;
        await commit;

        return [.. verdicts];
    }
}
