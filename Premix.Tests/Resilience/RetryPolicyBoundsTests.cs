using Microsoft.Extensions.Logging.Abstractions;
using Premix.Diagnostics;
using Premix.Providers;
using Premix.Providers.Sqlite;
using Premix.Resilience;

namespace Premix.Tests.Resilience;

/// <summary>
/// Polly accepts the extreme settings Premix lets through: its pipeline is built on the first retry, where a setting it
/// refused would surface only in production, on the first transient failure.
/// </summary>
public sealed class RetryPolicyBoundsTests
{
    [TestCase(0)] // MaxRetryAttempts = MaxRetries
    [TestCase(15_000)] // MaxRetryAttempts = int.MaxValue, the window's budget deciding
    public async Task The_pipeline_builds_on_the_first_retry_with_the_extreme_delays_and_one_retry(int maxUnavailableMs)
    {
        var options = new ResilienceOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromDays(1), MaxUnavailableTime = TimeSpan.FromMilliseconds(maxUnavailableMs) };
        var provider = new SqliteProvider("Data Source=:memory:");
        var policy = new RetryPolicy(options, provider, NullLogger.Instance, new TelemetryContext("sqlite", provider.Target, new Dictionary<string, string>()));
        var busy = new DatabaseCommandException("Read", null, "SELECT 1", "database is locked", new InvalidOperationException("locked"), DatabaseErrorKind.Transient);
        var builtBefore = policy.PipelineBuilt;

        var result = await policy.RetryAsync(async: true, "read", busy, static (_, value, _) => ValueTask.FromResult(value), 42, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(builtBefore, Is.False);
            Assert.That(result, Is.EqualTo(42));
            Assert.That(policy.PipelineBuilt, Is.True);
        }
    }
}
