using Premix.Providers;

namespace Premix.Replicas;

/// <summary>Makes the providers of the read replicas named with <c>WithReadReplicas</c>, through the primary's provider.</summary>
internal static class ReadReplicaProviders
{
    /// <exception cref="InvalidOperationException">
    /// Replicas were named, but the engine has none Premix can use (SQLite), or its provider names positions Premix cannot compare.
    /// </exception>
    public static IReadOnlyList<IDatabaseProvider> Create(IDatabaseProvider primary, Mapping.Model model, IReadOnlyList<string> connectionStrings, ConnectionPoolOptions pool, ReadReplicaOptions options)
    {
        if (connectionStrings.Count == 0)
        {
            return [];
        }

        if (primary is not IReadReplicaProvider replicas)
        {
            throw new InvalidOperationException(
                $"WithReadReplicas was called, but the {primary.Name} provider has no read replicas Premix can route reads to"
                + (primary.Name == "sqlite" ? " (SQLite is a file inside the application's process: there is no replica server to read from)" : string.Empty)
                + ". Remove WithReadReplicas, or use PostgreSQL (UsePostgreSql(primary).WithReadReplicas(replica, ...)) or MariaDB (UseMySql(primary).WithReadReplicas(replica, ...)).");
        }

        if (replicas.PositionScheme is not (ReadYourWritesToken.LsnScheme or ReadYourWritesToken.GtidScheme))
        {
            throw new InvalidOperationException(
                $"The {primary.Name} provider's IReadReplicaProvider.PositionScheme is '{replicas.PositionScheme}', but Premix compares only "
                + $"'{ReadYourWritesToken.LsnScheme}' (PostgreSQL LSNs) and '{ReadYourWritesToken.GtidScheme}' (MariaDB GTID lists) positions: "
                + "with another, no read could be sent to a replica safely. Return one of those two.");
        }

        // A replica that takes connections but never answers must cost a read ProbeTimeout, not the primary's connect
        // timeout: the replica's pool gets it, unless the pool's own is shorter (ProbeTimeout bounds, it never lengthens);
        // a connect timeout the replica's connection string names is kept, as everywhere.
        var resolved = pool.Resolve(HostingDetector.Detect, Environment.ProcessorCount);
        var settings = resolved with { ConnectTimeout = TimeSpan.FromSeconds(Math.Min(resolved.ConnectTimeout.TotalSeconds, options.ProbeTimeoutSeconds)) };
        var providers = connectionStrings.Select(c => replicas.CreateReadReplica(c, settings)).ToArray();
        foreach (var replica in providers)
        {
            replica.UseModel(model); // the model's types, registered with the replica's driver as with the primary's
        }

        return providers;
    }
}
