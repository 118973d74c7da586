using Premix.Mapping;
using Premix.Migrations;
using Premix.Plans;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// The composite types of <c>StoredAsCompositeType</c> columns: the attribute types of their C# properties, and the DDL
/// run before the first table or column that uses one (created unless it exists, so two tables may share it, and a type
/// made by hand is kept).
/// </summary>
internal static class PostgreSqlCompositeTypes
{
    /// <summary>
    /// The start's refusal of the composite-typed properties of <paramref name="model"/> while dynamic code is off, every one
    /// named; <see langword="null"/> when it has none. Npgsql maps no composite type then (its mapping makes generic types at
    /// run time, npgsql/npgsql#5303), and Premix's conversion of a composite value is compiled at run time too.
    /// </summary>
    public static NotSupportedException? NotUnderNativeAot(Model model)
    {
        var properties = model.Entities.SelectMany(e => e.Properties.Where(p => p.CompositeType is not null).Select(p => $"{e.Name}.{p.Name} ({p.CompositeType!.Name})")).ToList();
        return properties.Count == 0 ? null : Refusal(string.Join(", ", properties));
    }

    /// <summary>The refusal of <paramref name="composite"/> where its values are converted; the start refuses it first (<see cref="NotUnderNativeAot(Model)"/>).</summary>
    public static NotSupportedException NotUnderNativeAot(DatabaseComposite composite) => Refusal($"{composite.ClrType.Name} ({composite.Name})");

    // Owns and StoredAsJson are no way out here: the generated model, which dynamic code off requires, refuses both.
    private static NotSupportedException Refusal(string stored) =>
        new($"Composite types cannot be read or written while {NativeAotPlans.DynamicCodeOff}: Npgsql maps no composite type then, and Premix compiles the conversion of their values at run time. "
            + $"Stored as composite types: {stored}. Store their members as plain properties of the entity, or {NativeAotPlans.TurnDynamicCodeOn} (docs/aot.md, Native AOT).");

    /// <summary>The attribute type of a property of a composite type, or <see langword="null"/> when Premix has none for it.</summary>
    public static string? AttributeType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "text",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(short) => "smallint",
            _ when type == typeof(int) => "integer",
            _ when type == typeof(long) => "bigint",
            _ when type == typeof(decimal) => "numeric",
            _ when type == typeof(double) => "double precision",
            _ when type == typeof(float) => "real",
            _ when type == typeof(Guid) => "uuid",
            _ when type == typeof(DateOnly) => "date",
            _ when type == typeof(DateTime) => "timestamp without time zone",
            _ when type == typeof(DateTimeOffset) => "timestamp with time zone",
            _ => null,
        };
    }

    /// <summary>What is wrong with a composite type's C# class, or <see langword="null"/>.</summary>
    public static (string Problem, string Fix)? Problem(DatabaseComposite composite)
    {
        if (composite.Fields.Count == 0)
        {
            return ($"is stored as the composite type {composite.Name}, but {composite.ClrType.Name} has no public read-write property to make an attribute of.", "Give it public properties with getters and setters, or store it another way (Owns(...), StoredAsJson()).");
        }

        var field = composite.Fields.FirstOrDefault(f => AttributeType(f.Property.PropertyType) is null);
        return field is null ? null : (
            $"is stored as the composite type {composite.Name}, whose attribute {composite.ClrType.Name}.{field.Property.Name} has type {field.Property.PropertyType.Name}, which Premix does not put in a composite type.",
            "Use string, bool, short, int, long, decimal, double, float, Guid, DateOnly, DateTime or DateTimeOffset attributes, or store the value with StoredAsJson().");
    }

    public static IEnumerable<string> Before(SchemaOperation operation, Func<string, string> quote) => operation switch
    {
        CreateTable create => create.Table.Columns.Where(c => c.CompositeType is not null).Select(c => Create(c, quote)).Distinct(StringComparer.Ordinal),
        AddColumn add when add.Column.CompositeType is not null => [Create(add.Column, quote)],
        AlterColumn alter when alter.To.CompositeType is not null => [Create(alter.To, quote)],
        _ => [],
    };

    /// <summary>The attributes of <paramref name="composite"/>, one per field, typed by <see cref="AttributeType"/> (startup refused any type it has none for).</summary>
    public static IReadOnlyList<CompositeAttributeSchema> Attributes(DatabaseComposite composite) =>
        composite.Fields.Select(f => new CompositeAttributeSchema(f.Name, AttributeType(f.Property.PropertyType)!)).ToList();

    // One statement per attribute: dropped ones first, so an attribute whose type changed is added again under its name.
    public static IEnumerable<string> Alter(AlterCompositeType alter, Func<string, string> quote) =>
        alter.Dropped.Select(a => $"ALTER TYPE {alter.TypeName} DROP ATTRIBUTE {quote(a.Name)}")
            .Concat(alter.Added.Select(a => $"ALTER TYPE {alter.TypeName} ADD ATTRIBUTE {quote(a.Name)} {a.StoreType}"));

    private static string Create(ColumnSchema column, Func<string, string> quote) =>
        PostgreSqlEnumTypes.CreateUnlessExists(column.StoreType, $"({string.Join(", ", column.CompositeAttributes!.Select(a => $"{quote(a.Name)} {a.StoreType}"))})");
}
