namespace Premix;

/// <summary>
/// The connection settings Premix applies for the environment it runs in: pool size, idle lifetime and timeouts.
/// Read the chosen values from <see cref="IPremix.Connections"/>; docs/configuration.md tabulates the rules.
/// </summary>
/// <param name="Environment">The environment the values were chosen for.</param>
/// <param name="MaxPoolSize">Connections a pool may hold at most (null where the engine has no sized pool: SQLite).</param>
/// <param name="MinPoolSize">Connections a pool keeps open when idle.</param>
/// <param name="IdleLifetime">How long an idle pooled connection is kept before it is closed.</param>
/// <param name="ConnectTimeout">How long opening a connection (or waiting for one from a full pool) may take.</param>
/// <param name="CommandTimeout">How long a statement may run.</param>
public sealed record ConnectionSettings(
    HostingEnvironment Environment,
    int? MaxPoolSize,
    int? MinPoolSize,
    TimeSpan? IdleLifetime,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout)
{
    /// <summary>The settings the connection string named itself, which Premix left as they were.</summary>
    public IReadOnlyList<string> KeptFromConnectionString { get; init; } = [];

    /// <summary>
    /// The settings that apply, as the startup log states them. An engine without a sized pool (SQLite: a file opened
    /// in-process) has no pool sizes, idle lifetime or connect timeout, so only its command timeout is named, with what
    /// it also governs there.
    /// </summary>
    internal string Describe() => MaxPoolSize is { } maxPoolSize
        ? $"max pool {maxPoolSize}, min pool {MinPoolSize}, idle lifetime {IdleLifetime}, connect timeout {ConnectTimeout}, command timeout {CommandTimeout}"
        : $"command timeout {CommandTimeout}, also the wait for another writer's lock (an in-process database: no pool, idle lifetime or connect timeout)";

    /// <summary>The defaults for <paramref name="environment"/> on a machine with <paramref name="processorCount"/> CPUs.</summary>
    public static ConnectionSettings For(HostingEnvironment environment, int processorCount)
    {
        var cpus = Math.Max(1, processorCount);
        return environment switch
        {
            // One call per instance at a time; a frozen instance's idle connections should not outlive it for long.
            HostingEnvironment.AwsLambda => new(environment, 2, 0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)),
            HostingEnvironment.AzureFunctions or HostingEnvironment.GoogleCloudFunctions =>
                new(environment, 5, 0, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)),
            // Concurrent requests per container, but scaled out and to zero: a modest pool, idle connections let go soon.
            HostingEnvironment.GoogleCloudRun => new(environment, Math.Clamp(cpus * 4, 5, 20), 0, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)),
            // Replicas multiply the pool: smaller per pod than on a dedicated server.
            HostingEnvironment.Kubernetes => new(environment, Math.Clamp(cpus * 2, 5, 50), 0, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)),
            _ => new(environment, Math.Clamp(cpus * 4, 10, 100), 0, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)),
        };
    }
}
