namespace Premix.Migrations;

/// <summary>
/// What values a column type holds, as far as telling a widening from a change that can lose values needs: a new type
/// is a widening when it holds every value of the old one. Each engine describes its own types
/// (<see cref="SchemaDialect.Capacity"/>); types of different families (numbers, text, binary, date-times...) never hold
/// each other's values, and a type an engine does not describe is only ever the same as itself.
/// </summary>
public sealed class TypeCapacity
{
    /// <summary>A length without a limit worth counting (PostgreSQL's <c>text</c> and <c>bytea</c>).</summary>
    public const long Unlimited = long.MaxValue;

    private readonly Family _family;
    private readonly double _low;
    private readonly double _high;
    private readonly int _scale;
    private readonly long _guaranteed;
    private readonly long _possible;
    private readonly bool _padded;

    private TypeCapacity(Family family, double low = 0, double high = 0, int scale = 0, long guaranteed = 0, long possible = 0, bool padded = false)
    {
        _family = family;
        _low = low;
        _high = high;
        _scale = scale;
        _guaranteed = guaranteed;
        _possible = possible;
        _padded = padded;
    }

    private enum Family
    {
        Number,
        Float,
        Text,
        Binary,
        DateTime,
        Instant,
        Time,
    }

    /// <summary>An exact number from <paramref name="low"/> to <paramref name="high"/> with <paramref name="scale"/> digits after the point.</summary>
    public static TypeCapacity Number(double low, double high, int scale) => new(Family.Number, low, high, scale);

    /// <summary>An integer of <paramref name="bytes"/> bytes (1, 2, 3, 4 or 8), signed or not.</summary>
    public static TypeCapacity Integer(int bytes, bool unsigned = false)
    {
        var values = Math.Pow(2, bytes * 8);
        return unsigned ? Number(0, values - 1, 0) : Number(-values / 2, (values / 2) - 1, 0);
    }

    /// <summary>A decimal of <paramref name="precision"/> digits, <paramref name="scale"/> of them after the point.</summary>
    public static TypeCapacity Decimal(int precision, int scale)
    {
        var high = Math.Pow(10, precision - scale) - Math.Pow(10, -scale);
        return Number(-high, high, scale);
    }

    /// <summary>A binary floating-point number with <paramref name="mantissaBits"/> bits of precision (24 single, 53 double).</summary>
    public static TypeCapacity Float(int mantissaBits) => new(Family.Float, scale: mantissaBits);

    /// <summary>Text of up to <paramref name="characters"/> characters.</summary>
    public static TypeCapacity Text(long characters) => Text(characters, characters);

    /// <summary>
    /// Text whose limit is in bytes, so that how many characters it holds depends on them: at least
    /// <paramref name="guaranteed"/> (all four-byte characters), at most <paramref name="possible"/> (all one-byte ones).
    /// </summary>
    public static TypeCapacity Text(long guaranteed, long possible) => new(Family.Text, guaranteed: guaranteed, possible: possible);

    /// <summary>Text padded with spaces to exactly <paramref name="characters"/> (PostgreSQL's <c>character(n)</c>).</summary>
    public static TypeCapacity PaddedText(long characters) => new(Family.Text, guaranteed: characters, possible: characters, padded: true);

    /// <summary>Bytes, up to <paramref name="bytes"/> of them.</summary>
    public static TypeCapacity Binary(long bytes) => new(Family.Binary, guaranteed: bytes, possible: bytes);

    /// <summary>Bytes padded to exactly <paramref name="bytes"/> (MySQL's <c>binary(n)</c>).</summary>
    public static TypeCapacity PaddedBinary(long bytes) => new(Family.Binary, guaranteed: bytes, possible: bytes, padded: true);

    /// <summary>A date and wall-clock time from <paramref name="firstYear"/> to <paramref name="lastYear"/>, with <paramref name="fractionDigits"/> digits of a second.</summary>
    public static TypeCapacity DateTime(int fractionDigits, int firstYear, int lastYear) => new(Family.DateTime, firstYear, lastYear, fractionDigits);

    /// <summary>An instant (a time with its time zone, PostgreSQL's <c>timestamptz</c>), with <paramref name="fractionDigits"/> digits of a second.</summary>
    public static TypeCapacity Instant(int fractionDigits) => new(Family.Instant, scale: fractionDigits);

    /// <summary>A time of day or duration, with <paramref name="fractionDigits"/> digits of a second.</summary>
    public static TypeCapacity Time(int fractionDigits) => new(Family.Time, scale: fractionDigits);

    /// <summary>Whether every value of <paramref name="other"/> fits this type unchanged.</summary>
    public bool Holds(TypeCapacity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (_family, other._family) switch
        {
            (Family.Number, Family.Number) => _low <= other._low && _high >= other._high && _scale >= other._scale,
            (Family.Float, Family.Float) => _scale >= other._scale,
            (Family.Float, Family.Number) => other._scale == 0 && Math.Max(-other._low, other._high) <= Math.Pow(2, _scale),
            // Padding changes what a value reads as once the length changes (more spaces, more zero bytes).
            (Family.Text, Family.Text) or (Family.Binary, Family.Binary) =>
                _padded == other._padded && (_padded ? _possible == other._possible : _guaranteed >= other._possible),
            (Family.DateTime, Family.DateTime) => _scale >= other._scale && _low <= other._low && _high >= other._high,
            (Family.Instant, Family.Instant) or (Family.Time, Family.Time) => _scale >= other._scale,
            _ => false,
        };
    }
}
