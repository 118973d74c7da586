using Microsoft.Extensions.DependencyInjection;

namespace Premix;

/// <summary>
/// One database registered in a service collection: the default one (<paramref name="Key"/> null) or a keyed one. Kept as
/// a service so that the host's start and the health checks find every database, whichever call registered it.
/// </summary>
/// <param name="Name">The name it was registered under (<c>builder.AddPremix("main")</c>); null for <c>services.AddPremix</c>.</param>
/// <param name="Key">The service key of its <see cref="IPremix"/>, <see cref="IUnitOfWork"/> and repositories; null for the default database.</param>
internal sealed record PremixDatabaseEntry(string? Name, object? Key)
{
    /// <summary>The database's <see cref="IPremix"/> in <paramref name="services"/>.</summary>
    public IPremix Resolve(IServiceProvider services) =>
        Key is null ? services.GetRequiredService<IPremix>() : services.GetRequiredKeyedService<IPremix>(Key);

    /// <summary>How messages name it: <c>'reports'</c>, or <c>the default database</c>.</summary>
    public string Describe() => Name is null ? "the default database" : $"'{Name}'";
}
