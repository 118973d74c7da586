using Microsoft.Extensions.Diagnostics.HealthChecks;
using Premix.Execution;

namespace Premix;

/// <summary>Liveness of one database: a connection opens and <c>SELECT 1</c> answers. Nothing about the schema.</summary>
internal sealed class PremixLiveHealthCheck(IServiceProvider services, PremixDatabaseEntry database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var premix = database.Resolve(services);
            var connection = premix.Provider.CreateConnection();
            await using (connection.ConfigureAwait(false))
            {
                // The opener turns a driver's failure into a DatabaseConnectionException naming the server, password masked.
                await ConnectionOpener.OpenAsync(true, connection, premix.Provider, cancellationToken).ConfigureAwait(false);
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return HealthCheckResult.Healthy($"{database.Describe()} answers.");
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{database.Describe()} does not answer: {error.Message}", error);
        }
    }
}
