using Microsoft.Extensions.DependencyInjection;
using Premix.Mapping;
using Premix.Repositories;

namespace Premix;

/// <summary>Registers Premix in an <see cref="IServiceCollection"/>.</summary>
public static class PremixServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPremix"/> (singleton), <see cref="IUnitOfWork"/> (scoped) and <see cref="IRepository{T}"/> (scoped).
    /// The model is validated and every plan compiled here, so a bad mapping fails the application's start, not a request.
    /// No connection is opened here: startup checks (<c>VerifySchemaAtStartup</c>) run when the host starts, or, without
    /// a host, when <see cref="IPremix"/> is first resolved.
    /// </summary>
    /// <exception cref="MappingException">The mapping is invalid; the message lists every problem.</exception>
    /// <exception cref="NotSupportedException">Dynamic code is off (native AOT) and no generated model is registered
    /// (<c>UseGeneratedModel</c>); if the mapping has problems too, they are listed after it and its
    /// <see cref="Exception.InnerException"/> is the <see cref="MappingException"/>.</exception>
    /// <exception cref="InvalidOperationException">A default database is already registered; register the others with <c>AddKeyedPremix</c> (Premix.Hosting).</exception>
    public static IServiceCollection AddPremix(this IServiceCollection services, Action<PremixOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var runtime = PremixRuntime.Build(configure);
        PremixServices.Add(services, null, null, _ => runtime);
        services.AddSingleton(new PremixRegistration(configure)); // read by the premix tool at design time
        return services;
    }

    /// <summary>
    /// Registers Premix as <see cref="AddPremix(IServiceCollection, Action{PremixOptionsBuilder})"/> does, configured by a
    /// delegate that sees the application's services (a data source registered with <c>AddNpgsqlDataSource</c>, options).
    /// The delegate runs, and the model is validated, when <see cref="IPremix"/> is first resolved: when the host starts.
    /// </summary>
    /// <exception cref="InvalidOperationException">A default database is already registered.</exception>
    public static IServiceCollection AddPremix(this IServiceCollection services, Action<IServiceProvider, PremixOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        PremixServices.Add(services, null, null, sp => PremixRuntime.Build(p => configure(sp, p)));
        return services;
    }
}
