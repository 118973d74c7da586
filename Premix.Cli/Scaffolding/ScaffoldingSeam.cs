using Premix.Providers;

namespace Premix.Cli.Scaffolding;

/// <summary>
/// Where <c>premix scaffold</c> calls the scaffolder. The scaffolder (<c>Premix.Migrations.Scaffolder.ScaffoldAsync</c>)
/// is not on this branch yet: when it is, <see cref="ScaffoldAsync"/>'s one call site becomes
/// <c>Scaffolder.ScaffoldAsync(provider, new ScaffoldOptions { Namespace = ..., Schemas = ... }, cancellationToken)</c>
/// and this file goes.
/// </summary>
internal static class ScaffoldingSeam
{
    /// <summary>Reads the database's schema and returns the C# files (entities and ModelConfiguration classes) to write.</summary>
    /// <exception cref="NotSupportedException">Always, until the scaffolder exists.</exception>
    public static Task<IReadOnlyList<(string FileName, string Content)>> ScaffoldAsync(
        IDatabaseProvider provider, string? @namespace, IReadOnlyList<string> schemas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _ = (@namespace, schemas, cancellationToken);
        throw new NotSupportedException("scaffolding is not built yet");
    }
}
