using System.CommandLine;
using System.Diagnostics;
using Premix.Cli.Output;

namespace Premix.Cli.Connecting;

/// <summary>
/// Runs the tool inside the application's own runtime when the application needs shared frameworks the tool's process
/// does not have (an ASP.NET Core application needs <c>Microsoft.AspNetCore.App</c>): the tool starts itself again with
/// <c>dotnet exec --runtimeconfig MyApp.runtimeconfig.json premix.dll ...</c>, so the .NET host resolves the frameworks
/// the way it does when the application runs (installed versions, roll-forward rules, DOTNET_ROOT), as <c>dotnet ef</c>
/// does. The tool's own dependencies still come from its own <c>premix.deps.json</c>; the application's packages from
/// its <c>.deps.json</c> (<see cref="ModelLoadContext"/>).
/// </summary>
internal static class ApplicationRuntime
{
    /// <summary>Set in the second process, so that it runs the command instead of starting itself once more.</summary>
    private const string InsideVariable = "PREMIX_IN_APPLICATION_RUNTIME";

    /// <summary>
    /// When the command loads an application whose runtimeconfig.json names frameworks this process lacks, runs the same
    /// command line in that runtime and returns its exit code; otherwise <see langword="null"/>: run the command here.
    /// </summary>
    public static int? RunInsideIfNeeded(ParseResult parseResult, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(args);
        // Usage errors and --help (an action other than the command's own) are answered here, without the application.
        if (parseResult.Errors.Count > 0 || parseResult.Action != parseResult.CommandResult.Command.Action
            || Environment.GetEnvironmentVariable(InsideVariable) == "1"
            || DatabaseOptions.AssemblyOf(parseResult) is not { Exists: true } assembly)
        {
            return null;
        }

        RuntimeConfig? config;
        try
        {
            config = RuntimeConfig.Read(assembly);
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine(CommandAction.Describe(exception));
            return ExitCodes.Failure;
        }

        return config is { NeedsOtherRuntime: true } ? Run(config, args) : null;
    }

    private static int Run(RuntimeConfig config, IReadOnlyList<string> args)
    {
        string runtimeConfig;
        try
        {
            runtimeConfig = config.ForTool();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A full or read-only temporary folder: reported as the other tool errors are, not as a crash.
            Console.Error.WriteLine(CommandAction.Describe(new InvalidOperationException(
                $"premix could not write its copy of '{config.Path}' with dynamic code on to the temporary folder '{Path.GetTempPath()}': {exception.Message}", exception)));
            return ExitCodes.Failure;
        }

        try
        {
            return Run(config, runtimeConfig, args);
        }
        finally
        {
            if (runtimeConfig != config.Path)
            {
                File.Delete(runtimeConfig);
            }
        }
    }

    private static int Run(RuntimeConfig config, string runtimeConfig, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(Muxer()) { UseShellExecute = false };
        foreach (var arg in (string[])["exec", "--runtimeconfig", runtimeConfig, typeof(ApplicationRuntime).Assembly.Location, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[InsideVariable] = "1";
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"'{start.FileName}' did not start.");

        // Ctrl+C reaches the child too (same terminal): it cancels its command; this process waits for its exit code.
        ConsoleCancelEventHandler keepWaiting = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += keepWaiting;
        try
        {
            child.WaitForExit();
        }
        finally
        {
            Console.CancelKeyPress -= keepWaiting;
        }

        if (child.ExitCode is ExitCodes.Success or ExitCodes.Failure or ExitCodes.Differences or ExitCodes.Cancelled)
        {
            return child.ExitCode;
        }

        // The .NET host failed before the tool's first line (it printed why), or the runtime crashed.
        Console.Error.WriteLine(
            $"error: premix could not run inside the application's runtime: 'dotnet exec --runtimeconfig {runtimeConfig}'{(runtimeConfig == config.Path ? "" : $" (a copy of '{config.Path}' with dynamic code on, deleted since)")} ended with exit code {child.ExitCode} (see the message above)."
            + Environment.NewLine
            + $"hint: the application runs on {string.Join(" and ", config.Frameworks.Select(f => $"{f.Name} {f.Version}"))}; `dotnet --list-runtimes` lists what is installed next to '{start.FileName}'. Install what is missing, or rebuild the application for an installed version.");
        return ExitCodes.Failure;
    }

    // The dotnet that runs this process (premix.dll started by `dotnet`, or by the tool's launcher), so the application's
    // frameworks are looked up in the same installation.
    private static string Muxer()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } process && Path.GetFileName(process) == name)
        {
            return process;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        // The runtime lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        return File.Exists(Path.Combine(root, name)) ? Path.Combine(root, name) : name;
    }
}
