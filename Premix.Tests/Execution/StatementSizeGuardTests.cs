using System.Data.Common;
using Microsoft.Data.Sqlite;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Tests.Execution;

/// <summary>
/// When Premix reads a server's statement size limit (MariaDB's <c>max_allowed_packet</c>), by a stand-in server whose limit
/// the test changes, which no real test may do to the shared MariaDB: never for a statement smaller than any server's
/// limit, once for the first larger one, and again on the statement's own connection before refusing one over the limit
/// last read, so that a raised limit reaches a running application through its new connections.
/// </summary>
public sealed class StatementSizeGuardTests
{
    [Test]
    public async Task The_limit_is_read_for_the_first_large_statement_then_only_on_the_connection_of_one_over_it()
    {
        var server = new StandInServer { Limit = 10_000 };
        var guard = new StatementSizeGuard(server);
        await using var connection = new SqliteConnection(); // the stand-in reads its limit from no connection

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await guard.LimitForAsync(true, connection, null, 1_000, default), Is.Null, "smaller than any server's limit: sent, nothing read");
            Assert.That(server.Reads, Is.Zero);
            Assert.That(await guard.LimitForAsync(true, connection, null, 5_000, default), Is.EqualTo(10_000), "the first larger statement reads the limit");
            Assert.That(await guard.LimitForAsync(false, connection, null, 9_999, default), Is.EqualTo(10_000), "under the limit read: decided without reading");
            Assert.That(server.Reads, Is.EqualTo(1));
        }

        server.Limit = 20_000; // raised: connections opened from now on have it
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await guard.LimitForAsync(true, connection, null, 15_000, default), Is.EqualTo(20_000), "over the limit last read: its own connection's limit decides");
            Assert.That(await guard.LimitForAsync(true, connection, null, 19_000, default), Is.EqualTo(20_000), "and is kept");
            Assert.That(server.Reads, Is.EqualTo(2));
            Assert.That(await guard.LimitForAsync(true, connection, null, 20_000, default), Is.EqualTo(20_000), "a statement the size of the limit is over it, read on its connection to be sure");
            Assert.That(server.Reads, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task A_limit_that_cannot_be_read_leaves_the_statement_to_the_server()
    {
        var server = new StandInServer { Broken = true };
        var guard = new StatementSizeGuard(server);
        await using var connection = new SqliteConnection();

        Assert.That(await guard.LimitForAsync(true, connection, null, 1_000_000, default), Is.Null);
    }

    private sealed class StandInServer : IStatementSizeLimit
    {
        public long Limit { get; set; }

        public bool Broken { get; init; }

        public int Reads { get; private set; }

        public string LimitSetting => "max_allowed_packet";

        public long SmallestLimit => 1024;

        public long ReadLimit(DbConnection connection, DbTransaction? transaction)
        {
            Reads++;
            return Broken ? throw new SqliteException("the connection is broken", 1) : Limit;
        }

        public Task<long> ReadLimitAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) => Task.FromResult(ReadLimit(connection, transaction));

        public long TextSize(string sql, bool exact) => sql.Length;

        public long ValueSize(object? value, bool exact) => 0;
    }
}
