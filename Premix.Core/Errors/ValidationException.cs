namespace Premix;

/// <summary>
/// Entities about to be written broke their mapping's rules (required, maximum length, <c>Validate(...)</c>).
/// Thrown before any SQL is sent, so nothing was written; it lists every failure of every entity.
/// </summary>
public sealed class ValidationException : PremixException
{
    /// <summary>Creates the exception for the given failures.</summary>
    public ValidationException(IReadOnlyList<ValidationFailure> failures)
        : base(Describe(failures)) => Failures = failures;

    /// <summary>Every failure found.</summary>
    public IReadOnlyList<ValidationFailure> Failures { get; }

    private static string Describe(IReadOnlyList<ValidationFailure> failures) =>
        $"{failures.Count} validation failure{(failures.Count == 1 ? string.Empty : "s")}; nothing was written:"
        + string.Concat(failures.Select(f => $"{Environment.NewLine}  - {f}"));
}

/// <summary>One broken rule of one entity.</summary>
/// <param name="Entity">The entity type's name.</param>
/// <param name="Property">The property, when the rule is about one.</param>
/// <param name="Message">What is wrong. Never contains the value of a sensitive property.</param>
public sealed record ValidationFailure(string Entity, string? Property, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Entity}{(Property is null ? string.Empty : "." + Property)}: {Message}";
}
