using Premix.Providers.Sqlite;
using Premix.Tests.Chinook;

namespace Premix.Tests.Resilience;

/// <summary>Resilience options that cannot work are refused where they are set, naming the setting.</summary>
public sealed class ResilienceOptionsTests
{
    [Test]
    public void The_defaults_retry_reads_and_commits_six_times_from_100_ms_up_to_2_s_and_a_server_gone_away_for_15_s()
    {
        var options = new ResilienceOptions();

        Assert.That(
            (options.Enabled, options.MaxRetries, options.BaseDelay, options.MaxDelay, options.MaxUnavailableTime, options.RetryReads, options.RetryCommits),
            Is.EqualTo((true, 6, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15), true, true)));
    }

    [TestCase(-1, 50, 2000, 0, "MaxRetries")]
    [TestCase(3, -1, 2000, 0, "BaseDelay")]
    [TestCase(3, 500, 100, 0, "MaxDelay")]
    [TestCase(3, 50, 2 * 24 * 3600 * 1000, 0, "MaxDelay")] // over Polly's one day: refused here, since its pipeline is built on the first retry
    [TestCase(3, 50, 2000, -1, "MaxUnavailableTime")]
    public void An_impossible_setting_is_refused_naming_it(int maxRetries, int baseDelayMs, int maxDelayMs, int maxUnavailableMs, string setting)
    {
        var builder = new PremixOptionsBuilder();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.ConfigureResilience(o =>
        {
            o.MaxRetries = maxRetries;
            o.BaseDelay = TimeSpan.FromMilliseconds(baseDelayMs);
            o.MaxDelay = TimeSpan.FromMilliseconds(maxDelayMs);
            o.MaxUnavailableTime = TimeSpan.FromMilliseconds(maxUnavailableMs);
        }));

        Assert.That(error!.ParamName, Is.EqualTo(setting));
    }

    [TestCase(-1, 2000, 0)]
    [TestCase(500, 100, 0)]
    [TestCase(50, 2 * 24 * 3600 * 1000, 0)]
    [TestCase(50, 2000, -1)]
    public void A_refused_delay_reads_as_the_runtimes_own_range_check_would(int baseDelayMs, int maxDelayMs, int maxUnavailableMs)
    {
        // Premix compares the TimeSpans itself (CoreLib's generic ThrowIfLessThan<TimeSpan> was JIT-compiled at every start):
        // the message and the value the exception carries stay what CoreLib's checks give.
        var (baseDelay, maxDelay, maxUnavailable) = (TimeSpan.FromMilliseconds(baseDelayMs), TimeSpan.FromMilliseconds(maxDelayMs), TimeSpan.FromMilliseconds(maxUnavailableMs));
        var builder = new PremixOptionsBuilder();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.ConfigureResilience(o =>
        {
            o.BaseDelay = baseDelay;
            o.MaxDelay = maxDelay;
            o.MaxUnavailableTime = maxUnavailable;
        }));
        var expected = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero, nameof(ResilienceOptions.BaseDelay));
            ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay, nameof(ResilienceOptions.MaxDelay));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDelay, TimeSpan.FromDays(1), nameof(ResilienceOptions.MaxDelay));
            ArgumentOutOfRangeException.ThrowIfLessThan(maxUnavailable, TimeSpan.Zero, nameof(ResilienceOptions.MaxUnavailableTime));
        });

        Assert.That((error!.ParamName, error.Message, error.ActualValue), Is.EqualTo((expected!.ParamName, expected.Message, expected.ActualValue)));
    }

    [Test]
    public void A_MaxDelay_over_one_day_is_refused_even_with_retries_turned_off()
    {
        var builder = new PremixOptionsBuilder();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.ConfigureResilience(o =>
        {
            o.Enabled = false;
            o.MaxDelay = TimeSpan.FromDays(2);
        }));

        Assert.That(error!.ParamName, Is.EqualTo(nameof(ResilienceOptions.MaxDelay)));
    }

    [Test]
    public void A_setting_changed_after_ConfigureResilience_is_refused_at_startup_naming_it()
    {
        // The options object is the application's: one kept from ConfigureResilience can still change before Premix starts.
        ResilienceOptions? kept = null;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PremixFactory.Create(p =>
        {
            p.UseSqlite("Data Source=:memory:").AddModelConfiguration<CustomerMap>().ConfigureResilience(o => kept = o);
            kept!.MaxDelay = TimeSpan.FromDays(2);
        }));

        Assert.That(error!.ParamName, Is.EqualTo(nameof(ResilienceOptions.MaxDelay)));
    }
}
