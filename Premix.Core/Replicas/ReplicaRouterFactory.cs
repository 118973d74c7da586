using Microsoft.Extensions.Logging;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Replicas;

/// <summary>Builds the router of a Premix instance: one executor per replica, whose spans and measurements name the replica's server.</summary>
internal static class ReplicaRouterFactory
{
    public static ReplicaRouter Create(PremixRuntime runtime, SqlExecutor primary, ILogger logger)
    {
        var engine = (IReadReplicaProvider)runtime.Provider;
        var servers = runtime.ReadReplicas.Select(provider => new ReplicaServer(
            provider,
            new SqlExecutor(logger, runtime.Telemetry.On(provider.Target), runtime.LogParameterValues, provider, primary.Retries, runtime.Constraints) { ReplicaOf = engine })).ToArray();
        return new ReplicaRouter(engine, servers, runtime.ReadReplicaOptions, primary, logger);
    }
}
