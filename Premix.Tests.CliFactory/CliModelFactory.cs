using Premix.Mapping;
using Premix.Tests.CliModel;

namespace Premix.Tests.CliFactory;

/// <summary>
/// Configures Premix for the premix tool as the application would: the engine and connection string from the
/// environment (<see cref="ProviderVariable"/>, <see cref="ConnectionVariable"/>), snake-case names, and the mapping
/// classes of Premix.Tests.CliModel.
/// </summary>
public sealed class CliModelFactory : IPremixDesignTimeFactory
{
    /// <summary>The engine: sqlite, postgresql or mysql.</summary>
    public const string ProviderVariable = "CLI_FACTORY_PROVIDER";

    /// <summary>The connection string.</summary>
    public const string ConnectionVariable = "CLI_FACTORY_CONNECTION";

    /// <summary>Tenants, each with a database of its own: <c>tenant=connection string</c> entries separated by <c>|</c>; none when unset.</summary>
    public const string TenantsVariable = "CLI_FACTORY_TENANTS";

    /// <summary>When set, the application registers a generated model of no entity: one gone stale since its mapping changed.</summary>
    public const string StaleGeneratedModelVariable = "CLI_FACTORY_STALE_GENERATED_MODEL";

    /// <inheritdoc />
    public void Configure(PremixOptionsBuilder options)
    {
        var connection = Environment.GetEnvironmentVariable(ConnectionVariable) ?? "Data Source=cli_factory.db";
        _ = Environment.GetEnvironmentVariable(ProviderVariable) switch
        {
            "postgresql" => options.UsePostgreSql(connection),
            "mysql" => options.UseMySql(connection),
            _ => options.UseSqlite(connection),
        };
        options.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfigurationsFrom(typeof(CliCustomerMap).Assembly);
        if (Environment.GetEnvironmentVariable(TenantsVariable) is { Length: > 0 } tenants)
        {
            var table = tenants.Split('|').Select(t => t.Split('=', 2)).ToDictionary(t => t[0], t => t[1], StringComparer.Ordinal);
            options.UseTenants(t => t.DatabasePerTenant(table));
        }

        if (Environment.GetEnvironmentVariable(StaleGeneratedModelVariable) is { Length: > 0 })
        {
            options.UseGeneratedModel(new Premix.Plans.GeneratedModel("sqlite", Premix.Plans.GeneratedModel.CurrentFormat, []));
        }
    }
}
