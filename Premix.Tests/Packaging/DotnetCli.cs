using Premix.Tests.Infrastructure;

namespace Premix.Tests.Packaging;

/// <summary>
/// Runs the <c>dotnet</c> command line as a user would, isolated from the test run: the MSBuild and test-host variables
/// of this process are not passed on, no build server outlives the command, and NuGet uses the packages folder given.
/// A command that runs longer than <paramref name="timeout"/> (4 minutes when omitted) is killed and fails the test.
/// </summary>
internal sealed class DotnetCli(string nugetPackages, TimeSpan? timeout = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(4);

    /// <summary>Runs <c>dotnet args</c> in <paramref name="workingDirectory"/> and fails the test, with everything it printed, unless it exits with 0.</summary>
    public async Task<string> RunAsync(string workingDirectory, params string[] args)
    {
        var start = ChildProcess.StartInfo(ChildProcess.DotnetHost, args, workingDirectory);
        foreach (var variable in start.Environment.Keys.Where(IsInheritedBuildState).ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["NUGET_PACKAGES"] = nugetPackages;
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        var result = await ChildProcess.RunToExitAsync(start, _timeout, $"dotnet {string.Join(' ', args)}");
        Assert.That(result.ExitCode, Is.Zero, $"dotnet {string.Join(' ', args)} failed in {workingDirectory}:{Environment.NewLine}{result.Everything}");
        return result.Everything;
    }

    // dotnet test runs this process with MSBuild's and the test host's variables; a child dotnet must start as a shell's would.
    private static bool IsInheritedBuildState(string variable) =>
        variable.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || variable.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || variable.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase);
}
