using System.Diagnostics;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// <see cref="ResilienceOptions.MaxUnavailableTime"/>: a server this Premix reached before that now cuts every new
/// connection off (a <see cref="TcpRelay"/> that is <see cref="TcpRelay.Refusing"/>, as a server that is down looks to the
/// driver) is retried for that long and no longer, with waits between the attempts, a cancelled token ends the wait at
/// once, 0 gives <see cref="ResilienceOptions.MaxRetries"/> only, and a commit waiting in it goes through once when the
/// server is back. An address that answers nothing (<see cref="TcpRelay.Vacate"/>) gets the window too, its opens ending
/// at the connect timeout. Windows of a second or so keep each test short. PostgreSQL and MariaDB: SQLite has no server to lose.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class UnavailableServerTests(Engine engine) : ResilienceTest(engine)
{
    private TcpRelay _relay = null!;

    [SetUp]
    public async Task CreateTablesAndRelayAsync()
    {
        await using var setup = await CreatePremixWithTablesAsync(new CustomerMap());
        _relay = RelayToServer();
    }

    [TearDown]
    public async Task DisposeRelayAsync() => await _relay.DisposeAsync();

    [Test]
    public async Task A_server_reached_before_that_stays_away_is_retried_for_MaxUnavailableTime_then_fails_naming_the_window()
    {
        // Longer than the other tests' window: an attempt through the relay can take a few hundred ms on a loaded machine,
        // and the window must hold more than MaxRetries of them with their waits (200 ms at most here).
        var window = TimeSpan.FromSeconds(3);
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = window);
        _relay.Refusing = true;
        var clock = Stopwatch.StartNew();

        var error = Assert.CatchAsync(() => ReadOneAsync(premix));

        clock.Stop();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.TypeOf<DatabaseConnectionException>());
            Assert.That((error as DatabaseConnectionException)?.Failure, Is.EqualTo(ConnectionFailureKind.Unreachable));
            Assert.That(error?.Message, Does.Contain("still so when the 3 s of ResilienceOptions.MaxUnavailableTime given to a server reached before ran out"));
            Assert.That(Retries("read"), Is.GreaterThan(MaxRetries), "the window gives more than MaxRetries");
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(window), "the window is not cut short");
        }
    }

    [Test]
    public async Task With_MaxUnavailableTime_0_a_server_reached_before_that_is_away_gets_MaxRetries_as_before()
    {
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = TimeSpan.Zero);
        _relay.Refusing = true;

        var error = Assert.CatchAsync(() => ReadOneAsync(premix));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.TypeOf<DatabaseConnectionException>());
            Assert.That(error?.Message, Does.Not.Contain("MaxUnavailableTime"));
            Assert.That(Retries("read"), Is.EqualTo(MaxRetries));
        }
    }

    [Test]
    public async Task Cancelling_a_read_waiting_in_the_window_ends_it_at_once()
    {
        var longWindow = TimeSpan.FromSeconds(30);
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = longWindow);
        _relay.Refusing = true;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var error = Assert.CatchAsync(() => ReadOneAsync(premix, cancel.Token));

        clock.Stop();
        Assert.That(error, Is.InstanceOf<OperationCanceledException>());
        // A behaviour bound, not a measurement: far below the window a token that was not heard would run out.
        Assert.That(clock.Elapsed, Is.LessThan(longWindow / 3));
    }

    [Test]
    public async Task A_commit_waiting_in_the_window_goes_through_once_the_server_is_back_and_writes_its_row_once()
    {
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = TimeSpan.FromSeconds(20));
        _relay.Refusing = true;
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Grace", Visits = 1 });

        var commit = uow.CommitAsync();
        while (Retries("commit") <= MaxRetries && !commit.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        _relay.Refusing = false;
        await commit;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Retries("commit"), Is.GreaterThan(MaxRetries), "the commit was still waiting after MaxRetries");
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "one row: the commit ran once");
        }
    }

    [Test]
    public async Task With_no_delay_configured_the_window_still_waits_between_attempts()
    {
        // Three seconds, not one: under a loaded CI an attempt (a refused open, its logging) took up to ~0.4 s, and a one-second
        // window then held only MaxRetries of them.
        var window = TimeSpan.FromSeconds(3);
        await using var premix = await ReachedThroughRelayAsync(o =>
        {
            o.BaseDelay = TimeSpan.Zero;
            o.MaxDelay = TimeSpan.Zero;
            o.MaxUnavailableTime = window;
        });
        _relay.Refusing = true;

        Assert.CatchAsync<DatabaseConnectionException>(() => ReadOneAsync(premix));

        // At least 100 ms apart: at most 30 in three seconds, where attempts without a wait made thousands, each one logged;
        // and more than MaxRetries, since the window, not the count, ends them.
        Assert.That(Retries("read"), Is.InRange(MaxRetries + 1, 31));
    }

    [Test]
    public async Task A_server_reached_before_whose_address_answers_nothing_past_the_connect_timeout_is_retried_in_the_window_and_read_once_the_address_moves()
    {
        // A virtual address whose machine died: connections to it hear nothing, each open ends at the 1 s connect timeout.
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = TimeSpan.FromSeconds(20), connectTimeout: 1);
        _relay.Vacate();

        var read = ReadOneAsync(premix);
        while (Retries("read") <= MaxRetries && !read.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        _relay.MoveTo(_relay.Target.Host, _relay.Target.Port); // the address has an owner again
        var value = await read;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(value, Is.EqualTo(1), "the read succeeded once the address answered");
            Assert.That(Retries("read"), Is.GreaterThan(MaxRetries), "the opens that timed out were retried in the window, not MaxRetries times");
        }
    }

    [Test]
    public async Task A_commit_whose_opens_time_out_at_an_address_that_answers_nothing_waits_in_the_window_and_writes_its_row_once_the_address_moves()
    {
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = TimeSpan.FromSeconds(20), connectTimeout: 1);
        _relay.Vacate();
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Grace", Visits = 1 });

        var commit = uow.CommitAsync();
        while (Retries("commit") <= MaxRetries && !commit.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        _relay.MoveTo(_relay.Target.Host, _relay.Target.Port);
        await commit;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Retries("commit"), Is.GreaterThan(MaxRetries), "the commit was still waiting after MaxRetries timed-out opens");
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "one row: the commit ran once");
        }
    }

    [Test]
    public async Task An_open_that_timed_out_is_not_retried_when_another_connect_timeout_would_end_past_the_window()
    {
        // 1 s connects, a 1.5 s window from the first timeout: the retry at once fits (it ends about 1 s in), the next
        // would end past 2 s, so the call waits its first connect, one retry and the wait before it, not a connect more.
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = TimeSpan.FromSeconds(1.5), connectTimeout: 1);
        _relay.Vacate();

        var error = Assert.CatchAsync(() => ReadOneAsync(premix));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((error as DatabaseConnectionException)?.Failure, Is.EqualTo(ConnectionFailureKind.TimedOut), error?.ToString());
            Assert.That(error?.Message, Does.Contain("MaxUnavailableTime given to a server reached before ran out"));
            Assert.That(Retries("read"), Is.EqualTo(1), "one retry: a second connect timeout would have ended past the window");
        }
    }

    [Test]
    public async Task With_MaxUnavailableTime_0_an_open_that_timed_out_is_not_retried()
    {
        await using var premix = await ReachedThroughRelayAsync(o => o.MaxUnavailableTime = TimeSpan.Zero, connectTimeout: 1);
        _relay.Vacate();

        var error = Assert.CatchAsync(() => ReadOneAsync(premix));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((error as DatabaseConnectionException)?.Failure, Is.EqualTo(ConnectionFailureKind.TimedOut), error?.ToString());
            Assert.That(Retries("read"), Is.Zero, "the timeout was the time given to connecting");
        }
    }

    // A Premix through the relay, with no driver pool (every attempt is a new connection the relay sees), that has read once.
    private async Task<IPremix> ReachedThroughRelayAsync(Action<ResilienceOptions> tune, int? connectTimeout = null)
    {
        var premix = CreateRetryingPremix(new CustomerMap(), o =>
        {
            o.MaxDelay = TimeSpan.FromMilliseconds(200);
            tune(o);
        }, ProviderThrough(_relay, pooling: false, connectTimeout));
        Assert.That(await FirstReadAsync(premix), Is.EqualTo(1), "the server was reached");
        return premix;
    }

    // The arrangement's read, given three tries: through the relay it opens a new connection, which took longer than a
    // one-second connect timeout on a loaded CI machine (2026-12-07, at 4fcdfe1), before the server was made to fail.
    private static async Task<long> FirstReadAsync(IPremix premix)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReadOneAsync(premix);
            }
            catch (DatabaseConnectionException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<long> ReadOneAsync(IPremix premix, CancellationToken cancellationToken = default)
    {
        await using var uow = premix.BeginUnitOfWork();
        return await uow.Raw("SELECT 1").ReadOnly().ScalarAs<long>(cancellationToken);
    }
}
