using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Premix;

/// <summary>
/// Reads <see cref="PremixSettings"/> from configuration as the .NET Aspire components do (the section <c>Premix:name</c>,
/// then <c>ConnectionStrings:name</c>), lays them on a <see cref="PremixOptionsBuilder"/> before the application's
/// delegate, and checks the result, reporting every problem at once with the keys to set.
/// </summary>
internal static class PremixSettingsBinder
{
    /// <summary>The section a database's settings are bound from.</summary>
    public static string Section(string name) => "Premix:" + name;

    /// <summary>Binds the section of <paramref name="name"/>; <c>ConnectionStrings:name</c> wins over its connection string.</summary>
    /// <exception cref="InvalidOperationException">The section holds a key Premix does not know (a misspelled setting would otherwise be ignored), or a value that does not convert to its setting's type.</exception>
    public static PremixSettings Read(IConfiguration configuration, string name)
    {
        var settings = new PremixSettings();
        try
        {
            configuration.GetSection(Section(name)).Bind(settings, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException unreadable) when (unreadable.InnerException is not null)
        {
            // A value that does not convert (MaxPoolSize=abc): the binder names the key and the type, with the parse error inside.
            throw new InvalidOperationException($"{Section(name)} holds a value Premix cannot read: {unreadable.Message} {unreadable.InnerException.Message}", unreadable);
        }
        catch (InvalidOperationException unknown)
        {
            throw new InvalidOperationException(
                $"{Section(name)} holds a setting Premix does not know, which would be ignored: {unknown.Message} The keys are listed in docs/configuration.md (Settings from configuration).",
                unknown);
        }

        if (configuration.GetConnectionString(name) is { Length: > 0 } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        return settings;
    }

    /// <summary>Applies <paramref name="settings"/>, then <paramref name="configure"/>, which may override any of them.</summary>
    /// <exception cref="OptionsValidationException">The settings are invalid or incomplete; its failures list every problem.</exception>
    public static void Apply(PremixOptionsBuilder options, PremixSettings settings, string name, Action<PremixOptionsBuilder> configure)
    {
        var section = Section(name);
        var problems = new List<string>();
        ValidatePool(settings.ConnectionPool, section + ":ConnectionPool", problems);
        var beforeResilience = problems.Count;
        ValidateResilience(settings.Resilience, section + ":Resilience", problems);
        options.ConfigureConnectionPool(pool => Copy(settings.ConnectionPool, pool));
        if (problems.Count == beforeResilience)
        {
            options.ConfigureResilience(resilience => Copy(settings.Resilience, resilience));
        }

        options.EnableParameterLogging(settings.LogParameterValues);
        if (settings.Provider is { Length: > 0 } providerName)
        {
            var create = ConfiguredProvider.Find(providerName, section + ":Provider", out var problem);
            if (problem is not null)
            {
                problems.Add(problem);
            }
            else if (settings.ConnectionString is { Length: > 0 } connectionString)
            {
                options.UseProvider(chosen => create!(connectionString, chosen));
            }
        }

        configure(options);
        if (options.Provider is null && options.ProviderFactory is null)
        {
            if (settings.Provider is not { Length: > 0 })
            {
                problems.Add($"No provider is chosen for '{name}': set {section}:Provider to one of {ConfiguredProvider.Names}, or choose it in the delegate given to AddPremix (UsePostgreSql(...), UseMySql(dataSource), ...).");
            }

            if (settings.ConnectionString is not { Length: > 0 })
            {
                problems.Add($"No connection string is set for '{name}': set ConnectionStrings:{name} or {section}:ConnectionString, or give the provider a data source in the delegate given to AddPremix.");
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(PremixSettings), problems);
        }
    }

    private static void ValidatePool(ConnectionPoolOptions pool, string key, List<string> problems)
    {
        if (pool.MaxPoolSize is < 1)
        {
            problems.Add($"{key}:MaxPoolSize is {pool.MaxPoolSize}: it must be at least 1.");
        }

        if (pool.MinPoolSize is < 0)
        {
            problems.Add($"{key}:MinPoolSize is {pool.MinPoolSize}: it must not be negative.");
        }
        else if (pool is { MinPoolSize: { } min, MaxPoolSize: { } max and > 0 } && min > max)
        {
            problems.Add($"{key}:MinPoolSize ({min}) is greater than {key}:MaxPoolSize ({max}).");
        }

        Positive(pool.IdleLifetime, key + ":IdleLifetime", problems);
        Positive(pool.ConnectTimeout, key + ":ConnectTimeout", problems);
        Positive(pool.CommandTimeout, key + ":CommandTimeout", problems);
    }

    private static void ValidateResilience(ResilienceOptions resilience, string key, List<string> problems)
    {
        if (resilience.MaxRetries < 0)
        {
            problems.Add($"{key}:MaxRetries is {resilience.MaxRetries}: it must not be negative (0 retries nothing).");
        }

        if (resilience.BaseDelay < TimeSpan.Zero)
        {
            problems.Add($"{key}:BaseDelay is {resilience.BaseDelay}: it must not be negative.");
        }

        if (resilience.MaxDelay < resilience.BaseDelay)
        {
            problems.Add($"{key}:MaxDelay ({resilience.MaxDelay}) is shorter than {key}:BaseDelay ({resilience.BaseDelay}).");
        }
        else if (resilience.MaxDelay > ResilienceOptions.MaxRetryDelay)
        {
            problems.Add($"{key}:MaxDelay is {resilience.MaxDelay}: it must be at most one day ({ResilienceOptions.MaxRetryDelay}).");
        }

        if (resilience.MaxUnavailableTime < TimeSpan.Zero)
        {
            problems.Add($"{key}:MaxUnavailableTime is {resilience.MaxUnavailableTime}: it must not be negative (00:00:00 gives a server that went away MaxRetries retries only).");
        }
    }

    private static void Positive(TimeSpan? value, string key, List<string> problems)
    {
        if (value is { } duration && duration <= TimeSpan.Zero)
        {
            problems.Add($"{key} is {duration}: it must be longer than zero (for example 00:00:30).");
        }
    }

    private static void Copy(ConnectionPoolOptions from, ConnectionPoolOptions to)
    {
        to.Environment = from.Environment ?? to.Environment;
        to.MaxPoolSize = from.MaxPoolSize ?? to.MaxPoolSize;
        to.MinPoolSize = from.MinPoolSize ?? to.MinPoolSize;
        to.IdleLifetime = from.IdleLifetime ?? to.IdleLifetime;
        to.ConnectTimeout = from.ConnectTimeout ?? to.ConnectTimeout;
        to.CommandTimeout = from.CommandTimeout ?? to.CommandTimeout;
    }

    private static void Copy(ResilienceOptions from, ResilienceOptions to)
    {
        to.Enabled = from.Enabled;
        to.MaxRetries = from.MaxRetries;
        to.BaseDelay = from.BaseDelay;
        to.MaxDelay = from.MaxDelay;
        to.MaxUnavailableTime = from.MaxUnavailableTime;
        to.RetryReads = from.RetryReads;
        to.RetryCommits = from.RetryCommits;
    }
}
