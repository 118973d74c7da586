using System.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Premix.Repositories;

namespace Premix;

/// <summary>
/// Registers one database's services, default or keyed: <see cref="IPremix"/> (singleton), <see cref="IUnitOfWork"/> and
/// <see cref="IRepository{T}"/> (scoped). The one path of <c>services.AddPremix</c> and of Premix.Hosting's <c>builder.AddPremix</c>.
/// </summary>
internal static class PremixServices
{
    /// <summary>Registers the database <paramref name="runtime"/> builds (once, when <see cref="IPremix"/> is first resolved).</summary>
    /// <exception cref="InvalidOperationException">A database is already registered under the same key (or as the default).</exception>
    public static void Add(IServiceCollection services, string? name, object? key, Func<IServiceProvider, PremixRuntime> runtime)
    {
        var entry = new PremixDatabaseEntry(name, key);
        if (Registered(services).FirstOrDefault(e => Equals(e.Key, key)) is { } existing)
        {
            throw new InvalidOperationException(key is null
                ? $"Premix already has a default database ({existing.Describe()}), so {entry.Describe()} cannot be the default too. Register every other database with AddKeyedPremix(\"name\") and inject it with [FromKeyedServices(\"name\")]."
                : $"Premix already has a database registered with the key '{key}'. Give each keyed database its own name.");
        }

        services.AddSingleton(entry);
        // Opening connections and running startup checks happen when the host starts, never during registration.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PremixStartup>());
        if (key is null)
        {
            services.AddSingleton<IPremix>(sp => PremixDatabase.Start(runtime(sp), sp.GetService<ILoggerFactory>()));
            services.AddScoped(sp => ((PremixDatabase)sp.GetRequiredService<IPremix>()).BeginUnitOfWork(IsolationLevel.Unspecified, sp));
            services.AddScoped(typeof(IRepository<>), typeof(Repository<>));
        }
        else
        {
            services.AddKeyedSingleton<IPremix>(key, (sp, _) => PremixDatabase.Start(runtime(sp), sp.GetService<ILoggerFactory>()));
            services.AddKeyedScoped(key, (sp, k) => ((PremixDatabase)sp.GetRequiredKeyedService<IPremix>(k)).BeginUnitOfWork(IsolationLevel.Unspecified, sp));
            // Repository<T> takes its unit of work with the key it was resolved with ([FromKeyedServices] inherits it).
            services.AddKeyedScoped(typeof(IRepository<>), key, typeof(Repository<>));
        }
    }

    /// <summary>The databases registered so far in <paramref name="services"/>.</summary>
    public static IEnumerable<PremixDatabaseEntry> Registered(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(PremixDatabaseEntry) && !d.IsKeyedService).Select(d => (PremixDatabaseEntry)d.ImplementationInstance!);
}
