using System.Data;
using Npgsql;
using NpgsqlTypes;
using Premix.Mapping;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// Array columns (<c>T[]</c> and <c>List&lt;T&gt;</c> properties, see <see cref="ArrayTypes"/>): their column types, spelled as
/// <c>format_type</c> reads them back so a diff after a sync is empty, and how their values are sent (typed arrays, so an
/// empty array or one of nulls has a type, with dates and times as their columns need them).
/// </summary>
internal static class PostgreSqlArrays
{
    private static readonly Dictionary<Type, (string Name, NpgsqlDbType DbType)> Elements = new()
    {
        [typeof(bool)] = ("boolean", NpgsqlDbType.Boolean),
        [typeof(short)] = ("smallint", NpgsqlDbType.Smallint),
        [typeof(int)] = ("integer", NpgsqlDbType.Integer),
        [typeof(long)] = ("bigint", NpgsqlDbType.Bigint),
        [typeof(decimal)] = ("numeric", NpgsqlDbType.Numeric), // no digits: an array element keeps any decimal exactly
        [typeof(double)] = ("double precision", NpgsqlDbType.Double),
        [typeof(float)] = ("real", NpgsqlDbType.Real),
        [typeof(string)] = ("text", NpgsqlDbType.Text),
        [typeof(Guid)] = ("uuid", NpgsqlDbType.Uuid),
        [typeof(DateTime)] = ("timestamp without time zone", NpgsqlDbType.Timestamp),
        [typeof(DateTimeOffset)] = ("timestamp with time zone", NpgsqlDbType.TimestampTz),
        [typeof(DateOnly)] = ("date", NpgsqlDbType.Date),
        [typeof(TimeOnly)] = ("time without time zone", NpgsqlDbType.Time),
        [typeof(TimeSpan)] = ("interval", NpgsqlDbType.Interval),
    };

    private static readonly Func<DateTime, DateTime> WallClock = value => DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
    private static readonly Func<DateTimeOffset, DateTimeOffset> Utc = value => value.ToUniversalTime();

    /// <summary>The column type of an array property (<c>integer[]</c>).</summary>
    public static string ColumnType(PropertyModel property) => Element(property).Name + "[]";

    /// <summary>
    /// Types the parameter as an array of the element's type; an array of a database enum type (its labels) by the array
    /// type's name (<c>rating[]</c>), as a single enum goes by its type's name, so no <c>MapEnum</c> is needed.
    /// </summary>
    public static Action<IDbDataParameter> ParameterSetup(PropertyModel property)
    {
        if (property.EnumType is { } enumType)
        {
            var name = enumType.Name + "[]";
            return parameter => ((NpgsqlParameter)parameter).DataTypeName = name;
        }

        var type = NpgsqlDbType.Array | Element(property).DbType;
        return parameter => ((NpgsqlParameter)parameter).NpgsqlDbType = type;
    }

    /// <summary>The type of one element, for a value an array is compared with (<c>@p = ANY(column)</c>).</summary>
    public static Action<IDbDataParameter> ElementSetup(PropertyModel property)
    {
        if (property.EnumType is { } enumType)
        {
            var name = enumType.Name;
            return parameter => ((NpgsqlParameter)parameter).DataTypeName = name;
        }

        var type = Element(property).DbType;
        return parameter => ((NpgsqlParameter)parameter).NpgsqlDbType = type;
    }

    /// <summary>
    /// A <see cref="DateTime"/> element goes as wall-clock time whatever its kind (the column is <c>timestamp</c>), a
    /// <see cref="DateTimeOffset"/> as its UTC instant (Npgsql writes only offset 0 to <c>timestamptz</c>); a copy is sent,
    /// the property's array is left as it is. Other elements go as they are.
    /// </summary>
    public static Func<object, object>? ParameterConversion(PropertyModel property)
    {
        var element = property.ArrayElementType!;
        return (Nullable.GetUnderlyingType(element) ?? element) switch
        {
            var type when type == typeof(DateTime) => Elementwise(WallClock),
            var type when type == typeof(DateTimeOffset) => Elementwise(Utc),
            _ => null,
        };
    }

    /// <summary>The conversion of one value compared with the elements (<c>x.Stamps.Contains(time)</c>), as <see cref="ParameterConversion"/> converts each element.</summary>
    public static Func<object, object>? ElementConversion(PropertyModel property)
    {
        if (property.EnumType is { } enumType)
        {
            return enumType.Label; // x.Ratings.Contains(Rating.Good): the label, as the elements are stored
        }

        var element = Nullable.GetUnderlyingType(property.ArrayElementType!) ?? property.ArrayElementType!;
        return element == typeof(DateTime) ? value => WallClock((DateTime)value)
            : element == typeof(DateTimeOffset) ? value => Utc((DateTimeOffset)value)
            : null;
    }

    private static (string Name, NpgsqlDbType DbType) Element(PropertyModel property)
    {
        var element = property.ArrayElementType ?? throw new ArgumentException($"{property.Name} is not an array property.", nameof(property));
        return Elements[Nullable.GetUnderlyingType(element) ?? element];
    }

    private static Func<object, object> Elementwise<T>(Func<T, T> convert) where T : struct
    {
        T? Lifted(T? value) => value is { } present ? convert(present) : null;
        Converter<T?, T?> lifted = Lifted;
        Converter<T, T> plain = new(convert);
        return value => value switch
        {
            T[] array => Array.ConvertAll(array, plain),
            List<T> list => list.ConvertAll(plain),
            T?[] array => Array.ConvertAll(array, lifted),
            List<T?> list => list.ConvertAll(lifted),
            _ => value,
        };
    }
}
