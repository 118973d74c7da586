using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace Premix.Cli.Connecting;

/// <summary>
/// Runs the application's entry point (Program.cs) until it builds its host — <c>WebApplication.CreateBuilder(args)</c>
/// ... <c>Build()</c>, <c>Host.CreateApplicationBuilder</c>, <c>CreateHostBuilder(args).Build()</c> — takes the host's
/// services, and stops the entry point there by throwing from the host's own "HostBuilt" diagnostic event, so the host
/// never starts: no server listens, no hosted service runs. The same mechanism as .NET's HostFactoryResolver, which
/// <c>dotnet ef</c> uses.
/// </summary>
internal sealed class HostCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private const string HostingListener = "Microsoft.Extensions.Hosting";
    private const string HostInterface = "Microsoft.Extensions.Hosting.IHost";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly TaskCompletionSource<object?> _host = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IDisposable> _subscriptions = [];

    private HostCapture()
    {
    }

    /// <summary>
    /// The services of the host the entry point of <paramref name="application"/> builds; <see langword="null"/> when it
    /// returns without building one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entry point failed before its host was built, or did not build it in time.</exception>
    public static IServiceProvider? BuildServices(Assembly application)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (application.EntryPoint is not { } entryPoint)
        {
            return null;
        }

        UseDevelopmentEnvironmentUnlessSet();
        var capture = new HostCapture();
        var output = Console.Out;
        Console.SetOut(Console.Error); // what the application prints while it starts must not mix with a script on stdout
        try
        {
            using (DiagnosticListener.AllListeners.Subscribe(capture))
            using (AssemblyLoadContext.EnterContextualReflection(application)) // Assembly.Load by name finds the application's assemblies
            {
                var thread = new Thread(() => capture.Run(entryPoint, application.GetName().Name!)) { IsBackground = true, Name = "premix: application entry point" };
                thread.Start();
                if (!capture._host.Task.Wait(Timeout))
                {
                    throw new InvalidOperationException(
                        $"The entry point of {application.GetName().Name} ran for {Timeout.TotalMinutes:0} minutes without building its host. premix runs Program.cs until it builds the host (builder.Build()) to read AddPremix;"
                        + " when Program.cs waits for something first, add an IPremixDesignTimeFactory class to the application, or pass --provider, --connection and --naming.");
                }
            }

            return capture._host.Task.GetAwaiter().GetResult() is { } host ? Services(host) : null;
        }
        catch (AggregateException exception) when (exception.InnerException is { } inner)
        {
            throw EntryPointFailed(application, inner);
        }
        finally
        {
            Console.SetOut(output);
            capture.Unsubscribe();
        }
    }

    /// <inheritdoc />
    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == HostingListener)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    /// <inheritdoc />
    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == "HostBuilt" && value.Value is { } host && _host.TrySetResult(host))
        {
            throw Stop(host); // out of Build(), through Program.cs: the host is never run
        }
    }

    /// <inheritdoc />
    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    /// <inheritdoc />
    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    /// <inheritdoc />
    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    /// <inheritdoc />
    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    // As dotnet ef does: an application reads appsettings.Development.json and user secrets at design time unless told otherwise.
    private static void UseDevelopmentEnvironmentUnlessSet()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development";
        foreach (var variable in (string[])["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"])
        {
            if (Environment.GetEnvironmentVariable(variable) is null)
            {
                Environment.SetEnvironmentVariable(variable, environment);
            }
        }
    }

    private static IServiceProvider? Services(object host) =>
        host.GetType().GetInterface(HostInterface)?.GetProperty("Services")?.GetValue(host) as IServiceProvider;

    // HostAbortedException (.NET 7+) is the exception hosts and application templates expect here: a `catch (Exception ex)
    // when (ex is not HostAbortedException)` around Build() lets it pass without logging a crash.
    private static Exception Stop(object host) =>
        host.GetType().GetInterface(HostInterface)?.Assembly.GetType("Microsoft.Extensions.Hosting.HostAbortedException") is { } type
            && Activator.CreateInstance(type) is Exception aborted
            ? aborted
            : new OperationCanceledException("premix stopped the application once its host was built.");

    private static InvalidOperationException EntryPointFailed(Assembly application, Exception cause) => new(
        $"The entry point of {application.GetName().Name} failed before it built its host: {cause.Message} premix runs Program.cs until builder.Build() to read AddPremix"
        + " (environment " + Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") + ", configuration from the current directory); fix what it needs (appsettings.json, environment variables),"
        + " add an IPremixDesignTimeFactory class to the application, or pass --provider, --connection and --naming.",
        cause);

    private void Run(MethodInfo entryPoint, string applicationName)
    {
        try
        {
            // The application name is what the host would take from the entry assembly (premix here): user secrets need it.
            object?[]? arguments = entryPoint.GetParameters().Length == 0 ? null : [new[] { "--applicationName", applicationName }];
            if (entryPoint.Invoke(null, arguments) is Task task)
            {
                task.GetAwaiter().GetResult();
            }

            _host.TrySetResult(null); // it returned without building a host
        }
#pragma warning disable CA1031 // whatever the application throws is reported to the waiting thread
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Once the host is captured, what comes here is the stop thrown above (or the application's reaction to it).
            _host.TrySetException(exception is TargetInvocationException { InnerException: { } inner } ? inner : exception);
        }
    }

    private void Unsubscribe()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
            _subscriptions.Clear();
        }
    }
}
