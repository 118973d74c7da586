namespace Premix.Mapping;

/// <summary>One thing wrong with a mapping, with what to do about it.</summary>
/// <param name="Entity">The entity class, or <see langword="null"/> for a problem of the whole model (for example no entity mapped).</param>
/// <param name="Property">The property concerned, if any.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record MappingProblem(string? Entity, string? Property, string Problem, string Fix)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{(Entity is null ? string.Empty : Entity + (Property is null ? string.Empty : "." + Property) + ": ")}{Problem} Fix: {Fix}";
}
