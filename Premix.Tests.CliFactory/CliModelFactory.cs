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
    }
}
