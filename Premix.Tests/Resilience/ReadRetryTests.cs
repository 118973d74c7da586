using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A read whose connection is lost (the session killed on the server) runs again on a new connection, unless the unit
/// of work has a transaction of its own, which another connection would not see. PostgreSQL and MariaDB only: SQLite
/// runs in-process and has no session to lose; reads refused for now, which every engine has, are <see cref="LockTimeoutTests"/>.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
[NeedsServerSession("It kills the server session a read is on (pg_terminate_backend of its pg_backend_pid); behind the pooler that pid is a server connection the next transaction may not use, or another client already does.")]
public sealed class ReadRetryTests(Engine engine) : ResilienceTest(engine)
{
    private IPremix _premix = null!;
    private long _adaId;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await CreatePremixWithTablesAsync(new CustomerMap());
        _premix = CreateRetryingPremix(new CustomerMap());
        await using var uow = _premix.BeginUnitOfWork();
        var ada = new Customer { Name = "Ada", Visits = 3 };
        uow.Repository<Customer>().Add(ada);
        await uow.CommitAsync();
        _adaId = ada.Id;
    }

    [TearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task A_read_whose_connection_is_lost_while_it_runs_runs_again_on_a_new_one()
    {
        await using var uow = _premix.BeginUnitOfWork();
        // The session is ended while it runs a one-second read.
        var session = await SessionIdAsync(uow);
        var read = uow.Raw(Engine == Engine.PostgreSql
            ? $"SELECT COUNT(*) FROM {Q("customers")} CROSS JOIN pg_sleep(1)"
            : $"SELECT COUNT(*) FROM {Q("customers")} WHERE SLEEP(1) = 0").ReadOnly().ScalarAs<long>();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await KillSessionAsync(session);

        var count = await read;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(1));
            Assert.That(Retries("read"), Is.EqualTo(1));
            var ada = await uow.Repository<Customer>().GetAsync(_adaId);
            Assert.That((ada.Name, ada.Visits), Is.EqualTo(("Ada", 3)), "the unit of work goes on with its new connection");
            Assert.That(await SessionIdAsync(uow), Is.Not.EqualTo(session), "the server gave the unit of work a session of its own");
        }
    }

    [Test]
    public async Task A_read_by_key_on_a_held_connection_whose_session_was_lost_runs_again_on_a_new_one()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var session = await SessionIdAsync(uow);
        await KillSessionAsync(session); // the held connection is dead; the unit of work does not know it yet

        var ada = await uow.Repository<Customer>().AsNoTracking().FindAsync(_adaId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((ada?.Name, ada?.Visits), Is.EqualTo(("Ada", 3)));
            Assert.That(Retries("read"), Is.EqualTo(1), "the lost connection was discarded and the read ran again");
            var now = await SessionIdAsync(uow);
            Assert.That(now, Is.Not.EqualTo(session), "the unit of work goes on with a new connection");
            Assert.That(await SessionIdAsync(uow), Is.EqualTo(now), "and holds it: the hold still stands");
        }
    }

    [Test]
    public async Task A_read_in_a_unit_of_work_whose_transaction_has_begun_is_not_retried()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await uow.Raw($"UPDATE {I("customers")} SET {I("Visits")} = 4").ExecuteAsync(); // the transaction begins
        await KillSessionAsync(await SessionIdAsync(uow));

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.Repository<Customer>().GetAsync(_adaId));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ErrorKind, Is.EqualTo(DatabaseErrorKind.ConnectionLost), error.Message);
            Assert.That(Retries("read"), Is.Zero);
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")}"), Is.EqualTo(3), "the transaction died with its session");
            Assert.That(() => uow.CommitAsync(), Throws.InvalidOperationException.With.Message.Contains("lost its connection while its transaction was open"), "the unit of work does not go on without its raw write");
        }
    }
}
