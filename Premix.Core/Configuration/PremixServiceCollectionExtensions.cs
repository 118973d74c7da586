using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Repositories;

namespace Premix;

/// <summary>Registers Premix in an <see cref="IServiceCollection"/>.</summary>
public static class PremixServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPremix"/> (singleton), <see cref="IUnitOfWork"/> (scoped) and <see cref="IRepository{T}"/> (scoped).
    /// The model is validated and every plan compiled here, so a bad mapping fails the application's start, not a request.
    /// </summary>
    /// <exception cref="MappingException">The mapping is invalid; the message lists every problem.</exception>
    public static IServiceCollection AddPremix(this IServiceCollection services, Action<PremixOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var runtime = PremixRuntime.Build(configure);
        _ = PremixDatabase.Start(runtime, null); // runs the startup checks now, so they fail the host start
        services.AddSingleton(new PremixRegistration(configure)); // read by the premix tool at design time
        services.AddSingleton<IPremix>(sp => new PremixDatabase(runtime, sp.GetService<ILoggerFactory>()));
        services.AddScoped(sp => ((PremixDatabase)sp.GetRequiredService<IPremix>()).BeginUnitOfWork(System.Data.IsolationLevel.Unspecified, sp));
        services.AddScoped(typeof(IRepository<>), typeof(Repository<>));
        return services;
    }
}
