using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// The fix offered for a property whose type no column can hold, chosen by what the type is: a mapped entity is a
/// relation to declare, a dictionary or a collection of values needs rows of its own, an unmapped class needs a
/// mapping, an interface or <see cref="object"/> can only be ignored, an unsigned number fits a wider signed one.
/// </summary>
// Its reflection (a type's properties and interfaces, in Reference, ForeignKey and Generic, each suppressed on its own so
// that nothing else here is) only chooses the words of a fix: where trimming removed a member or an interface, the fix is
// less specific (no foreign key named, a collection's element type not found), the problem the same.
internal static class UnsupportedTypeFix
{
    private const string Justification = "Chooses the words of a fix only; see the comment on the class.";

    // The supported type that holds every value of an unsupported numeric type, with the mapping call it needs.
    private static readonly Dictionary<Type, string> Wider = new()
    {
        [typeof(sbyte)] = "short",
        [typeof(ushort)] = "int",
        [typeof(uint)] = "long",
        [typeof(ulong)] = "decimal with HasPrecision(20, 0)",
        [typeof(char)] = "string with HasMaxLength(1)",
        [typeof(Half)] = "float",
    };

    /// <summary>The fix for <paramref name="property"/>; <paramref name="dynamicCode"/> is whether dynamic code is on (RuntimeFeature.IsDynamicCodeSupported).</summary>
    public static string For(Type entityType, PropertyInfo property, IReadOnlySet<Type> mappedTypes, bool dynamicCode)
    {
        var entity = entityType.Name;
        var ignore = $"leave it out with Ignore(x => x.{property.Name})";
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (mappedTypes.Contains(type))
        {
            return $"{type.Name} is a mapped entity: declare the relation with {Reference(entityType, property, type)}, or {ignore}.";
        }

        if (IsDictionary(type))
        {
            return RowsOfTheirOwn("dictionary", "entries", ignore);
        }

        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return ElementType(type) switch
            {
                { } element when mappedTypes.Contains(element) =>
                    $"{element.Name} is a mapped entity: declare the relation with e.HasMany(x => x.{property.Name}).WithForeignKey({ForeignKey(element, entity)}), or {ignore}.",
                { } element when ScalarTypes.IsSupported(element) =>
                    RowsOfTheirOwn("collection", "values", ignore),
                { IsInterface: false } element when element != typeof(object) && !element.IsAbstract =>
                    $"Map {element.Name} with a ModelConfiguration<{element.Name}> and declare the relation with e.HasMany(x => x.{property.Name}).WithForeignKey({ForeignKey(element, entity)}), or {ignore}.",
                _ => $"Premix cannot tell what such a collection holds: {ignore}.",
            };
        }

        if (IsPostgreSqlType(type))
        {
            return $"Only the PostgreSQL provider stores it (UsePostgreSql); on this database keep its parts in properties of their own, for example a value object declared with Owns(x => x.{property.Name}) over a class of its bounds, or {ignore}.";
        }

        if (Wider.TryGetValue(type, out var wider))
        {
            return $"Use {wider}, which holds every {type.Name} value, or {ignore}.";
        }

        if (type.IsInterface || type == typeof(object) || type.IsAbstract || typeof(Delegate).IsAssignableFrom(type))
        {
            return $"Premix cannot tell what to store for {TypeKind(type)}, nor what to create when loading: {ignore}.";
        }

        if (!type.IsValueType && !property.DeclaringType!.IsAssignableFrom(entityType))
        {
            // A member of a value object: the class is most likely a value object of its own, kept in the same row.
            return $"Declare it a value object inside its value object with Owns(v => v.{property.Name}) in that Owns(...)'s builder, store it as a document with StoredAsJson(), or {ignore}.";
        }

        var expose = $"Expose its parts as properties of one of the supported types ({ScalarTypes.Describe()}), or {ignore}.";
        return type.IsValueType
            ? dynamicCode ? expose : $"{IdWithoutDynamicCode(type)}. Any other struct: {expose}"
            : $"{type.Name} is not mapped: map it with a ModelConfiguration<{type.Name}> and declare the relation with {Reference(entityType, property, type)}, move its values into properties of {entity}, or {ignore}.";
    }

    /// <summary>
    /// Whether <paramref name="type"/> is one of Npgsql's own (a range, <c>NpgsqlRange&lt;int&gt;</c>), which the PostgreSQL provider
    /// stores and no other: named by namespace only to explain the problem, since Premix.Mapping does not reference Npgsql.
    /// </summary>
    public static bool IsPostgreSqlType(Type type) => (Nullable.GetUnderlyingType(type) ?? type).Namespace == "NpgsqlTypes";

    // With dynamic code off a strongly typed id is found by its property and constructor, which trimming removes from an
    // application that never calls them: the struct then lands here. Its registration reads none of them, so it is the fix.
    private static string IdWithoutDynamicCode(Type type) =>
        $"If {type.Name} is a strongly typed id, register its converter where Premix is configured with {IdRegistration.Call(type, null)} (TValue the type of its value), which makes nothing at run time and works with dynamic code off";

    private static string RowsOfTheirOwn(string kind, string items, string ignore) =>
        $"A column holds one value, not a {kind}: store the {items} as rows of an entity of their own, declared with HasMany(...),"
        + $" keep them serialized (for example as JSON) in a string property you map instead, or {ignore}.";

    // BelongsTo when this entity holds a {Navigation}Id foreign key, HasOne when the other type holds an {Entity}Id one.
    [UnconditionalSuppressMessage("Trimming", "IL2070:UnrecognizedReflectionPattern", Justification = Justification)]
    private static string Reference(Type entity, PropertyInfo property, Type target)
    {
        if (entity.GetProperty(property.Name + "Id") is { } own)
        {
            return $"e.BelongsTo(x => x.{property.Name}).WithForeignKey(x => x.{own.Name})";
        }

        return target.GetProperty(entity.Name + "Id") is { } other
            ? $"e.HasOne(x => x.{property.Name}).WithForeignKey({Lambda(target, other.Name)})"
            : $"e.BelongsTo(x => x.{property.Name}).WithForeignKey(...) when {entity.Name} holds the foreign key, or e.HasOne(x => x.{property.Name}).WithForeignKey(...) when {target.Name} does";
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070:UnrecognizedReflectionPattern", Justification = Justification)]
    private static string ForeignKey(Type child, string entity) =>
        Lambda(child, child.GetProperty(entity + "Id")?.Name ?? $"<the property of {child.Name} that holds {entity}'s key>");

    // A lambda over the other type, named after it as in the docs (o => o.CustomerId), so it is not read as the entity's own x.
    private static string Lambda(Type type, string property)
    {
        var name = char.ToLowerInvariant(type.Name[0]);
        return $"{name} => {name}.{property}";
    }

    private static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type) || Implements(type, typeof(IDictionary<,>)) || Implements(type, typeof(IReadOnlyDictionary<,>));

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : Generic(type, typeof(IEnumerable<>)) is { } enumerable ? enumerable.GetGenericArguments()[0]
        : null;

    private static bool Implements(Type type, Type definition) => Generic(type, definition) is not null;

    [UnconditionalSuppressMessage("Trimming", "IL2070:UnrecognizedReflectionPattern", Justification = Justification)]
    private static Type? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    private static string TypeKind(Type type) =>
        type.IsInterface ? "an interface" : type == typeof(object) ? "a property of type object" : typeof(Delegate).IsAssignableFrom(type) ? "a delegate" : "an abstract class";
}
