namespace Premix.Tests.Resilience;

/// <summary>Resilience options that cannot work are refused where they are set, naming the setting.</summary>
public sealed class ResilienceOptionsTests
{
    [Test]
    public void The_defaults_retry_reads_and_commits_six_times_from_100_ms_up_to_2_s()
    {
        var options = new ResilienceOptions();

        Assert.That(
            (options.Enabled, options.MaxRetries, options.BaseDelay, options.MaxDelay, options.RetryReads, options.RetryCommits),
            Is.EqualTo((true, 6, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), true, true)));
    }

    [TestCase(-1, 50, 2000, "MaxRetries")]
    [TestCase(3, -1, 2000, "BaseDelay")]
    [TestCase(3, 500, 100, "MaxDelay")]
    public void An_impossible_setting_is_refused_naming_it(int maxRetries, int baseDelayMs, int maxDelayMs, string setting)
    {
        var builder = new PremixOptionsBuilder();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.ConfigureResilience(o =>
        {
            o.MaxRetries = maxRetries;
            o.BaseDelay = TimeSpan.FromMilliseconds(baseDelayMs);
            o.MaxDelay = TimeSpan.FromMilliseconds(maxDelayMs);
        }));

        Assert.That(error!.ParamName, Is.EqualTo(setting));
    }
}
