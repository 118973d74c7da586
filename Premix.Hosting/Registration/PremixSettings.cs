namespace Premix;

/// <summary>
/// The settings of one database that <c>builder.AddPremix("name", ...)</c> binds from the configuration section
/// <c>Premix:name</c> (docs/configuration.md). <c>ConnectionStrings:name</c>, when present, wins over <see cref="ConnectionString"/>;
/// the delegate given to <c>AddPremix</c> runs last and may choose the provider in code instead.
/// </summary>
public sealed class PremixSettings
{
    /// <summary>The engine: <c>Sqlite</c>, <c>PostgreSql</c> or <c>MySql</c> (its provider package must be referenced).</summary>
    public string? Provider { get; set; }

    /// <summary>The driver's connection string; <c>ConnectionStrings:name</c> wins over it.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Pool size, idle lifetime, timeouts and the hosting environment, laid over the defaults Premix chooses.</summary>
    public ConnectionPoolOptions ConnectionPool { get; set; } = new();

    /// <summary>Retries of transient failures.</summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>Whether Debug logs include parameter values (values of sensitive columns stay masked). Default false.</summary>
    public bool LogParameterValues { get; set; }
}
