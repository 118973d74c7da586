using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// The <see cref="DateTimeKind"/> rule of one <see cref="DateTime"/> column, built once per plan. A column that holds UTC
/// instants (<c>StoredAsUtc()</c>, or a type that keeps instants such as PostgreSQL's <c>timestamp with time zone</c>)
/// takes only UTC values and gives them back as UTC; a wall-clock column takes any kind, and a UTC instant read from it
/// means the column really holds instants, which is reported instead of passed on. Messages name the entity, the
/// property, the column type and the fix, never the value.
/// </summary>
internal sealed class DateTimeColumn
{
    private readonly string _name;
    private readonly string _columnType;
    private readonly bool _declaredUtc;

    private DateTimeColumn(PropertyModel property, ISqlDialect dialect)
    {
        _name = $"{property.Property.ReflectedType?.Name}.{property.Name}";
        _columnType = dialect.ColumnType(property);
        _declaredUtc = property.StoresUtc;
        HoldsUtc = property.StoresUtc || dialect.StoresUtcInstants(property);
    }

    /// <summary>Whether the column holds UTC instants: values must have <see cref="DateTimeKind.Utc"/>, and come back with it.</summary>
    public bool HoldsUtc { get; }

    /// <summary>The rule of <paramref name="property"/>, or <see langword="null"/> when it is not a <see cref="DateTime"/>.</summary>
    public static DateTimeColumn? For(PropertyModel property, ISqlDialect dialect) =>
        property.StoredType == typeof(DateTime) ? new DateTimeColumn(property, dialect) : null;

    /// <summary>Why <paramref name="value"/> cannot be written to the column (for a validation failure), or <see langword="null"/>.</summary>
    public string? WrongKind(object? value) => HoldsUtc && value is DateTime { Kind: not DateTimeKind.Utc } time ? Problem(time.Kind) : null;

    /// <summary>Passes a UTC value on as it is (the same box) and refuses any other kind, for a value bound as a parameter.</summary>
    public object CheckBoxed(object value) => value is DateTime { Kind: DateTimeKind.Utc } ? value : throw Refused(((DateTime)value).Kind);

    /// <summary>Passes a UTC value on and refuses any other kind, for an element of an array parameter.</summary>
    public DateTime Check(DateTime value) => value.Kind == DateTimeKind.Utc ? value : throw Refused(value.Kind);

    /// <summary>A value read from a wall-clock column: passed on, unless the driver says it is a UTC instant.</summary>
    public DateTime ReadWallClock(DateTime value) => value.Kind != DateTimeKind.Utc ? value : throw new InvalidCastException(WallClockMessage);

    /// <summary>Why a wall-clock column that returned a UTC instant is refused (a generated row reader throws it too).</summary>
    public string WallClockMessage =>
        $"{_name} is mapped as wall-clock time ({_columnType}), but the database returned a UTC instant: its column holds instants "
        + "(such as PostgreSQL's timestamp with time zone). Declare it with StoredAsUtc() or HasColumnType(...) naming the column's real type, "
        + "so Premix writes UTC instants to it; values written through the wall-clock mapping may have been shifted by the session time zone.";

    private ArgumentException Refused(DateTimeKind kind) => new($"{_name} {Problem(kind)}");

    private string Problem(DateTimeKind kind) =>
        $"holds UTC instants ({(_declaredUtc ? "StoredAsUtc(), column " : "column type ")}{_columnType}), but the value has Kind={kind}. "
        + "Pass a UTC DateTime: DateTime.UtcNow, value.ToUniversalTime() for a local time, or DateTime.SpecifyKind(value, DateTimeKind.Utc) for a value that is UTC already.";
}
