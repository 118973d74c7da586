using System.Collections.Concurrent;
using System.Diagnostics;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Writers that commit one-row units of work in a loop while a test takes a server away, each unit of work marked by a
/// unique reference, and what Premix reported for each: committed, failed (and with what), or
/// <see cref="CommitOutcomeUnknownException"/>. Afterwards <see cref="Compare"/> holds the reports against the references
/// the server holds, read by the test through plain SQL.
/// </summary>
internal sealed class OutcomeLedger
{
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _writers;

    /// <summary>
    /// Starts <paramref name="writers"/> writers on <paramref name="premix"/>; each unit of work gets a new reference and
    /// <paramref name="arrange"/> adds its one row (and may give it a <c>VerifyCommitWith</c> check).
    /// </summary>
    public OutcomeLedger(IPremix premix, int writers, Action<IUnitOfWork, string> arrange) =>
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(() => WriteAsync(premix, arrange))).ToArray();

    /// <summary>Time since the writers started (the clock <see cref="Outcome.At"/> is read on).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The outcomes so far.</summary>
    public IReadOnlyList<Outcome> Outcomes => _outcomes.ToArray();

    /// <summary>How many units of work reported committed so far.</summary>
    public int Committed => _outcomes.Count(o => o.Kind == OutcomeKind.Committed);

    /// <summary>Lets each writer finish the unit of work it is in, and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
        _stop.Dispose();
    }

    /// <summary>
    /// Each report held against <paramref name="saved"/>, the references the server holds (one entry per row, so a unit of
    /// work saved twice appears twice).
    /// </summary>
    public Comparison Compare(IReadOnlyCollection<string> saved)
    {
        var rows = saved.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var outcomes = Outcomes;
        var written = outcomes.Select(o => o.Reference).ToHashSet(StringComparer.Ordinal);
        return new Comparison(
            outcomes,
            Lost: outcomes.Where(o => o.Kind == OutcomeKind.Committed && !rows.ContainsKey(o.Reference)).ToList(),
            Misreported: outcomes.Where(o => o.Kind == OutcomeKind.Failed && rows.ContainsKey(o.Reference)).ToList(),
            Doubled: rows.Where(r => r.Value > 1).Select(r => r.Key).ToList(),
            Unwritten: rows.Keys.Where(r => !written.Contains(r)).ToList(),
            UnknownSaved: outcomes.Count(o => o.Kind == OutcomeKind.Unknown && rows.ContainsKey(o.Reference)));
    }

    private async Task WriteAsync(IPremix premix, Action<IUnitOfWork, string> arrange)
    {
        while (!_stop.IsCancellationRequested)
        {
            var reference = Guid.NewGuid().ToString("N");
            var began = _clock.Elapsed;
            await using var uow = premix.BeginUnitOfWork();
            arrange(uow, reference);
            try
            {
                await uow.CommitAsync();
                _outcomes.Enqueue(new Outcome(reference, OutcomeKind.Committed, began, _clock.Elapsed, null));
            }
            catch (CommitOutcomeUnknownException e)
            {
                _outcomes.Enqueue(new Outcome(reference, OutcomeKind.Unknown, began, _clock.Elapsed, e));
            }
            catch (PremixException e)
            {
                _outcomes.Enqueue(new Outcome(reference, OutcomeKind.Failed, began, _clock.Elapsed, e));
            }
        }
    }

    /// <summary>What Premix reported for one unit of work.</summary>
    public enum OutcomeKind
    {
        /// <summary><c>CommitAsync</c> returned.</summary>
        Committed,

        /// <summary><c>CommitAsync</c> threw a <see cref="PremixException"/> other than <see cref="CommitOutcomeUnknownException"/>.</summary>
        Failed,

        /// <summary><c>CommitAsync</c> threw <see cref="CommitOutcomeUnknownException"/>.</summary>
        Unknown,
    }

    /// <summary>One unit of work: its reference, what was reported, when it began and when <c>CommitAsync</c> ended, and the error.</summary>
    public sealed record Outcome(string Reference, OutcomeKind Kind, TimeSpan Began, TimeSpan At, PremixException? Error)
    {
        /// <summary>The error's type and its innermost message, to group the failures by.</summary>
        public string Describe()
        {
            if (Error is null)
            {
                return "";
            }

            var inner = Error.GetBaseException();
            return $"{Error.GetType().Name} ({inner.GetType().Name}: {inner.Message})";
        }
    }

    /// <summary>The reports held against what the server holds.</summary>
    /// <param name="Outcomes">Every report.</param>
    /// <param name="Lost">Reported committed, not on the server.</param>
    /// <param name="Misreported">Reported failed, yet on the server.</param>
    /// <param name="Doubled">References the server holds more than once.</param>
    /// <param name="Unwritten">References on the server that no unit of work wrote.</param>
    /// <param name="UnknownSaved">Units of work reported unknown that the server holds.</param>
    public sealed record Comparison(IReadOnlyList<Outcome> Outcomes, List<Outcome> Lost, List<Outcome> Misreported, List<string> Doubled, List<string> Unwritten, int UnknownSaved)
    {
        /// <summary>The units of work reported committed.</summary>
        public int Committed => Outcomes.Count(o => o.Kind == OutcomeKind.Committed);

        /// <summary>The units of work reported failed.</summary>
        public IReadOnlyList<Outcome> Failed => Outcomes.Where(o => o.Kind == OutcomeKind.Failed).ToList();

        /// <summary>The units of work reported unknown.</summary>
        public int Unknown => Outcomes.Count(o => o.Kind == OutcomeKind.Unknown);

        /// <summary>The longest time without a commit around <paramref name="since"/>: from the last commit that ended before it (or from it) to the next commit, and so on to the end.</summary>
        public TimeSpan LongestWithoutCommit(TimeSpan since)
        {
            var longest = TimeSpan.Zero;
            var commits = Outcomes.Where(o => o.Kind == OutcomeKind.Committed).Select(o => o.At).Order().ToList();
            var previous = commits.LastOrDefault(c => c <= since, since);
            foreach (var commit in commits.Where(c => c > since))
            {
                longest = commit - previous > longest ? commit - previous : longest;
                previous = commit;
            }

            return longest;
        }

        /// <summary>From the first unit of work that failed or was left unknown to the first commit after it; <see langword="null"/> when none did.</summary>
        public TimeSpan? FirstFailureToCommit()
        {
            var firstBad = Outcomes.Where(o => o.Kind != OutcomeKind.Committed).Select(o => (TimeSpan?)o.At).Min();
            return firstBad is { } bad
                ? Outcomes.Where(o => o.Kind == OutcomeKind.Committed && o.At > bad).Select(o => (TimeSpan?)(o.At - bad)).Min()
                : null;
        }

        /// <summary>
        /// Asserts (inside the caller's multiple-assert scope) that every unit of work reported committed is on
        /// <paramref name="where"/>, none twice, none reported failed, and nothing no unit of work wrote.
        /// </summary>
        public void AssertNothingLostDoubledOrMisreported(string where)
        {
            Assert.That(Lost.Select(o => o.Reference), Is.Empty, $"every unit of work reported committed is on {where}");
            Assert.That(Doubled, Is.Empty, $"none is on {where} twice");
            Assert.That(Misreported.Select(o => o.Describe()), Is.Empty, $"none reported failed is on {where}");
            Assert.That(Unwritten, Is.Empty, $"nothing is on {where} that no unit of work wrote");
        }

        /// <summary>One line of figures for the test output; <paramref name="since"/> is when the server went away.</summary>
        public string Figures(TimeSpan since) =>
            $"{Outcomes.Count} units of work: {Committed} committed, {Failed.Count} failed, {Unknown} outcome unknown ({UnknownSaved} of them saved); "
            + $"{Lost.Count} lost, {Doubled.Count} doubled, {Misreported.Count} misreported; longest time without a commit {LongestWithoutCommit(since).TotalMilliseconds:0} ms"
            + (FirstFailureToCommit() is { } outage ? $", first failure to the next commit {outage.TotalMilliseconds:0} ms" : "")
            + (Failed.Count == 0 ? "" : "; failures: " + string.Join("; ", Failed.GroupBy(f => f.Describe()).Select(g => $"{g.Count()} × {g.Key}")));
    }
}
