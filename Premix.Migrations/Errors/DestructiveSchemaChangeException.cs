namespace Premix.Migrations;

/// <summary>A sync needs changes that can lose data; nothing was applied. The message lists each change and why.</summary>
public sealed class DestructiveSchemaChangeException : PremixException
{
    private const string ApiRemedy =
        "Review them with DiffAsync(), apply them with a versioned migration, or pass new SyncOptions { AllowDestructive = true } to SyncAsync if losing that data is intended.";

    private readonly IReadOnlyList<(SchemaOperation Operation, string Reason)> _refused;

    internal DestructiveSchemaChangeException(IReadOnlyList<(SchemaOperation Operation, string Reason)> refused, string remedy = ApiRemedy)
        : base(Describe(refused, remedy))
    {
        _refused = refused;
        Refused = refused.Select(r => r.Operation).ToArray();
    }

    /// <summary>The refused operations.</summary>
    public IReadOnlyList<SchemaOperation> Refused { get; }

    /// <summary>The same refusal, ending with what to do in other words (a tool names its options, not methods).</summary>
    internal DestructiveSchemaChangeException WithRemedy(string remedy) => new(_refused, remedy);

    private static string Describe(IReadOnlyList<(SchemaOperation Operation, string Reason)> refused, string remedy) =>
        $"The schema sync needs {refused.Count} change(s) that can lose data; nothing was applied:{Environment.NewLine}"
        + string.Concat(refused.Select((r, i) => $"  {i + 1}. {r.Operation.Description}: {r.Reason}.{Environment.NewLine}"))
        + remedy;
}
