using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A failover as an HA manager runs it, under 8 writers that commit one-row units of work (<see cref="ReferenceNote"/>)
/// through one address that is moved (a virtual address, a pooler repointed): the primary is killed at
/// <see cref="KillAt"/>, the standby or replica promoted and the address moved <see cref="PromotionGap"/> later, and the
/// writers go on to <see cref="Run"/> (at least <see cref="AfterPromotion"/> after the promotion, however slow the
/// machine). Every reported outcome is then held against what the promoted server holds, and the figures printed: the
/// outage, and each error retried or reported, by kind.
/// </summary>
internal static partial class FailoverUnderWriters
{
    public static readonly TimeSpan KillAt = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan PromotionGap = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Run = TimeSpan.FromSeconds(9);
    public static readonly TimeSpan AfterPromotion = TimeSpan.FromSeconds(4);

    /// <summary>Creates the <see cref="IPremix"/> the writers use, its warnings (the retries) kept in <paramref name="logs"/>.</summary>
    public static IPremix Premix(Func<PremixOptionsBuilder, PremixOptionsBuilder> provider, CapturingLoggerProvider logs) =>
        PremixFactory.Create(
            p => provider(p).AddModelConfiguration(new ReferenceNote.Map()),
            LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Warning)));

    /// <summary>
    /// Runs the writers on <paramref name="premix"/> (each unit of work with a <c>VerifyCommitWith</c> check when
    /// <paramref name="verify"/>), calls <paramref name="kill"/> and then <paramref name="promote"/> (which promotes and moves
    /// the address), and compares every outcome with <paramref name="saved"/>: the references the promoted server holds,
    /// one per row, read through plain SQL.
    /// </summary>
    public static async Task<OutcomeLedger.Comparison> RunAsync(string shape, IPremix premix, bool verify, CapturingLoggerProvider logs,
        Func<Task> kill, Func<Task> promote, Func<Task<List<string>>> saved)
    {
        var ledger = new OutcomeLedger(premix, 8, (uow, reference) =>
        {
            uow.Repository<ReferenceNote>().Add(new ReferenceNote { Reference = reference });
            if (verify)
            {
                uow.VerifyCommitWith(async (check, cancellationToken) =>
                    await check.Repository<ReferenceNote>().Query().Where(n => n.Reference == reference).AnyAsync(cancellationToken));
            }
        });

        await Task.Delay(KillAt);
        var killedAt = ledger.Elapsed;
        await kill();
        var deadAt = ledger.Elapsed;
        await Task.Delay(PromotionGap);
        await promote();
        var promotedAt = ledger.Elapsed;
        var stopAt = Run > promotedAt + AfterPromotion ? Run : promotedAt + AfterPromotion;
        if (stopAt - ledger.Elapsed is { Ticks: > 0 } rest)
        {
            await Task.Delay(rest);
        }

        await ledger.StopAsync();
        var comparison = ledger.Compare(await saved());
        var firstAfter = comparison.Outcomes.Where(o => o.Kind == OutcomeLedger.OutcomeKind.Committed && o.At > promotedAt).Min(o => (TimeSpan?)o.At) - promotedAt;
        var output = TestContext.Out;
        output.WriteLine($"{shape}, {(verify ? "with VerifyCommitWith" : "default settings")}: primary killed at {killedAt.TotalSeconds:0.000} s (dead at {deadAt.TotalSeconds:0.000} s), "
            + $"promoted and the address moved at {promotedAt.TotalSeconds:0.000} s (gap {(promotedAt - deadAt).TotalMilliseconds:0} ms); "
            + $"first commit {(firstAfter is { } after ? $"{after.TotalMilliseconds:0} ms" : "never")} after the move");
        output.WriteLine(comparison.Figures(killedAt));
        foreach (var logged in logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled || e.Id == PremixEventId.CommitOutcomeUnknown)
            .GroupBy(e => $"{e.Id.Name}: {Shape(e.Message)}").OrderByDescending(g => g.Count()).Take(12))
        {
            output.WriteLine($"  {logged.Count()} × {logged.Key}");
        }

        Assert.That(comparison.Outcomes.Count(o => o.Kind == OutcomeLedger.OutcomeKind.Committed && o.Began > promotedAt), Is.GreaterThan(0),
            "units of work begun after the promotion commit on the promoted server");
        return comparison;
    }

    /// <summary>
    /// Asserts (in one scope) what every shape promises: nothing lost, doubled or misreported, and, with the default
    /// resilience settings, no unit of work failed that could have been retried safely: the only ones not committed had
    /// their COMMIT in flight (outcome unknown), and with <paramref name="verify"/> not even those.
    /// </summary>
    public static void AssertHeld(OutcomeLedger.Comparison comparison, bool verify)
    {
        using (Assert.EnterMultipleScope())
        {
            comparison.AssertNothingLostDoubledOrMisreported("the promoted server");
            Assert.That(comparison.Failed.Select(f => f.Describe()), Is.Empty, "only a unit of work whose COMMIT was in flight is not committed (its outcome unknown)");
            if (verify)
            {
                Assert.That(comparison.Unknown, Is.Zero, "each COMMIT in flight was resolved by its check");
            }
        }
    }

    /// <summary>A log message without its numbers (retry count, delay, port), to group the errors by kind.</summary>
    public static string Shape(string message)
    {
        var shape = Digits().Replace(message, "#");
        return shape[..Math.Min(shape.Length, 220)];
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
