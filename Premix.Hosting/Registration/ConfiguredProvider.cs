using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Premix.Providers;

namespace Premix;

/// <summary>
/// The provider named by <c>Premix:name:Provider</c>. Premix.Hosting references no driver, so the provider type is found
/// by name in its package, which the application references (a user's app pulls in only the driver it runs).
/// </summary>
internal static class ConfiguredProvider
{
    private static readonly (string Name, string Package)[] Engines =
    [
        ("Sqlite", "Premix.Providers.Sqlite"),
        ("PostgreSql", "Premix.Providers.PostgreSql"),
        ("MySql", "Premix.Providers.MySql"),
    ];

    /// <summary>The engines' names as the configuration spells them, for messages.</summary>
    public static string Names => string.Join(", ", Engines.Select(e => e.Name));

    /// <summary>
    /// Finds the provider <paramref name="name"/> names and returns how to create it from a connection string, or the
    /// problem: an unknown name, or a provider package the application does not reference.
    /// </summary>
    public static Func<string, ConnectionSettings, IDatabaseProvider>? Find(string name, string key, out string? problem)
    {
        var engine = Engines.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        if (engine.Name is null)
        {
            problem = $"{key} is '{name}', which is no Premix provider: set it to one of {Names}.";
            return null;
        }

        var constructor = ProviderType(engine.Name)?.GetConstructor([typeof(string), typeof(ConnectionSettings)]);
        if (constructor is null)
        {
            problem = $"{key} is '{name}', but the application does not reference the {engine.Package} package: add it (dotnet add package {engine.Package}).";
            return null;
        }

        problem = null;
        return (connectionString, settings) => (IDatabaseProvider)constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, [connectionString, settings], null);
    }

    // Each name is a constant, so a trimmed application keeps the provider type and its public constructors when it
    // references the package, and the trimmer ignores the name of a package it does not reference (null at run time).
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)]
    private static Type? ProviderType(string engine) => engine switch
    {
        "Sqlite" => Type.GetType("Premix.Providers.Sqlite.SqliteProvider, Premix.Providers.Sqlite", throwOnError: false),
        "PostgreSql" => Type.GetType("Premix.Providers.PostgreSql.PostgreSqlProvider, Premix.Providers.PostgreSql", throwOnError: false),
        "MySql" => Type.GetType("Premix.Providers.MySql.MySqlProvider, Premix.Providers.MySql", throwOnError: false),
        _ => null,
    };
}
