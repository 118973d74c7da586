using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A PostgreSQL failover behind PgBouncer (transaction pooling): the application reaches the primary through the failover
/// pair's own PgBouncer (<c>PREMIX_TEST_FAILOVER_POOLED</c>); the primary is killed under 8 writers, the synchronous standby
/// promoted a second later and PgBouncer repointed at it, as an HA manager's hook does (its ini rewritten, then
/// <c>RELOAD</c>). Meanwhile PgBouncer answers for the dead server ("server conn crashed?" to a transaction in flight, "server
/// login has been failing" from PgBouncer 1.18 or "pgbouncer cannot connect to server" from other versions to a client
/// with no server yet, all SQLSTATE 08P01); every reported outcome is held against what the promoted server holds
/// (<see cref="FailoverUnderWriters"/>). PostgreSQL only: the pair and its PgBouncer are the test command's.
/// </summary>
public sealed class PostgreSqlPgBouncerFailoverTests : MovedAddressFailoverFixture<FailoverPair>
{
    private protected override FailoverPair PairFromEnvironment() => FailoverPair.FromEnvironment();

    [Test]
    public async Task PostgreSql_failover_behind_PgBouncer_repointed_by_reload_loses_doubles_and_misreports_nothing_and_fails_no_unit_of_work_that_could_be_retried()
    {
        FailoverUnderWriters.AssertHeld(await FailOverAsync(verify: false), verify: false);
    }

    [Test]
    public async Task PostgreSql_failover_behind_PgBouncer_repointed_by_reload_with_VerifyCommitWith_loses_doubles_and_misreports_nothing_and_leaves_nothing_unknown()
    {
        FailoverUnderWriters.AssertHeld(await FailOverAsync(verify: true), verify: true);
    }

    private Task<OutcomeLedger.Comparison> FailOverAsync(bool verify)
    {
        // As docs/configuration.md advises behind a pooler: PgBouncer resets its server connections itself.
        var pooled = new NpgsqlConnectionStringBuilder(FailoverPair.Pooled()) { NoResetOnClose = true }.ConnectionString;
        return FailOverAsync("PgBouncer in front, repointed by RELOAD", p => p.UsePostgreSql(pooled), verify,
            moveAddress: () => Pair.ControlAsync("repoint-pooler"));
    }
}
