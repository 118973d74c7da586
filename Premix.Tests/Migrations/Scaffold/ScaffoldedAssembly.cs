using System.Diagnostics;
using System.Reflection;
using Premix.Mapping;
using Premix.Migrations;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// Compiles scaffolded files without Roslyn: writes them into a temporary class library that references the Premix
/// assemblies of the test run, builds it with the SDK (offline: it has no package references), and loads the result.
/// </summary>
internal static class ScaffoldedAssembly
{
    /// <summary>Builds <paramref name="files"/> (warnings as errors, nullable on) and loads the assembly.</summary>
    public static async Task<Assembly> CompileAsync(string assemblyName, IReadOnlyList<ScaffoldedFile> files)
    {
        var folder = Path.Combine(Path.GetTempPath(), assemblyName);
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var file in files)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, file.FileName), file.Content);
            }

            var premixFolder = Path.GetDirectoryName(typeof(ModelConfiguration).Assembly.Location)!;
            await File.WriteAllTextAsync(Path.Combine(folder, assemblyName + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <GenerateDocumentationFile>true</GenerateDocumentationFile>
                    <EnableNETAnalyzers>true</EnableNETAnalyzers>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="{Path.Combine(premixFolder, "Premix.Mapping.dll")}" Private="false" />
                  </ItemGroup>
                </Project>
                """);
            var output = Path.Combine(folder, "out");
            var (exitCode, log) = await RunAsync(folder, "build", "-c", "Release", "-o", output, "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo");
            Assert.That(exitCode, Is.Zero, $"The scaffolded code does not compile:\n{log}");

            // Loaded from its bytes, so the folder can go; its references resolve to the Premix assemblies already loaded.
            return Assembly.Load(await File.ReadAllBytesAsync(Path.Combine(output, assemblyName + ".dll")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test run's MSBuild settings would leak into the child build.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "dotnet build did not finish within 5 minutes.\n" + await output + await error);
        }

        return (process.ExitCode, await output + await error);
    }
}
