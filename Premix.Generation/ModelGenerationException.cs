namespace Premix.Generation;

/// <summary>
/// The model uses features the generated model does not cover yet; nothing was generated. The message lists every entity
/// and property with the feature it uses (docs/aot.md, "What it covers").
/// </summary>
public sealed class ModelGenerationException : Exception
{
    /// <summary>Creates the exception with every refusal.</summary>
    public ModelGenerationException(IReadOnlyList<string> refusals)
        : base(Describe(refusals)) => Refusals = refusals;

    /// <summary>Each entity or property the generator refused, with why.</summary>
    public IReadOnlyList<string> Refusals { get; }

    private static string Describe(IReadOnlyList<string> refusals)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        return $"The generated model does not cover {refusals.Count} part{(refusals.Count == 1 ? "" : "s")} of this model yet, so nothing was generated "
            + "(the application still runs without a generated model; docs/aot.md lists what is covered):" + Environment.NewLine
            + string.Join(Environment.NewLine, refusals.Select(r => "  - " + r));
    }
}
