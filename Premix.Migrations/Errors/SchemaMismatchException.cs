namespace Premix.Migrations;

/// <summary>The live schema does not match the mapping (the startup check). The message lists every difference.</summary>
public sealed class SchemaMismatchException : PremixException
{
    internal SchemaMismatchException(IReadOnlyList<SchemaOperation> differences)
        : base($"The database schema does not match the mapping ({differences.Count} difference(s)):{Environment.NewLine}"
            + string.Concat(differences.Select((d, i) => $"  {i + 1}. needs: {d.Description}{Environment.NewLine}"))
            + "Apply them with SyncAsync() or a versioned migration (premix migrate generate <name>), or fix the mapping.")
    {
        Differences = differences;
    }

    /// <summary>The operations that would make the schema match.</summary>
    public IReadOnlyList<SchemaOperation> Differences { get; }
}
