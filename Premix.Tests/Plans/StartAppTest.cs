using System.Runtime.Loader;
using Premix.Mapping;
using Premix.Tests.Cli;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// Base of the tests of what a start does, run in a process of its own (the test process has loaded and compiled everything
/// already): Premix.Tests.StartApp starts Premix on the fixture's engine and reads row 1 of <c>start_items</c>, made here
/// (its other starts, ledger and filtered, use tables their tests make). It runs as built, or with dynamic code off.
/// </summary>
public abstract class StartAppTest(Engine engine) : PremixTest(engine)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [OneTimeSetUp]
    public async Task CreateTheRowAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE start_items (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL); INSERT INTO start_items (id, name) VALUES (1, 'first')";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A new instance of the app's mapping class <paramref name="name"/>: the test process runs the generator on the app's own
    /// mapping classes (its assembly loaded here, as premix optimize does) and makes their tables.
    /// </summary>
    private protected static ModelConfiguration StartAppMap(string name)
    {
        var app = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Premix.Tests.StartApp")
            ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(CliProcess.StartAppPath);
        return (ModelConfiguration)Activator.CreateInstance(app.GetType($"Premix.Tests.StartApp.{name}", throwOnError: true)!)!;
    }

    /// <summary>
    /// Runs the app to its exit: <paramref name="start"/> is <c>factory</c> (a <c>PremixFactory</c>), <c>host</c> (a generic
    /// host), <c>ledger</c> or <c>filtered</c> (Program.cs says what each does), <paramref name="environment"/> is set in the
    /// app's (a null value removes the variable, so the test process's own cannot leak in).
    /// </summary>
    private protected Task<ChildProcessResult> RunStartAppAsync(string start, params (string Name, string? Value)[] environment) =>
        RunAsync(start, runtimeConfig: null, environment);

    /// <summary>
    /// Runs the app as <see cref="RunStartAppAsync"/> does with dynamic code off, without a native publish: with a copy of its
    /// runtimeconfig.json whose IsDynamicCodeSupported switch is false, as the SDK writes it for the JIT builds of a PublishAot
    /// project (dotnet run, F5).
    /// </summary>
    private protected async Task<ChildProcessResult> RunStartAppWithDynamicCodeOffAsync(string start, params (string Name, string? Value)[] environment)
    {
        var runtimeConfig = await ChildProcess.WriteRuntimeConfigWithDynamicCodeOffAsync(CliProcess.StartAppPath);
        try
        {
            return await RunAsync(start, runtimeConfig, environment);
        }
        finally
        {
            File.Delete(runtimeConfig);
        }
    }

    private Task<ChildProcessResult> RunAsync(string start, string? runtimeConfig, (string Name, string? Value)[] environment)
    {
        var app = CliProcess.StartAppPath;
        string[] arguments = runtimeConfig is null ? [app, start, CliProcess.ProviderName(Engine)] : ["exec", "--runtimeconfig", runtimeConfig, app, start, CliProcess.ProviderName(Engine)];
        var info = ChildProcess.StartInfo(ChildProcess.DotnetHost, arguments, Path.GetDirectoryName(app));
        info.Environment["START_APP_CONNECTION"] = ConnectionString;
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return ChildProcess.RunToExitAsync(info, Timeout, $"Premix.Tests.StartApp {start} {CliProcess.ProviderName(Engine)}");
    }
}
