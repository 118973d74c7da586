namespace Premix.Migrations;

/// <summary>A sync needs changes that can lose data; nothing was applied. The message lists each change and why.</summary>
public sealed class DestructiveSchemaChangeException : PremixException
{
    internal DestructiveSchemaChangeException(IReadOnlyList<(SchemaOperation Operation, string Reason)> refused)
        : base(Describe(refused))
    {
        Refused = refused.Select(r => r.Operation).ToArray();
    }

    /// <summary>The refused operations.</summary>
    public IReadOnlyList<SchemaOperation> Refused { get; }

    private static string Describe(IReadOnlyList<(SchemaOperation Operation, string Reason)> refused) =>
        $"The schema sync needs {refused.Count} change(s) that can lose data; nothing was applied:{Environment.NewLine}"
        + string.Concat(refused.Select((r, i) => $"  {i + 1}. {r.Operation.Description}: {r.Reason}.{Environment.NewLine}"))
        + "Review them with DiffAsync(), apply them with a versioned migration, or pass new SyncOptions { AllowDestructive = true } to SyncAsync if losing that data is intended.";
}
