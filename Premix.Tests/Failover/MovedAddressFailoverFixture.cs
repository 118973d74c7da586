using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A failover as an HA manager runs it, reached through one address that is moved (a virtual address, a pooler repointed),
/// on either engine's pair: after each reset the primary holds <see cref="ReferenceNote"/>'s table, and
/// <see cref="FailOverAsync"/> runs 8 writers through the address (<see cref="FailoverUnderWriters"/>), kills the primary,
/// promotes the standby or replica and moves the address, then holds every reported outcome against what the promoted
/// server holds.
/// </summary>
public abstract class MovedAddressFailoverFixture<TPair> : FailoverFixture<TPair>
    where TPair : class, IFailoverPair
{
    /// <inheritdoc />
    protected sealed override Task CreateTablesAsync() => Pair.CreateReferenceNotesAsync();

    /// <summary>A <see cref="TcpRelay"/> in front of the first primary, as the address the application is given; disposed after the test.</summary>
    protected TcpRelay AddressOfThePrimary()
    {
        var (host, port) = Pair.Address(1);
        return Keep(new TcpRelay(host, port));
    }

    /// <summary>
    /// Runs the writers on a Premix made by <paramref name="provider"/> (each unit of work with a <c>VerifyCommitWith</c>
    /// check when <paramref name="verify"/>); at the kill, runs <paramref name="atKill"/> (when given) and kills the primary;
    /// a second later promotes server 2 and runs <paramref name="moveAddress"/>; returns every outcome compared with the
    /// references server 2 holds. <paramref name="shape"/> names the run in what is printed.
    /// </summary>
    private protected async Task<OutcomeLedger.Comparison> FailOverAsync(string shape, Func<PremixOptionsBuilder, PremixOptionsBuilder> provider, bool verify,
        Func<Task> moveAddress, Func<Task>? atKill = null)
    {
        var premix = Keep(FailoverUnderWriters.Premix(provider, Logs));
        return await FailoverUnderWriters.RunAsync(shape, premix, verify, Logs,
            kill: async () =>
            {
                if (atKill is not null)
                {
                    await atKill();
                }

                await Pair.ControlAsync("kill-primary");
            },
            promote: async () =>
            {
                await Pair.ControlAsync("promote");
                await moveAddress();
            },
            saved: () => Pair.ReferencesAsync(2));
    }
}
