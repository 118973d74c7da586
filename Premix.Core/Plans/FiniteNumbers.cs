using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// The non-finite values of a <see cref="double"/> or <see cref="float"/> column that its engine cannot store (see
/// <see cref="StoredValueLimits"/>): SQLite turns NaN into NULL, MySQL and MariaDB have no NaN or infinity at all. Only
/// built where the engine lacks one of them; PostgreSQL keeps them all.
/// </summary>
internal sealed class FiniteNumbers : ColumnValueRule
{
    private readonly StoredValueLimits _limits;
    private readonly string _columnType;

    private FiniteNumbers(PropertyModel property, ISqlDialect dialect, GeneratedPropertyAccessors? generated)
        : base(property, typeof(double), generated)
    {
        _limits = dialect.StoredValues;
        _columnType = dialect.ColumnType(property);
    }

    /// <summary>The rule of a double or float property, or <see langword="null"/> where the engine keeps every value.</summary>
    public static FiniteNumbers? ForEngine(PropertyModel property, ISqlDialect dialect, GeneratedPropertyAccessors? generated = null) =>
        dialect.StoredValues is { KeepsNaN: true, KeepsInfinity: true } ? null : new FiniteNumbers(property, dialect, generated);

    public override string? BrokenValue(object value) => Check(AsDouble(value));

    public override string? NotComparable(object value) => Refused(AsDouble(value)) is { } shown ? $"{Name} cannot be compared with {shown}, which {Cannot}." : null;

    // Typed, so a commit's check of a double or float boxes nothing (see ColumnValueRule.Broken).
    internal string? Check(double value) =>
        Refused(value) is { } shown ? $"is {shown}, which {Cannot}. Use null, on a nullable property, for a value that is missing or undefined." : null;

    private string Cannot => $"{_limits.Engine} cannot store in a {_columnType} column";

    // The value as a message shows it when the engine cannot store it; null when it can.
    private string? Refused(double value) =>
        double.IsFinite(value) || (double.IsNaN(value) ? _limits.KeepsNaN : _limits.KeepsInfinity) ? null
        : IsSensitive ? "*** (not a finite number)"
        : double.IsNaN(value) ? "NaN"
        : value > 0 ? "Infinity" : "-Infinity";

    private static double AsDouble(object value) => value is float single ? single : (double)value;
}
