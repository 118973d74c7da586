using Microsoft.Extensions.Logging;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Replicas;

/// <summary>Builds the router of a Premix instance: one executor per replica, whose spans and measurements name the replica's server.</summary>
internal static class ReplicaRouterFactory
{
    public static ReplicaRouter Create(PremixRuntime runtime, SqlExecutor primary, ILogger logger)
    {
        var servers = runtime.ReadReplicas.Select(provider => new ReplicaServer(
            provider,
            new SqlExecutor(logger, runtime.Telemetry.On(provider.Target), runtime.LogParameterValues, provider, primary.Retries, runtime.Constraints))).ToArray();
        return new ReplicaRouter((IReadReplicaProvider)runtime.Provider, servers, runtime.ReadReplicaOptions, primary, logger);
    }
}
