using System.Reflection;
using Premix.Cli.Output;

namespace Premix.Cli.Connecting;

/// <summary>
/// Explains that the application's assembly, or an assembly it needs, cannot be loaded: which one, and what to do about
/// it, judged from the files beside the application (runtimeconfig.json, deps.json) and the Premix version it was built with.
/// </summary>
internal static class ApplicationLoadFailure
{
    /// <summary>
    /// When <paramref name="exception"/> (or what caused it) says that a type or an assembly could not be loaded,
    /// the same failure explained for <paramref name="application"/>; otherwise <see langword="null"/>.
    /// </summary>
    public static CommandException? Explain(Exception exception, FileInfo application, Assembly? loaded)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(application);
        if (Causes(exception).FirstOrDefault(IsLoadFailure) is not { } failure)
        {
            return null;
        }

        var name = Path.GetFileNameWithoutExtension(application.Name);
        return new CommandException($"{name} cannot be loaded: {failure.Message}", Advice(failure, application, loaded), failure);
    }

    private static bool IsLoadFailure(Exception exception) =>
        exception is FileNotFoundException { FileName: not null } or FileLoadException or BadImageFormatException or TypeLoadException or MissingMemberException;

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        yield return exception;
        var inner = exception switch
        {
            ReflectionTypeLoadException types => types.LoaderExceptions.OfType<Exception>(),
            AggregateException aggregate => aggregate.InnerExceptions,
            { InnerException: { } one } => [one],
            _ => [],
        };
        foreach (var cause in inner.SelectMany(Causes))
        {
            yield return cause;
        }
    }

    private static string Advice(Exception failure, FileInfo application, Assembly? loaded)
    {
        var tool = typeof(IPremix).Assembly.GetName().Version;
        if (loaded?.GetReferencedAssemblies().FirstOrDefault(a => a.Name?.StartsWith("Premix.", StringComparison.Ordinal) == true && a.Version != tool) is { } premix)
        {
            return $"{loaded.GetName().Name} is built with Premix {premix.Version} and this tool is Premix {tool}: run the tool of the application's version (dotnet tool update Premix.Cli --version {premix.Version?.ToString(3)}).";
        }

        var missing = AssemblyName(failure) ?? "An assembly it needs";
        var runtimeConfig = RuntimeConfig.PathFor(application);
        if (!File.Exists(runtimeConfig))
        {
            return $"{missing} may be part of a shared framework (such as Microsoft.AspNetCore.App), and '{Path.GetFileName(runtimeConfig)}', which names the frameworks an application runs on, "
                + $"is not beside '{application.FullName}': pass the .dll of the application itself (the project with Program.cs), from its build output folder (bin/Debug/net10.0/), where its .runtimeconfig.json and .deps.json are.";
        }

        var frameworks = RuntimeConfig.Read(application)?.Frameworks.Select(f => f.Name) ?? [];
        return $"{missing} is neither in the application's folder (as '{Path.ChangeExtension(application.Name, ".deps.json")}' lists it) nor in the shared frameworks its runtimeconfig.json names ({string.Join(", ", frameworks)}):"
            + " rebuild the application (dotnet build) and pass the .dll of its build output folder, with the files the build put beside it.";
    }

    private static string? AssemblyName(Exception failure)
    {
        var fileName = (failure as FileNotFoundException)?.FileName ?? (failure as FileLoadException)?.FileName;
        try
        {
            return fileName is null ? null : new AssemblyName(fileName).Name;
        }
        catch (FileLoadException)
        {
            return Path.GetFileName(fileName); // a path, not an assembly name
        }
    }
}
