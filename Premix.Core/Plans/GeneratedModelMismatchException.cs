namespace Premix.Plans;

/// <summary>
/// The generated model (<see cref="PremixOptionsBuilder.UseGeneratedModel"/>) does not describe the model the mapping classes
/// build: an entity, a column or a statement changed since <c>premix optimize</c> wrote it. Thrown at startup, listing every
/// difference; regenerate the model.
/// </summary>
public sealed class GeneratedModelMismatchException : Exception
{
    /// <summary>Creates the exception with every difference found.</summary>
    public GeneratedModelMismatchException(IReadOnlyList<string> differences)
        : base(Describe(differences)) => Differences = differences;

    /// <summary>Every difference between the generated model and the mapping, one sentence each.</summary>
    public IReadOnlyList<string> Differences { get; }

    private static string Describe(IReadOnlyList<string> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        return $"The generated model does not match the mapping ({differences.Count} difference{(differences.Count == 1 ? "" : "s")}); "
            + "run premix optimize again to regenerate it (docs/aot.md):" + Environment.NewLine
            + string.Join(Environment.NewLine, differences.Select(d => "  - " + d));
    }
}
