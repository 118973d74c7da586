using Microsoft.Extensions.Hosting;

namespace Premix;

/// <summary>
/// Builds every registered database when the host starts, which runs its startup checks (<c>VerifySchemaAtStartup</c>
/// and the like): the first database I/O of an application happens here, not during registration, and a failing check
/// stops the start with its error.
/// </summary>
internal sealed class PremixStartup(IServiceProvider services, IEnumerable<PremixDatabaseEntry> databases) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var database in databases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _ = database.Resolve(services);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
