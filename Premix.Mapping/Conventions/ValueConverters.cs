using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// The converters Premix ships: strongly typed ids, enums as a number of your choosing, <see cref="DateTime"/> kinds and
/// <see cref="Uri"/>. Strongly typed ids and <see cref="Uri"/> apply by convention; the others are passed to
/// <c>HasConversion(...)</c> or to a model's converter registry (<c>Convert(...)</c>).
/// </summary>
public static class ValueConverters
{
    /// <summary>
    /// Stores a strongly typed id (<c>readonly record struct CustomerId(long Value)</c>) as its one value: any struct that
    /// implements <see cref="IEquatable{T}"/> (every record struct does) and has exactly one instance property, of a type
    /// Premix stores, and a public constructor taking that value. Such properties are converted by convention; call this
    /// to register the converter yourself.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TId"/> is not such a struct.</exception>
    public static ValueConverter StronglyTypedId<TId>()
        where TId : struct =>
        StronglyTypedId(typeof(TId))
        ?? throw new ArgumentException($"{typeof(TId).Name} is not a strongly typed id: it needs exactly one instance property, of a type Premix stores ({ScalarTypes.Describe()}), a public constructor taking that value, and IEquatable<{typeof(TId).Name}> (a readonly record struct {typeof(TId).Name}(long Value) has all three).", nameof(TId));

    /// <summary>Stores an enum as the number type <typeparamref name="TNumber"/> (say an <see cref="int"/> enum in a <see cref="short"/> column).</summary>
    public static ValueConverter<TEnum, TNumber> EnumToNumber<TEnum, TNumber>()
        where TEnum : struct, Enum
        where TNumber : struct
    {
        var value = Expression.Parameter(typeof(TEnum), "value");
        var number = Expression.Parameter(typeof(TNumber), "number");
        return new ValueConverter<TEnum, TNumber>(
            Expression.Lambda<Func<TEnum, TNumber>>(Expression.Convert(value, typeof(TNumber)), value),
            Expression.Lambda<Func<TNumber, TEnum>>(Expression.Convert(number, typeof(TEnum)), number));
    }

    /// <summary>
    /// Gives every <see cref="DateTime"/> read from the column <paramref name="kind"/> (the column's rules, wall-clock time
    /// or <c>StoredAsUtc()</c>, still decide what is written): for a wall-clock column that holds local times, say.
    /// </summary>
    public static ValueConverter<DateTime, DateTime> DateTimeKind(DateTimeKind kind) =>
        Enum.IsDefined(kind)
            ? new(value => value, stored => DateTime.SpecifyKind(stored, kind))
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a DateTimeKind.");

    /// <summary>Stores a <see cref="Uri"/> as its original text, read back as an absolute or relative <see cref="Uri"/>. Applied to <see cref="Uri"/> properties by convention.</summary>
    public static ValueConverter<Uri, string> UriToString() => new(uri => uri.OriginalString, text => new Uri(text, UriKind.RelativeOrAbsolute));

    // Made once per type and shared by every model: a converter is immutable (what compiles its conversions is the plan, on first use).
    private static readonly ConcurrentDictionary<Type, ValueConverter?> Conventional = new() { [typeof(Uri)] = UriToString() };

    /// <summary>The converter a property of <paramref name="type"/> gets when neither its mapping nor the model names one.</summary>
    internal static ValueConverter? ByConvention(Type type) => Conventional.GetOrAdd(type, StronglyTypedId);

    private static ValueConverter? StronglyTypedId(Type type)
    {
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum || Nullable.GetUnderlyingType(type) is not null || ScalarTypes.IsSupported(type)
            || !typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type)
            || type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance) is not [{ GetMethod.IsPublic: true } value]
            || value.PropertyType.IsEnum || !ScalarTypes.IsSupported(value.PropertyType) || Nullable.GetUnderlyingType(value.PropertyType) is not null
            || type.GetConstructor([value.PropertyType]) is not { } constructor)
        {
            return null;
        }

        var id = Expression.Parameter(type, "id");
        var stored = Expression.Parameter(value.PropertyType, "value");
        var converter = typeof(ValueConverter<,>).MakeGenericType(type, value.PropertyType);
        return (ValueConverter)Activator.CreateInstance(
            converter,
            Expression.Lambda(Expression.Property(id, value), id),
            Expression.Lambda(Expression.New(constructor, stored), stored))!;
    }
}
