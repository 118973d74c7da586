namespace Premix.Providers;

/// <summary>
/// The values an engine cannot store as they are, beyond what a column's declared type says (a decimal's digits, a
/// string's length): Premix refuses them before any SQL, naming the engine, rather than let the driver or the server
/// change them silently or reject them with an error that names neither the property nor the rule. Text that is not
/// well-formed UTF-16 is refused on every engine. See docs/types.md.
/// </summary>
/// <param name="Engine">The engine's name as messages show it, for example <c>PostgreSQL</c>.</param>
public sealed record StoredValueLimits(string Engine)
{
    /// <summary>No limits: every value is sent as it is, for its engine to judge (the default of <see cref="ISqlDialect.StoredValues"/>).</summary>
    public static StoredValueLimits None { get; } = new("the database") { KeepsNaN = true, KeepsInfinity = true };

    /// <summary>Whether <see cref="double"/> and <see cref="float"/> columns keep NaN.</summary>
    public bool KeepsNaN { get; init; }

    /// <summary>Whether <see cref="double"/> and <see cref="float"/> columns keep positive and negative infinity.</summary>
    public bool KeepsInfinity { get; init; }

    /// <summary>Whether text columns keep the NUL character, U+0000.</summary>
    public bool KeepsNulCharacter { get; init; } = true;

    /// <summary>
    /// The digits of a column declared <c>decimal</c> or <c>numeric</c> without them (MySQL: 10, 0);
    /// <see langword="null"/> where such a column keeps any decimal (PostgreSQL's unconstrained numeric, SQLite).
    /// </summary>
    public (int Precision, int Scale)? BareDecimalDigits { get; init; }
}
