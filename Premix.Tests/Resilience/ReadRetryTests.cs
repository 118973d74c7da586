using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A read whose connection is lost (the session killed on the server) runs again on a new connection, unless the unit
/// of work has a transaction of its own, which another connection would not see.
/// </summary>
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
        Task? otherWriter = null;
        Task<long> read;
        if (Engine == Engine.Sqlite)
        {
            // In-process SQLite loses no connection; its fault is a writer in the middle of committing, which keeps readers out.
            otherWriter = await HoldSqliteLockAsync(TimeSpan.FromMilliseconds(300), "EXCLUSIVE");
            read = uow.Raw($"SELECT COUNT(*) FROM {I("customers")}").ReadOnly().ScalarAs<long>();
        }
        else
        {
            // The session is ended while it runs a one-second read.
            var session = await SessionIdAsync(uow);
            read = uow.Raw(Engine == Engine.PostgreSql
                ? $"SELECT COUNT(*) FROM {Q("customers")} CROSS JOIN pg_sleep(1)"
                : $"SELECT COUNT(*) FROM {Q("customers")} WHERE SLEEP(1) = 0").ReadOnly().ScalarAs<long>();
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await KillSessionAsync(session);
        }

        var count = await read;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(1));
            // SQLite's driver waits for the lock itself, so Premix has nothing to retry.
            Assert.That(Retries("read"), Is.EqualTo(Engine == Engine.Sqlite ? 0 : 1));
            var ada = await uow.Repository<Customer>().GetAsync(_adaId);
            Assert.That((ada.Name, ada.Visits), Is.EqualTo(("Ada", 3)), "the unit of work goes on with its new connection");
        }

        if (otherWriter is not null)
        {
            await otherWriter;
        }
    }

    [Test]
    public async Task A_read_in_a_unit_of_work_whose_transaction_has_begun_is_not_retried()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await uow.Raw($"UPDATE {I("customers")} SET {I("Visits")} = 4").ExecuteAsync(); // the transaction begins
        if (Engine == Engine.Sqlite)
        {
            // The unit of work now holds SQLite's write lock, so it is never kept from reading; another writer is
            // refused as busy, an error the provider calls transient.
            await using var other = SqliteWaitingOneSecond().CreateConnection();
            await other.OpenAsync();
            var busy = Assert.CatchAsync<Microsoft.Data.Sqlite.SqliteException>(() => ExecuteAsync(other, $"UPDATE {Q("customers")} SET {Q("Visits")} = 5"));
            Assert.That(Provider.Classify(busy!), Is.EqualTo(DatabaseErrorKind.Transient), busy!.Message);
            return;
        }

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
