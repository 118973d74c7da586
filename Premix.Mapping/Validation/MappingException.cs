namespace Premix.Mapping;

/// <summary>
/// Thrown at startup when the model is invalid. It lists every problem found in every entity at once,
/// so one start is enough to see all that must change.
/// </summary>
public sealed class MappingException : Exception
{
    /// <summary>Creates the exception for the given problems.</summary>
    public MappingException(IReadOnlyList<MappingProblem> problems)
        : base(Describe(problems)) => Problems = problems;

    /// <summary>Every problem found, in entity order.</summary>
    public IReadOnlyList<MappingProblem> Problems { get; }

    private static string Describe(IReadOnlyList<MappingProblem> problems) =>
        $"The Premix model has {problems.Count} mapping problem{(problems.Count == 1 ? string.Empty : "s")}:"
        + string.Concat(problems.Select((p, i) => $"{Environment.NewLine}  {i + 1}. {p}"));
}
