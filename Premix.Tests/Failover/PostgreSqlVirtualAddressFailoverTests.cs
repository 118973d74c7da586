using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A PostgreSQL failover reached through one address that the HA manager moves (a keepalived virtual IP, a cloud endpoint, a
/// DNS name): the application's connection string names one host (a <see cref="TcpRelay"/> in front of the failover pair's
/// primary), the primary is killed under 8 writers, the synchronous standby promoted a second later and the address moved
/// to it. While the address has no server, it either refuses connections (the dead primary's port) or goes silent (the
/// machine holding it died: connections open and new ones hear nothing, until the address's new owner resets the old
/// ones). Every reported outcome is held against what the promoted server holds (<see cref="FailoverUnderWriters"/>).
/// PostgreSQL only: the failover pair is the test command's (<see cref="FailoverPair"/>).
/// </summary>
public sealed class PostgreSqlVirtualAddressFailoverTests : MovedAddressFailoverFixture<FailoverPair>
{
    private protected override FailoverPair PairFromEnvironment() => FailoverPair.FromEnvironment();

    [Test]
    public async Task PostgreSql_failover_through_a_virtual_address_that_refuses_while_it_moves_loses_doubles_and_misreports_nothing_and_fails_no_unit_of_work_that_could_be_retried()
    {
        FailoverUnderWriters.AssertHeld(await FailOverAsync(silent: false, verify: false), verify: false);
    }

    [Test]
    public async Task PostgreSql_failover_through_a_virtual_address_that_goes_silent_while_it_moves_with_VerifyCommitWith_loses_doubles_and_misreports_nothing_and_leaves_nothing_unknown()
    {
        FailoverUnderWriters.AssertHeld(await FailOverAsync(silent: true, verify: true), verify: true);
    }

    private Task<OutcomeLedger.Comparison> FailOverAsync(bool silent, bool verify)
    {
        // One host, as the application sees a virtual address; the pair's Timeout (2 s), the default resilience settings.
        var relay = AddressOfThePrimary();
        var address = new NpgsqlConnectionStringBuilder(Pair.Server(1, pooling: true)) { Host = "127.0.0.1", Port = relay.Port }.ConnectionString;
        var (standbyHost, standbyPort) = Pair.Address(2);
        return FailOverAsync(silent ? "Virtual address, silent while it moves" : "Virtual address, refusing while it moves", p => p.UsePostgreSql(address), verify,
            moveAddress: () =>
            {
                relay.MoveTo(standbyHost, standbyPort);
                return Task.CompletedTask;
            },
            atKill: silent
                ? () =>
                {
                    relay.Vacate(); // the machine dies: its connections go quiet, the address answers nothing
                    return Task.CompletedTask;
                }
                : null);
    }
}
