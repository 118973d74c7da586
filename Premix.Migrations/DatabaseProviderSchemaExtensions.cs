using Premix.Providers;

namespace Premix.Migrations;

/// <summary>Finds what Premix.Migrations needs of a database provider: its schema and migration dialects.</summary>
public static class DatabaseProviderSchemaExtensions
{
    /// <summary>
    /// The provider's schema support (<see cref="ISchemaProvider.Schema"/>, <see cref="ISchemaProvider.Migrations"/>), or
    /// null when its engine cannot be read, changed or migrated by Premix.Migrations.
    /// </summary>
    /// <remarks>
    /// Premix's own providers serve it through <see cref="IServiceProvider.GetService"/> (<c>typeof(ISchemaProvider)</c>),
    /// made on the first request, so that an application that never touches its schema does not load Premix.Migrations;
    /// a provider may also implement <see cref="ISchemaProvider"/> itself. A cast (<c>provider as ISchemaProvider</c>)
    /// finds only the latter: use this method.
    /// </remarks>
    /// <param name="provider">The database provider.</param>
    public static ISchemaProvider? SchemaSupport(this IDatabaseProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider as ISchemaProvider ?? (provider as IServiceProvider)?.GetService(typeof(ISchemaProvider)) as ISchemaProvider;
    }
}
