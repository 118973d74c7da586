using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Mapping;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// How a composite value with time attributes is sent. Npgsql refuses the whole value when a <see cref="DateTime"/> attribute
/// (<c>timestamp</c>) has <see cref="DateTimeKind.Utc"/>, or a <see cref="DateTimeOffset"/> attribute (<c>timestamptz</c>)
/// another offset than 0. So a copy is sent (the application's object stays as it is), with each <see cref="DateTime"/> as
/// its wall-clock time whatever its kind, as a <c>timestamp</c> column takes it, and each <see cref="DateTimeOffset"/> as the
/// same instant in UTC. Both go in binary, so the session's time zone never shifts them.
/// </summary>
internal static class PostgreSqlCompositeValues
{
    private static readonly MethodInfo CloneMethod = typeof(object).GetMethod(nameof(MemberwiseClone), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo WallClockMethod = typeof(PostgreSqlCompositeValues).GetMethod(nameof(WallClock), BindingFlags.Static | BindingFlags.NonPublic)!;
    private static readonly MethodInfo UtcMethod = typeof(PostgreSqlCompositeValues).GetMethod(nameof(Utc), BindingFlags.Static | BindingFlags.NonPublic)!;
    private static readonly PropertyInfo DateTimeHasValue = typeof(DateTime?).GetProperty(nameof(Nullable<DateTime>.HasValue))!;
    private static readonly PropertyInfo DateTimeValue = typeof(DateTime?).GetProperty(nameof(Nullable<DateTime>.Value))!;
    private static readonly PropertyInfo OffsetHasValue = typeof(DateTimeOffset?).GetProperty(nameof(Nullable<DateTimeOffset>.HasValue))!;
    private static readonly PropertyInfo OffsetValue = typeof(DateTimeOffset?).GetProperty(nameof(Nullable<DateTimeOffset>.Value))!;

    /// <summary>Why <see cref="Conversion"/> needs dynamic code: native AOT maps no composite type (Npgsql), so it never gets here.</summary>
    public const string CompiledConversion = "A composite value's conversion is compiled from an expression tree; composite types are refused at startup under native AOT, where Npgsql maps none.";

    /// <summary>The conversion of a value of <paramref name="composite"/>, or <see langword="null"/> when it has no time attribute to convert.</summary>
    [RequiresDynamicCode(CompiledConversion)]
    public static Func<object, object>? Conversion(DatabaseComposite composite)
    {
        var times = composite.Fields.Where(f => Converter(f.Property.PropertyType) is not null).ToList();
        if (times.Count == 0)
        {
            return null;
        }

        var value = Expression.Parameter(typeof(object), "value");
        var copy = Expression.Variable(composite.ClrType, "copy");
        var body = new List<Expression>
        {
            // Unboxing a struct copies it; a class is cloned (its attributes are scalars, so a shallow copy is a full one).
            Expression.Assign(copy, Expression.Convert(composite.ClrType.IsValueType ? value : Expression.Call(value, CloneMethod), composite.ClrType)),
        };
        foreach (var field in times)
        {
            var attribute = Expression.Property(copy, field.Property);
            var convert = Converter(field.Property.PropertyType)!;
            body.Add(Expression.Assign(attribute, Nullable.GetUnderlyingType(attribute.Type) is null
                ? Expression.Call(convert, attribute)
                : Expression.Condition(Expression.Property(attribute, HasValue(attribute.Type)), Expression.Convert(Expression.Call(convert, Expression.Property(attribute, Value(attribute.Type))), attribute.Type), attribute)));
        }

        body.Add(Expression.Convert(copy, typeof(object)));
        return Expression.Lambda<Func<object, object>>(Expression.Block([copy], body), value).Compile();
    }

    private static MethodInfo? Converter(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(DateTime) => WallClockMethod,
        var t when t == typeof(DateTimeOffset) => UtcMethod,
        _ => null,
    };

    // The nullable's members by the two types Converter knows, not by name: nothing a trimmer cannot see.
    private static PropertyInfo HasValue(Type nullable) => nullable == typeof(DateTime?) ? DateTimeHasValue : OffsetHasValue;

    private static PropertyInfo Value(Type nullable) => nullable == typeof(DateTime?) ? DateTimeValue : OffsetValue;

    private static DateTime WallClock(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Unspecified);

    private static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();
}
