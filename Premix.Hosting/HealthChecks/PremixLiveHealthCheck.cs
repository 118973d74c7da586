using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Premix;

/// <summary>Liveness of one database: a connection opens and <c>SELECT 1</c> answers. Nothing about the schema.</summary>
internal sealed class PremixLiveHealthCheck(IServiceProvider services, PremixDatabaseEntry database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await DatabaseProbe.AnswerAsync(database.Resolve(services), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{database.Describe()} answers.");
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{database.Describe()} does not answer: {error.Message}", error);
        }
    }
}
