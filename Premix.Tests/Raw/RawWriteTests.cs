using Premix.Providers;
using Premix.Tests.Infrastructure;
using Premix.Tests.Resilience;

namespace Premix.Tests.Raw;

/// <summary>
/// A raw statement is a write unless marked read-only: whatever method runs it (<c>ScalarAs</c>, <c>FetchAs</c>,
/// <c>ExecuteAsync</c>), in a unit of work it runs in the unit of work's transaction, and it is never run a second time
/// after a failure whose outcome is unknown.
/// </summary>
public sealed class RawWriteTests(Engine engine) : ResilienceTest(engine)
{
    private const string Marker = "raw_write_marker";

    [SetUp]
    public async Task CreateTablesAsync() => await CreatePremixWithTablesAsync(new CustomerMap());

    [Test]
    public async Task An_insert_returning_its_key_in_a_unit_of_work_disposed_without_commit_leaves_no_row()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap());
        await using (var uow = premix.BeginUnitOfWork())
        {
            var id = await uow.Raw(InsertReturningId("scalar")).ScalarAs<long>();
            var rows = await uow.Raw(InsertReturningId("fetched")).FetchAs<long>();

            Assert.That(id, Is.Positive, "the statement ran and answered");
            Assert.That(rows, Has.Count.EqualTo(1));
            Assert.That(await CountRowsAsync("customers"), Is.Zero, "uncommitted: another connection sees nothing yet");
        }

        Assert.That(await CountRowsAsync("customers"), Is.Zero, "disposed without a commit: rolled back");
    }

    [Test]
    public async Task An_insert_returning_its_key_in_a_unit_of_work_lands_with_its_commit_together_with_tracked_writes()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap());
        await using var uow = premix.BeginUnitOfWork();
        var id = await uow.Raw(InsertReturningId("raw")).FetchSingleAs<long>();
        uow.Repository<Customer>().Add(new Customer { Name = "tracked" });

        await uow.CommitAsync();

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")} WHERE {Q("Id")} = @id AND {Q("Name")} = 'raw'", new { id }), Is.EqualTo(1));
        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_read_only_query_in_a_unit_of_work_does_not_begin_its_transaction()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap());
        await using var uow = premix.BeginUnitOfWork();

        var count = await uow.Raw($"SELECT COUNT(*) FROM {I("customers")}").ReadOnly().ScalarAs<long>();
        var written = await uow.Raw($"SELECT COUNT(*) FROM {I("customers")}").ScalarAs<long>();

        Assert.That((count, written), Is.EqualTo((0L, 0L)));
        Assert.That(uow.HasPendingChanges, Is.True, "the statement not marked read-only began the unit of work's transaction");
    }

    [Test]
    public async Task A_standalone_insert_whose_answer_is_lost_is_not_run_again_and_writes_one_row()
    {
        if (Engine == Engine.Sqlite)
        {
            await A_sqlite_insert_refused_by_a_held_lock_is_not_run_again();
            return;
        }

        await using var relay = RelayToServer();
        await using var premix = CreateRetryingPremix(new CustomerMap(), provider: ProviderThrough(relay));
        relay.LoseAnswerTo(Marker);

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => premix.Raw(InsertReturningId(Marker)).ScalarAs<long>());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ErrorKind, Is.EqualTo(DatabaseErrorKind.ConnectionLost), error.Message);
            Assert.That(relay.AnswersLost, Is.EqualTo(1));
            Assert.That(Retries("read"), Is.Zero, "a write is never run again on its own");
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "the server ran it once; nobody ran it twice");
        }
    }

    [Test]
    public async Task A_read_only_query_whose_answer_is_lost_runs_again_on_a_new_connection()
    {
        if (Engine == Engine.Sqlite)
        {
            await A_sqlite_read_only_query_refused_by_a_held_lock_runs_again();
            return;
        }

        await using var relay = RelayToServer();
        await using var premix = CreateRetryingPremix(new CustomerMap(), provider: ProviderThrough(relay));
        relay.LoseAnswerTo(Marker);

        var count = await premix.Raw($"SELECT COUNT(*) AS {I(Marker)} FROM {I("customers")}").ReadOnly().ScalarAs<long>();

        Assert.That((count, relay.AnswersLost, Retries("read")), Is.EqualTo((0L, 1, 1L)));
    }

    // SQLite has no connection to lose: a read refused by another connection's exclusive lock is what it retries.
    private async Task A_sqlite_read_only_query_refused_by_a_held_lock_runs_again()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap(), provider: SqliteWaitingOneSecond());
        var release = new TaskCompletionSource();
        var held = await HoldSqliteLockAsync(() => release.Task, "EXCLUSIVE");

        var read = premix.Raw($"SELECT COUNT(*) FROM {I("customers")}").ReadOnly().ScalarAs<long>();
        while (Retries("read") == 0 && !read.IsCompleted)
        {
            await Task.Delay(20);
        }

        release.SetResult();
        await held;

        Assert.That((await read, Retries("read")), Is.EqualTo((0L, 1L)));
    }

    // SQLite has no connection to lose: its write refused by another writer's lock did not run, and is reported, not run again.
    private async Task A_sqlite_insert_refused_by_a_held_lock_is_not_run_again()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap(), provider: SqliteWaitingOneSecond());
        var release = new TaskCompletionSource();
        var held = await HoldSqliteLockAsync(() => release.Task);

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => premix.Raw(InsertReturningId(Marker)).ScalarAs<long>());
        release.SetResult();
        await held;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.IsTransient, Is.True, error.Message);
            Assert.That(Retries("read"), Is.Zero, "a write is never run again on its own");
            Assert.That(await CountRowsAsync("customers"), Is.Zero);
        }
    }

    private RawSql InsertReturningId(string name) =>
        $"INSERT INTO {I("customers")} ({I("Name")}, {I("Visits")}) VALUES ({name[..Math.Min(name.Length, 20)]}, 0) RETURNING {I("Id")}";
}
