using Npgsql;
using Premix.Providers;
using Premix.Providers.PostgreSql;
using Premix.Tests.Failover;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A primary whose sessions are read-only by configuration (<c>default_transaction_read_only</c> set for the database, or
/// for the session by the connection string) refuses a write with SQLSTATE 25006 as a standby does, but no failover will
/// change that: the commit fails at once, not after the retries, says why, and writes nothing. A standby's 25006 is still
/// retried (<see cref="PostgreSqlPromotionTests"/>). PostgreSQL only: the refusal and the settings it reports are its own.
/// </summary>
[TestFixture(Engine.PostgreSql)]
[NeedsServerSession("The database is made read-only for sessions that start after it: the pooler's server sessions began before.")]
public sealed class PostgreSqlReadOnlyPrimaryTests(Engine engine) : ResilienceTest(engine)
{
    [SetUp]
    public Task CreateTableAsync() => AdministerAsync("DROP TABLE IF EXISTS notes; " + FailoverNote.CreateTable);

    [TearDown]
    public Task MakeTheDatabaseWritableAsync() => AdministerAsync($"ALTER DATABASE {DatabaseName} RESET default_transaction_read_only");

    [TestCase(true, TestName = "PostgreSql_a_commit_on_a_primary_whose_database_defaults_to_read_only_fails_at_once_saying_why_and_writes_nothing")]
    [TestCase(false, TestName = "PostgreSql_a_commit_on_a_primary_whose_sessions_the_connection_string_makes_read_only_fails_at_once_saying_why_and_writes_nothing")]
    public async Task A_commit_refused_by_a_read_only_primary_fails_at_once(bool byDatabase)
    {
        await using (var probe = new NpgsqlConnection(ConnectionString))
        {
            await probe.OpenAsync();
            Assume.That(probe.PostgreSqlVersion, Is.AtLeast(new Version(14, 0)),
                "PostgreSQL 13 and older report neither in_hot_standby nor default_transaction_read_only: their 25006 stays retried, by design");
        }

        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (byDatabase)
        {
            await AdministerAsync($"ALTER DATABASE {DatabaseName} SET default_transaction_read_only = on");
        }
        else
        {
            connectionString.Options = "-c default_transaction_read_only=on";
        }

        await using var provider = new PostgreSqlProvider(connectionString.ConnectionString); // a pool of its own: every session starts after the setting
        await using var premix = CreateRetryingPremix(new FailoverNoteMap(), provider: provider);
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = "refused" });

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ErrorKind, Is.EqualTo(DatabaseErrorKind.Permanent), error.Message);
            Assert.That(error.Message, Does.Contain("read-only transaction").And.Contain("default_transaction_read_only is on").And.Contain("not retried"));
            Assert.That(Retries("commit"), Is.Zero, "one attempt: no failover will make this server take the write");
            Assert.That(Logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled), Is.Empty);
            Assert.That(await CountRowsAsync("notes"), Is.Zero, "nothing written");
        }
    }

    // On a connection of its own, outside the pools, writable whatever the database's default.
    private async Task AdministerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Options = "-c default_transaction_read_only=off" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
