using System.Reflection;
using System.Runtime.Loader;

namespace Premix.Cli.Connecting;

/// <summary>
/// Loads the application's assembly and its own dependencies (through its <c>.deps.json</c>), while Premix and
/// everything else the tool's process already has (the tool's packages, the shared frameworks it runs on) come from the
/// default context: <c>ModelConfiguration</c>, <c>IServiceCollection</c> and the like must be one type for both.
/// </summary>
internal sealed class ModelLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> ToolAssemblies = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private readonly AssemblyDependencyResolver _resolver;

    private ModelLoadContext(string path)
        : base("premix application model") => _resolver = new AssemblyDependencyResolver(path);

    /// <summary>Loads the application's assembly.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Assembly LoadModel(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.Exists)
        {
            throw new FileNotFoundException(
                $"The application assembly '{file.FullName}' does not exist; build the application and pass the .dll of its output folder (for example bin/Debug/net10.0/MyApp.dll).",
                file.FullName);
        }

        var application = new ModelLoadContext(file.FullName).LoadFromAssemblyPath(file.FullName);

        // Hosting code loads the application by name from the default context (user secrets: Assembly.Load(ApplicationName)).
        var name = application.GetName().Name;
        Default.Resolving += (_, wanted) => wanted.Name == name ? application : null;
        return application;
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || ToolAssemblies.Contains(assemblyName.Name))
        {
            return null; // the tool's copy, from the default context
        }

        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
