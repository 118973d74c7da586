using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Premix.Mapping;

namespace Premix;

/// <summary>
/// Registers Premix on a .NET host (<c>WebApplication.CreateBuilder</c>, <c>Host.CreateApplicationBuilder</c>) the way the
/// .NET Aspire database components do: settings bound from the section <c>Premix:name</c>, <c>ConnectionStrings:name</c>
/// winning over its connection string, then the delegate. See docs/aspnetcore.md and docs/configuration.md.
/// </summary>
/// <remarks>
/// <c>AddPremix("name")</c> registers the application's default database: <see cref="IPremix"/>, <see cref="IUnitOfWork"/>
/// and <c>IRepository&lt;T&gt;</c> without a key. <c>AddKeyedPremix("name")</c> registers a further database under the key
/// <c>name</c>: <c>[FromKeyedServices("name")] IUnitOfWork</c>. No connection is opened while registering: startup checks
/// run when the host starts.
/// </remarks>
public static class PremixHostApplicationBuilderExtensions
{
    /// <summary>
    /// Registers the default database, configured from <c>Premix:<paramref name="name"/></c> and
    /// <c>ConnectionStrings:<paramref name="name"/></c>, then by <paramref name="configure"/> (mapping classes, and anything
    /// configuration does not say). The settings are checked and the model validated and compiled here.
    /// </summary>
    /// <exception cref="OptionsValidationException">The settings are invalid or incomplete; every problem is listed with the key to set.</exception>
    /// <exception cref="MappingException">The mapping is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">A default database is already registered: register the others with <c>AddKeyedPremix</c>.</exception>
    public static TBuilder AddPremix<TBuilder>(this TBuilder builder, string name, Action<PremixOptionsBuilder> configure)
        where TBuilder : IHostApplicationBuilder => Add(builder, name, key: null, configure);

    /// <summary>
    /// Registers the default database as the other overload does, with a delegate that sees the application's services
    /// (<c>p.UsePostgreSql(sp.GetRequiredService&lt;NpgsqlDataSource&gt;())</c>). The delegate runs, and settings and model
    /// are checked, when the database is first resolved: when the host starts.
    /// </summary>
    /// <exception cref="InvalidOperationException">A default database is already registered.</exception>
    public static TBuilder AddPremix<TBuilder>(this TBuilder builder, string name, Action<IServiceProvider, PremixOptionsBuilder> configure)
        where TBuilder : IHostApplicationBuilder => Add(builder, name, key: null, configure);

    /// <summary>
    /// Registers a further database under the key <paramref name="name"/>: inject <c>[FromKeyedServices("name")]</c>
    /// <see cref="IPremix"/>, <see cref="IUnitOfWork"/> or <c>IRepository&lt;T&gt;</c> (a keyed repository works in the
    /// keyed unit of work of the same scope). Configured like <c>AddPremix</c>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The settings are invalid or incomplete; every problem is listed with the key to set.</exception>
    /// <exception cref="MappingException">The mapping is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">A database is already registered under this name.</exception>
    public static TBuilder AddKeyedPremix<TBuilder>(this TBuilder builder, string name, Action<PremixOptionsBuilder> configure)
        where TBuilder : IHostApplicationBuilder => Add(builder, name, key: name, configure);

    /// <summary>Registers a keyed database with a delegate that sees the application's services, run when the host starts.</summary>
    /// <exception cref="InvalidOperationException">A database is already registered under this name.</exception>
    public static TBuilder AddKeyedPremix<TBuilder>(this TBuilder builder, string name, Action<IServiceProvider, PremixOptionsBuilder> configure)
        where TBuilder : IHostApplicationBuilder => Add(builder, name, key: name, configure);

    private static TBuilder Add<TBuilder>(TBuilder builder, string name, string? key, Action<PremixOptionsBuilder> configure)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var settings = PremixSettingsBinder.Read(builder.Configuration, name);
        void Configure(PremixOptionsBuilder options) => PremixSettingsBinder.Apply(options, settings, name, configure);
        var runtime = PremixRuntime.Build(Configure);
        PremixServices.Add(builder.Services, name, key, _ => runtime);
        if (key is null)
        {
            builder.Services.AddSingleton(new PremixRegistration(Configure)); // read by the premix tool at design time
        }

        return builder;
    }

    private static TBuilder Add<TBuilder>(TBuilder builder, string name, string? key, Action<IServiceProvider, PremixOptionsBuilder> configure)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var settings = PremixSettingsBinder.Read(builder.Configuration, name);
        PremixServices.Add(builder.Services, name, key, sp => PremixRuntime.Build(options => PremixSettingsBinder.Apply(options, settings, name, o => configure(sp, o))));
        return builder;
    }
}
