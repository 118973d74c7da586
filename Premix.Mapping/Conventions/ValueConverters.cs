using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

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
    /// Premix stores, and a public constructor taking that value. Such properties are converted by convention while dynamic
    /// code is on; call this to register the converter yourself.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TId"/> is not such a struct.</exception>
    [RequiresDynamicCode("The converter's type is made from the id's value type at run time. Under native AOT register StronglyTypedId<TId, TValue>() instead.")]
    public static ValueConverter StronglyTypedId<[DynamicallyAccessedMembers(IdMembers)] TId>()
        where TId : struct =>
        StronglyTypedId(typeof(TId)) ?? throw NotAnId(typeof(TId));

    /// <summary>
    /// Stores the strongly typed id <typeparamref name="TId"/> as its one value of type <typeparamref name="TValue"/>, as
    /// <see cref="StronglyTypedId{TId}"/> does, with nothing made at run time: the way to convert strongly typed ids when
    /// dynamic code is off (native AOT, or a JIT build of a project with PublishAot), where the convention does not apply.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TId"/> is not a strongly typed id of a <typeparamref name="TValue"/>.</exception>
    /// <example><code>model.Convert(ValueConverters.StronglyTypedId&lt;CustomerId, long&gt;());</code></example>
    public static ValueConverter<TId, TValue> StronglyTypedId<[DynamicallyAccessedMembers(IdMembers)] TId, TValue>()
        where TId : struct
    {
        if (IdShape(typeof(TId)) is not var (value, constructor))
        {
            throw NotAnId(typeof(TId));
        }

        if (value.PropertyType != typeof(TValue))
        {
            throw new ArgumentException($"{typeof(TId).Name} holds a {value.PropertyType.Name} ({value.Name}), not a {typeof(TValue).Name}: write StronglyTypedId<{typeof(TId).Name}, {value.PropertyType.Name}>().", nameof(TValue));
        }

        var id = Expression.Parameter(typeof(TId), "id");
        var stored = Expression.Parameter(typeof(TValue), "value");
        return new ValueConverter<TId, TValue>(
            Expression.Lambda<Func<TId, TValue>>(Expression.Property(id, value), id),
            Expression.Lambda<Func<TValue, TId>>(Expression.New(constructor, stored), stored));
    }

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
    public static ValueConverter<DateTime, DateTime> DateTimeKind(DateTimeKind kind) => kind switch
    {
        // Each kind written as a constant, not the captured parameter: the generated model writes a converter's values into
        // its code, and refuses a captured variable, which generated code could only hard-code (docs/aot.md).
        System.DateTimeKind.Utc => new(value => value, stored => DateTime.SpecifyKind(stored, System.DateTimeKind.Utc)),
        System.DateTimeKind.Local => new(value => value, stored => DateTime.SpecifyKind(stored, System.DateTimeKind.Local)),
        System.DateTimeKind.Unspecified => new(value => value, stored => DateTime.SpecifyKind(stored, System.DateTimeKind.Unspecified)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a DateTimeKind."),
    };

    /// <summary>Stores a <see cref="Uri"/> as its original text, read back as an absolute or relative <see cref="Uri"/>. Applied to <see cref="Uri"/> properties by convention.</summary>
    public static ValueConverter<Uri, string> UriToString() => new(uri => uri.OriginalString, text => new Uri(text, UriKind.RelativeOrAbsolute));

    /// <summary>
    /// What the strongly typed id rules read of a struct: its instance properties, constructors and interfaces. A generic
    /// method of yours that passes its type argument on to <see cref="StronglyTypedId{TId, TValue}"/> annotates it with this.
    /// </summary>
    public const DynamicallyAccessedMemberTypes IdMembers = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties
        | DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.Interfaces;

    // Made once per type and shared by every model: a converter is immutable (what compiles its conversions is the plan, on first use).
    private static readonly ConcurrentDictionary<Type, ValueConverter?> Conventional = new() { [typeof(Uri)] = UriToString() };

    /// <summary>
    /// The converter a property of <paramref name="type"/> gets when neither its mapping nor the model names one. A strongly
    /// typed id's converter is a generic type made from the id at run time, so with dynamic code off there is none: the
    /// property is then reported as a type Premix cannot store, with <see cref="StronglyTypedId{TId, TValue}"/> as the fix.
    /// </summary>
    internal static ValueConverter? ByConvention(Type type) =>
        Conventional.GetOrAdd(type, static type => RuntimeFeature.IsDynamicCodeSupported ? StronglyTypedId(PropertyType(type)) : null);

    /// <summary>The value a strongly typed id of type <paramref name="type"/> holds (its one property), or <see langword="null"/> when it is none.</summary>
    internal static PropertyInfo? IdValue(Type type) => IdShape(PropertyType(type))?.Value;

    // A property's type, whose members trimming keeps only when the application uses them (a strongly typed id is created
    // and read by the application). A struct whose one property or constructor was removed is not taken for an id: its
    // property then fails the start as a type Premix cannot store, and registering StronglyTypedId<TId, TValue>(), whose
    // annotation keeps those members, is the fix. Nothing here makes reachable a member trimming removed.
    [UnconditionalSuppressMessage("Trimming", "IL2068:UnrecognizedReflectionPattern", Justification = "Reads a property type's members; a removed member makes the rule not apply (see the comment above).")]
    [return: DynamicallyAccessedMembers(IdMembers)]
    private static Type PropertyType(Type type) => type;

    [RequiresDynamicCode("The converter's type is made from the id's value type at run time.")]
    private static ValueConverter? StronglyTypedId([DynamicallyAccessedMembers(IdMembers)] Type type)
    {
        if (IdShape(type) is not var (value, constructor))
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

    // The one value and the constructor taking it, when type is a strongly typed id.
    private static (PropertyInfo Value, ConstructorInfo Constructor)? IdShape([DynamicallyAccessedMembers(IdMembers)] Type type)
    {
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum || Nullable.GetUnderlyingType(type) is not null || ScalarTypes.IsSupported(type)
            || !type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>) && i.GetGenericArguments()[0] == type)
            || type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance) is not [{ GetMethod.IsPublic: true } value]
            || value.PropertyType.IsEnum || !ScalarTypes.IsSupported(value.PropertyType) || Nullable.GetUnderlyingType(value.PropertyType) is not null
            || type.GetConstructor([value.PropertyType]) is not { } constructor)
        {
            return null;
        }

        return (value, constructor);
    }

    private static ArgumentException NotAnId(Type type) => new(
        $"{type.Name} is not a strongly typed id: it needs exactly one instance property, of a type Premix stores ({ScalarTypes.Describe()}), a public constructor taking that value, and IEquatable<{type.Name}> (a readonly record struct {type.Name}(long Value) has all three).",
        "TId");
}
