using System.Diagnostics;
using System.Reflection;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Cli;

/// <summary>Runs the built premix tool as a process, as a user or a CI job would, and captures what it prints.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The tool, built with the tests (see Premix.Tests.csproj).</summary>
    public static string ToolPath => BuiltFile("PremixCli");

    /// <summary>The small application model the tests pass with --assembly: CliCustomer and CliOrder.</summary>
    public static string ModelPath => BuiltFile("PremixCliModel");

    /// <summary>A library with a design-time factory (<c>CliModelFactory</c>) configuring the CliModel mapping from the environment.</summary>
    public static string FactoryPath => BuiltFile("PremixCliFactory");

    /// <summary>A minimal ASP.NET Core application whose Program.cs calls AddPremix with its configuration (ConnectionStrings:Shop, Premix:Provider).</summary>
    public static string WebAppPath => BuiltFile("PremixWebApp");

    /// <summary>The cold-start benchmark (Premix.Benchmarks.ColdStart, JIT build): a 100-entity model on SQLite, one contender per run.</summary>
    public static string ColdStartAppPath => BuiltFile("PremixColdStart");

    /// <summary>Starts Premix on one engine and reads one row by key (Premix.Tests.StartApp), then lists the assemblies it loaded.</summary>
    public static string StartAppPath => BuiltFile("PremixStartApp");

    /// <summary>The <c>--provider</c> value of an engine.</summary>
    public static string ProviderName(Engine engine) => engine switch
    {
        Engine.Sqlite => "sqlite",
        Engine.PostgreSql => "postgresql",
        _ => "mysql",
    };

    /// <summary>
    /// Runs <c>dotnet premix.dll args</c> in <paramref name="workingDirectory"/> with PREMIX_CONNECTION and PREMIX_PROVIDER
    /// set to <paramref name="connection"/> and <paramref name="provider"/> (unset when <see langword="null"/>), and the
    /// variables of <paramref name="environment"/> set (or unset when <see langword="null"/>). <paramref name="program"/> runs
    /// another built assembly instead of premix (a test application on its own).
    /// </summary>
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> args, string? connection = null, string? provider = null, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null, string? program = null)
    {
        var start = ChildProcess.StartInfo(ChildProcess.DotnetHost, [program ?? ToolPath, .. args], workingDirectory ?? Path.GetTempPath());
        SetOrRemove(start, "PREMIX_CONNECTION", connection);
        SetOrRemove(start, "PREMIX_PROVIDER", provider);
        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            SetOrRemove(start, variable, value);
        }

        start.Environment["NO_COLOR"] = "1";
        var result = await ChildProcess.RunToExitAsync(start, Timeout, $"{Path.GetFileNameWithoutExtension(program ?? ToolPath)} {string.Join(' ', args)}");
        return new CliResult(result.ExitCode, result.Output, result.Errors);
    }

    private static void SetOrRemove(ProcessStartInfo start, string variable, string? value)
    {
        if (value is null)
        {
            start.Environment.Remove(variable);
        }
        else
        {
            start.Environment[variable] = value;
        }
    }

    private static string BuiltFile(string key)
    {
        var path = typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        Assert.That(File.Exists(path), Is.True, $"{path} does not exist; dotnet test builds it with Premix.Tests (a ProjectReference).");
        return Path.GetFullPath(path);
    }
}
