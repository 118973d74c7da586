using Premix.Tests.Cli;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// Base of the tests of what a start does, run in a process of its own (the test process has loaded and compiled everything
/// already): Premix.Tests.StartApp starts Premix on the fixture's engine and reads row 1 of <c>start_items</c>, made here.
/// </summary>
public abstract class StartAppTest(Engine engine) : ProviderTest(engine)
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
    /// Runs the app to its exit: <paramref name="start"/> is <c>factory</c> (a <c>PremixFactory</c>) or <c>host</c> (a
    /// generic host), <paramref name="environment"/> is added to the app's.
    /// </summary>
    private protected Task<ChildProcessResult> RunStartAppAsync(string start, params (string Name, string Value)[] environment)
    {
        var app = CliProcess.StartAppPath;
        var info = ChildProcess.StartInfo(ChildProcess.DotnetHost, [app, start, CliProcess.ProviderName(Engine)], Path.GetDirectoryName(app));
        info.Environment["START_APP_CONNECTION"] = ConnectionString;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return ChildProcess.RunToExitAsync(info, Timeout, $"Premix.Tests.StartApp {start} {CliProcess.ProviderName(Engine)}");
    }
}
