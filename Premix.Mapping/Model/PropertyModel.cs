using System.Reflection;
using System.Runtime.CompilerServices;

namespace Premix.Mapping;

/// <summary>One mapped property and its column. Immutable once the model is built.</summary>
public sealed class PropertyModel
{
    internal PropertyModel(PropertyInfo property, string column, bool isRequired, OwnedModel? owner = null, Type? nullableType = null)
    {
        Property = property;
        Column = column;
        IsRequired = isRequired;
        Owner = owner;
        Name = owner is null ? property.Name : $"{owner.Name}.{property.Name}";
        var underlying = Nullable.GetUnderlyingType(property.PropertyType);
        // A member of a value object reads as null when the owner holds none, so its value type is read as nullable. That type
        // is made at run time while dynamic code is on; with it off it is the one the generated model names (nullableType),
        // and the model build refuses a member whose type it does not name before any member is created. The decision is
        // OwnedMembers.ReadType's, the only caller with an owner, which always passes nullableType; the fallback below is a
        // guard for a future caller that passes none (same rule, so the two cannot disagree).
        PropertyType = owner is not null && underlying is null && property.PropertyType.IsValueType
            ? nullableType ?? (RuntimeFeature.IsDynamicCodeSupported ? typeof(Nullable<>).MakeGenericType(property.PropertyType) : throw new NotSupportedException($"{owner}.{property.Name}: the nullable type of a value object's member is named only by a generated model while {DynamicCode.Off}."))
            : property.PropertyType;
        IsNullableValueType = Nullable.GetUnderlyingType(PropertyType) is not null;
        ValueType = underlying ?? property.PropertyType;
    }

    /// <summary>The CLR property: of the entity, or of the value object for a member of one (<see cref="Owner"/>).</summary>
    public PropertyInfo Property { get; }

    /// <summary>The property name; for a member of a value object, prefixed by the owner's property (<c>Money.Amount</c>).</summary>
    public string Name { get; }

    /// <summary>The name a statement binds the property's value under: <see cref="Name"/>, a value object's member as <c>Money_Amount</c>.</summary>
    public string ParameterName => Name.Replace('.', '_');

    /// <summary>
    /// The value object this property is a member of (<c>e.Owns(x =&gt; x.Money)</c>), or <see langword="null"/> for a
    /// property of the entity itself.
    /// </summary>
    public OwnedModel? Owner { get; }

    /// <summary>
    /// The type of the values read from an entity: <see cref="PropertyInfo.PropertyType"/>, made nullable for a value-type
    /// member of a value object (the owner may hold none).
    /// </summary>
    public Type PropertyType { get; }

    /// <summary>The column name, exactly as the database stores it.</summary>
    public string Column { get; }

    /// <summary>The property's type with any <see cref="Nullable{T}"/> removed (<c>int?</c> gives <c>int</c>).</summary>
    public Type ValueType { get; }

    /// <summary>
    /// The type the column stores, with any <see cref="Nullable{T}"/> removed: the <see cref="ValueConverter.ProviderType"/> of
    /// the <see cref="Converter"/>, or <see cref="ValueType"/> when there is none. It decides the column's type and the rules on values.
    /// </summary>
    public Type StoredType => Converter?.ProviderType ?? ValueType;

    /// <summary>The conversion between the property's values and the stored ones, or <see langword="null"/> when they are the same.</summary>
    public ValueConverter? Converter { get; internal init; }

    /// <summary>Whether <see cref="PropertyType"/> is a <see cref="Nullable{T}"/>.</summary>
    public bool IsNullableValueType { get; }

    /// <summary>Whether the value must not be null.</summary>
    public bool IsRequired { get; }

    /// <summary>The maximum length of a string (characters) or byte array (bytes), if limited.</summary>
    public int? MaxLength { get; internal init; }

    /// <summary>The precision of a decimal.</summary>
    public int Precision { get; internal init; } = 18;

    /// <summary>The scale of a decimal.</summary>
    public int Scale { get; internal init; } = 2;

    /// <summary>
    /// How a decimal with more decimal places than its column keeps is rounded before it is written (<c>Rounding</c>);
    /// <see langword="null"/>: such a value is refused, never rounded.
    /// </summary>
    public MidpointRounding? Rounding { get; internal init; }

    /// <summary>How an enum is stored; <see langword="null"/> for non-enum properties.</summary>
    public EnumStorage? EnumStorage { get; internal init; }

    /// <summary>The database enum type the property is stored as (<see cref="Mapping.EnumStorage.EnumType"/>), or <see langword="null"/>.</summary>
    public DatabaseEnum? EnumType { get; internal init; }

    /// <summary>The PostgreSQL composite type the property is stored as (<c>StoredAsCompositeType</c>), or <see langword="null"/>.</summary>
    public DatabaseComposite? CompositeType { get; internal init; }

    /// <summary>
    /// Whether the property is stored as a JSON document (<c>StoredAsJson</c>): its <see cref="Converter"/> serializes it to
    /// text, and the column is <c>jsonb</c>, <c>JSON</c> or <c>TEXT</c> by engine.
    /// </summary>
    public bool StoresJson { get; internal init; }

    /// <summary>The serializer options of a JSON document (<see cref="StoresJson"/>), which name its members in the stored text.</summary>
    internal System.Text.Json.JsonSerializerOptions? JsonOptions { get; init; }

    /// <summary>For a member read inside a JSON document by a query (<c>x.Address.City</c>): the document's property; otherwise <see langword="null"/>.</summary>
    internal PropertyModel? JsonDocument { get; init; }

    /// <summary>For a member read inside a JSON document: its name in the stored text.</summary>
    internal string? JsonPath { get; init; }

    /// <summary>
    /// The element type of an array property (<c>int</c> for <c>int[]</c> or <c>List&lt;int&gt;</c>, <c>int?</c> for <c>int?[]</c>),
    /// stored whole in one column of an array type (PostgreSQL's <c>integer[]</c>); <see langword="null"/> for any other property.
    /// </summary>
    public Type? ArrayElementType { get; internal init; }

    /// <summary>For the length of an array read by a query (<c>x.Tags.Length</c>): the array's property; otherwise <see langword="null"/>.</summary>
    internal PropertyModel? ArrayLengthOf { get; init; }

    /// <summary>For an attribute read inside a composite value by a query (<c>x.Address.City</c>): the composite's property (<see cref="Column"/> is the attribute); otherwise <see langword="null"/>.</summary>
    internal PropertyModel? CompositeValue { get; init; }

    /// <summary>Whether values must be masked in logs, traces and messages.</summary>
    public bool IsSensitive { get; internal init; }

    /// <summary>Whether this property is (part of) the key.</summary>
    public bool IsKey { get; internal init; }

    /// <summary>Whether the database generates the value on insert.</summary>
    public bool IsGenerated { get; internal init; }

    /// <summary>Whether this is the optimistic-concurrency version.</summary>
    public bool IsVersion { get; internal init; }

    /// <summary>Whether this is the soft-delete marker.</summary>
    public bool IsSoftDeleteMarker { get; internal init; }

    /// <summary>The column default in the schema, as SQL (<c>HasDefaultValueSql</c>), or <see langword="null"/>.</summary>
    public string? DefaultSql { get; internal init; }

    /// <summary>The column type declared with <c>HasColumnType</c>, exactly as written; <see langword="null"/> when the dialect chooses it.</summary>
    public string? ColumnType { get; internal init; }

    /// <summary>Whether a <see cref="DateTime"/> holds UTC instants (<c>StoredAsUtc</c>): written only with <see cref="DateTimeKind.Utc"/>, read back as UTC.</summary>
    public bool StoresUtc { get; internal init; }

    /// <summary>
    /// Whether a subtype of a table-per-hierarchy mapping declares this property: its column allows null in the shared table
    /// (rows of the other types leave it empty) while Premix still refuses null on write when the property is required.
    /// </summary>
    public bool IsDeclaredBySubtype { get; internal init; }

    /// <summary>Whether the column allows null in the schema.</summary>
    public bool ColumnAllowsNull => (!IsRequired || IsDeclaredBySubtype) && !IsKey;

    /// <inheritdoc />
    public override string ToString() => $"{Name} -> {Column}";
}
