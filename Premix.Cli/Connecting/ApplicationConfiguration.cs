using System.Reflection;

namespace Premix.Cli.Connecting;

/// <summary>
/// How the application itself configures Premix (provider, connection string, naming convention, mapping classes), found
/// at design time, in this order: an <see cref="IPremixDesignTimeFactory"/> class in the assembly, or else the
/// <c>AddPremix</c> call of the host its entry point builds (<see cref="HostCapture"/>). Options on the command line
/// override what it configures.
/// </summary>
/// <param name="Configure">The application's configuration, or <see langword="null"/> when it has none the tool can find.</param>
/// <param name="Source">Where it was found, or what was looked at when it was not: for messages.</param>
/// <param name="HostFailure">Why the application's host could not be built, when that is why there is no configuration.</param>
internal sealed record ApplicationConfiguration(Action<PremixOptionsBuilder>? Configure, string Source, Exception? HostFailure = null)
{
    // An entry point is run only in an application that builds a host; a console program's Main would simply run.
    private static readonly HashSet<string> HostingAssemblies = ["Microsoft.AspNetCore", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Hosting.Abstractions"];

    /// <summary>The configuration of <paramref name="application"/>, if it has one the tool can find.</summary>
    /// <exception cref="InvalidOperationException">The assembly has several factories, or one that cannot be created.</exception>
    /// <exception cref="ReflectionTypeLoadException">Some of the assembly's types cannot be loaded.</exception>
    public static ApplicationConfiguration Find(Assembly application)
    {
        ArgumentNullException.ThrowIfNull(application);
        var name = application.GetName().Name;
        var factories = application.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPremixDesignTimeFactory).IsAssignableFrom(t)).ToList();
        if (factories.Count > 1)
        {
            throw new InvalidOperationException(
                $"{name} has {factories.Count} IPremixDesignTimeFactory classes ({string.Join(", ", factories.Select(f => f.FullName))}); premix cannot tell which one configures the database: keep one.");
        }

        if (factories.Count == 1)
        {
            return new ApplicationConfiguration(Create(factories[0]).Configure, $"the design-time factory {factories[0].FullName}");
        }

        if (application.EntryPoint is null || !application.GetReferencedAssemblies().Any(a => HostingAssemblies.Contains(a.Name!)))
        {
            return new ApplicationConfiguration(null, $"{name} has no IPremixDesignTimeFactory class and builds no host");
        }

        IServiceProvider? services;
        try
        {
            services = HostCapture.BuildServices(application);
        }
        catch (InvalidOperationException exception)
        {
            return new ApplicationConfiguration(null, $"the host of {name} could not be built", exception);
        }

        if (services?.GetService(typeof(IEnumerable<PremixRegistration>)) is IEnumerable<PremixRegistration> registrations && registrations.LastOrDefault() is { } registration)
        {
            return new ApplicationConfiguration(registration.Configure, $"AddPremix in the host of {name}");
        }

        return new ApplicationConfiguration(null, services is null
            ? $"{name} has no IPremixDesignTimeFactory class and its entry point returned without building a host"
            : $"{name} has no IPremixDesignTimeFactory class and its host does not call AddPremix");
    }

    private static IPremixDesignTimeFactory Create(Type factory)
    {
        if (factory.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new InvalidOperationException($"The design-time factory {factory.FullName} has no public parameterless constructor; premix creates it with none.");
        }

        return (IPremixDesignTimeFactory)Activator.CreateInstance(factory)!;
    }
}
