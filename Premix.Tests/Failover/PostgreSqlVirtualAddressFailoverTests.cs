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
[NonParallelizable]
public sealed class PostgreSqlVirtualAddressFailoverTests
{
    private FailoverPair _pair = null!;
    private TcpRelay _address = null!;
    private CapturingLoggerProvider _logs = null!;
    private IPremix? _premix;

    [SetUp]
    public async Task ResetThePairAsync()
    {
        _pair = FailoverPair.FromEnvironment();
        await _pair.ControlAsync("reset");
        await _pair.ExecuteAsync(1, FailoverPair.ReferenceNoteTable);
        var primary = new NpgsqlConnectionStringBuilder(_pair.Server(1));
        _address = new TcpRelay(primary.Host!, primary.Port);
        _logs = new CapturingLoggerProvider();
    }

    [TearDown]
    public async Task DisposeAllAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
        }

        await _address.DisposeAsync();
        _logs.Dispose();
    }

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

    private async Task<OutcomeLedger.Comparison> FailOverAsync(bool silent, bool verify)
    {
        // One host, as the application sees a virtual address; the pair's Timeout (2 s), the default resilience settings.
        var address = new NpgsqlConnectionStringBuilder(_pair.Server(1, pooling: true)) { Host = "127.0.0.1", Port = _address.Port }.ConnectionString;
        _premix = FailoverUnderWriters.Premix(p => p.UsePostgreSql(address), _logs);
        var standby = new NpgsqlConnectionStringBuilder(_pair.Server(2));
        return await FailoverUnderWriters.RunAsync(
            silent ? "Virtual address, silent while it moves" : "Virtual address, refusing while it moves", _premix, verify, _logs,
            kill: async () =>
            {
                if (silent)
                {
                    _address.Vacate(); // the machine dies: its connections go quiet, the address answers nothing
                }

                await _pair.ControlAsync("kill-primary");
            },
            promote: async () =>
            {
                await _pair.ControlAsync("promote");
                _address.MoveTo(standby.Host!, standby.Port);
            },
            saved: () => _pair.ReferencesAsync(2));
    }
}
