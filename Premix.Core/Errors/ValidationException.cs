namespace Premix;

/// <summary>
/// Entities about to be written broke their mapping's rules (required, maximum length, <c>Validate(...)</c>).
/// Thrown before any SQL is sent, so nothing was written; it lists every failure of every entity, each naming the
/// entity by its key, or by its position in the commit when it is new and its key not generated yet.
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
    /// <summary>
    /// The entity's key (the values of a composite key joined by <c>", "</c>; <c>***</c> for a sensitive key), or
    /// <see langword="null"/> for a new entity whose key the database has not generated yet.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>
    /// For a new entity: its position (1 for the first) among the new entities of its type in the commit, in the order
    /// they are inserted, which is the order they were added; <see langword="null"/> for an entity already in the database.
    /// </summary>
    public int? Position { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Entity}{Which()}{(Property is null ? string.Empty : "." + Property)}: {Message}";

    private string Which() => (Position, Key) switch
    {
        (null, null) => string.Empty,
        (null, _) => $" (key {Key})",
        (_, null) => $" (new, position {Position} in the commit)",
        _ => $" (new, position {Position} in the commit, key {Key})",
    };
}
