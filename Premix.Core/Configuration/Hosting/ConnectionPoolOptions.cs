namespace Premix;

/// <summary>
/// Settings given in code that replace what Premix would choose for the environment (<see cref="ConnectionSettings.For"/>).
/// A setting the connection string names itself wins over both.
/// </summary>
public sealed class ConnectionPoolOptions
{
    /// <summary>The environment to choose for, instead of detecting it (<see cref="HostingDetector"/>).</summary>
    public HostingEnvironment? Environment { get; set; }

    /// <summary>Connections a pool may hold at most.</summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>Connections a pool keeps open when idle.</summary>
    public int? MinPoolSize { get; set; }

    /// <summary>How long an idle pooled connection is kept.</summary>
    public TimeSpan? IdleLifetime { get; set; }

    /// <summary>How long opening a connection (or waiting for a free one) may take.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>How long a statement may run.</summary>
    public TimeSpan? CommandTimeout { get; set; }

    /// <summary>The environment's defaults with these settings laid over them.</summary>
    internal ConnectionSettings Resolve(Func<HostingEnvironment> detect, int processorCount)
    {
        var defaults = ConnectionSettings.For(Environment ?? detect(), processorCount);
        return defaults with
        {
            MaxPoolSize = MaxPoolSize ?? defaults.MaxPoolSize,
            MinPoolSize = MinPoolSize ?? defaults.MinPoolSize,
            IdleLifetime = IdleLifetime ?? defaults.IdleLifetime,
            ConnectTimeout = ConnectTimeout ?? defaults.ConnectTimeout,
            CommandTimeout = CommandTimeout ?? defaults.CommandTimeout,
        };
    }
}
