using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>Configures the column behind one property.</summary>
public class PropertyBuilder
{
    private readonly PropertyDraft _draft;

    internal PropertyBuilder(PropertyDraft draft) => _draft = draft;

    /// <summary>Names the column; by convention it is the property name under the model's naming convention.</summary>
    public PropertyBuilder HasColumnName(string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        _draft.Column = column;
        return this;
    }

    /// <summary>Marks the property as required (or not). By convention non-nullable types are required and nullable ones (<c>string?</c>, <c>int?</c>) are not.</summary>
    public PropertyBuilder IsRequired(bool required = true)
    {
        _draft.Required = required;
        return this;
    }

    /// <summary>Limits a <see cref="string"/> (in characters) or <see cref="T:byte[]"/> (in bytes); longer values are refused before they reach the database.</summary>
    public PropertyBuilder HasMaxLength(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        _draft.MaxLength = maxLength;
        return this;
    }

    /// <summary>
    /// Sets the precision and scale of a <see cref="decimal"/> column (the default is 18, 2). A value with more decimal places
    /// than the scale, or more digits before the point than precision minus scale, fails validation before any SQL, on every
    /// engine; <see cref="Rounding"/> rounds the decimal places instead.
    /// </summary>
    public PropertyBuilder HasPrecision(int precision, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(precision);
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, precision);
        _draft.Precision = precision;
        _draft.Scale = scale;
        return this;
    }

    /// <summary>
    /// Rounds a <see cref="decimal"/> with more decimal places than its column keeps (the scale of <see cref="HasPrecision"/>,
    /// or of a <c>decimal(p,s)</c> named with <see cref="HasColumnType"/>) to that scale, by <paramref name="mode"/>, instead of
    /// refusing it: the same rounded value is written on every engine, and the property holds it once the commit succeeds
    /// (a failed commit puts the unrounded value back). Values set by <c>UpdateAllAsync</c> are rounded alike. Too many
    /// digits before the point are still refused. Without it, a value with too many decimal places fails validation.
    /// </summary>
    /// <param name="mode">How a value halfway between two roundings is rounded: <see cref="MidpointRounding.ToEven"/>
    /// (banker's rounding), <see cref="MidpointRounding.AwayFromZero"/> (as PostgreSQL and MySQL round), or a directed mode.</param>
    public PropertyBuilder Rounding(MidpointRounding mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a MidpointRounding mode.");
        }

        _draft.Rounding = mode;
        return this;
    }

    /// <summary>
    /// Gives the column a default in the schema Premix creates, as an SQL expression written for your engine
    /// (<c>"CURRENT_TIMESTAMP"</c>, <c>"0"</c>, <c>"'new'"</c>). It is schema only: Premix still writes the property's value on insert.
    /// </summary>
    public PropertyBuilder HasDefaultValueSql(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        _draft.DefaultSql = sql;
        return this;
    }

    /// <summary>
    /// Names the column's type as your engine spells it (<c>"timestamptz"</c>, <c>"citext"</c>, <c>"DATETIME(3)"</c>), in place
    /// of the type Premix would choose: the schema sync creates and compares that type, and values are sent as it needs
    /// (a <see cref="DateTime"/> on PostgreSQL's <c>timestamp with time zone</c> is sent as a UTC instant, see docs/types.md).
    /// A date-time type that cannot keep the property's values faithfully is a startup <see cref="MappingException"/>.
    /// </summary>
    public PropertyBuilder HasColumnType(string columnType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(columnType);
        _draft.ColumnType = columnType.Trim();
        return this;
    }

    /// <summary>
    /// Stores a <see cref="DateTime"/> as a UTC instant on every engine: <c>timestamp with time zone</c> on PostgreSQL (unless
    /// <see cref="HasColumnType"/> names another timestamp type), UTC wall-clock time in MySQL's <c>DATETIME(6)</c> and
    /// SQLite's text. Only values with <see cref="DateTimeKind.Utc"/> are written (any other kind fails validation before
    /// SQL is sent, and as a query value) and values read come back with <see cref="DateTimeKind.Utc"/>.
    /// </summary>
    public PropertyBuilder StoredAsUtc()
    {
        _draft.StoresUtc = true;
        return this;
    }

    /// <summary>Marks the column as holding personal or secret data: its values show as <c>***</c> in logs, traces and messages.</summary>
    public PropertyBuilder Sensitive()
    {
        _draft.Sensitive = true;
        return this;
    }

    /// <summary>Stores an enum by its name instead of its number, so the data stays readable and survives reordering of members.</summary>
    public PropertyBuilder StoredAsText()
    {
        _draft.EnumStorage = EnumStorage.Text;
        _draft.EnumTypeName = null;
        _draft.EnumTypeOf = null;
        return this;
    }

    /// <summary>
    /// Stores the property as a JSON document serialized with System.Text.Json: <c>jsonb</c> on PostgreSQL, <c>JSON</c> on
    /// MySQL/MariaDB, <c>TEXT</c> on SQLite. Changes are tracked by the serialized text (a member changed in place is seen),
    /// and <c>Where(x =&gt; x.Address.City == "Oslo")</c> compares a member inside the document.
    /// </summary>
    /// <param name="options">The serializer options for this property; <see langword="null"/>: the model's
    /// (<c>UseJsonSerializerOptions</c>), else System.Text.Json's defaults.</param>
    [RequiresUnreferencedCode(JsonConversion.TrimmingMessage)]
    [RequiresDynamicCode(JsonConversion.TrimmingMessage)]
    public PropertyBuilder StoredAsJson(System.Text.Json.JsonSerializerOptions? options = null)
    {
        _draft.JsonConverter = JsonConversion.For;
        _draft.JsonOptions = options;
        return this;
    }

    /// <summary>
    /// Stores the property as a JSON document as <see cref="StoredAsJson(System.Text.Json.JsonSerializerOptions?)"/> does,
    /// serialized through the metadata System.Text.Json's source generator wrote (a <c>JsonSerializerContext</c>'s property,
    /// <c>ShopJson.Default.Address</c>): no reflection-based serializer, so a trimmed or native AOT application gets no
    /// warning here. The metadata's options name the members in the stored text and in <c>Where</c>.
    /// </summary>
    /// <typeparam name="T">The property's type (without <c>?</c>); another type is a mapping problem at startup.</typeparam>
    /// <param name="typeInfo">The generated metadata of <typeparamref name="T"/>.</param>
    public PropertyBuilder StoredAsJson<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        _draft.JsonConverter = (_, _) => JsonConversion.For(typeInfo); // its type is checked against the property's as a conversion's
        _draft.JsonOptions = typeInfo.Options;
        return this;
    }

    /// <summary>Stores an enum by its underlying number (the default).</summary>
    public PropertyBuilder StoredAsNumber()
    {
        _draft.EnumStorage = EnumStorage.Number;
        _draft.EnumTypeName = null;
        _draft.EnumTypeOf = null;
        return this;
    }

    /// <summary>
    /// Stores an enum as an enum type of the database named <paramref name="typeName"/>, whose labels are the members' names
    /// in snake_case (<c>VeryHappy</c> gives <c>very_happy</c>) or the label a member's <see cref="EnumLabelAttribute"/> names
    /// (<c>[EnumLabel("PG-13")]</c>): on PostgreSQL the type <c>CREATE TYPE mood AS ENUM (...)</c>,
    /// which sync creates and extends; on MySQL/MariaDB an <c>ENUM('happy', 'very_happy')</c> column; on SQLite text.
    /// </summary>
    /// <param name="typeName">The type's name in the database, for example <c>mood</c>.</param>
    public PropertyBuilder StoredAsEnumType(string typeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        _draft.EnumStorage = EnumStorage.EnumType;
        _draft.EnumTypeName = typeName;
        _draft.EnumTypeOf = clrType => new DatabaseEnum(typeName, clrType);
        return this;
    }

    /// <summary>
    /// Stores a class or record as a PostgreSQL composite type named <paramref name="typeName"/>, one attribute per public
    /// read-write property (named by the naming convention): sync creates <c>CREATE TYPE address AS (street text, ...)</c>,
    /// and the provider registers the type with Npgsql. PostgreSQL only: other engines refuse it at startup (use
    /// <c>Owns(...)</c> or <c>StoredAsJson()</c> there).
    /// </summary>
    /// <param name="typeName">The type's name in the database, for example <c>address</c>.</param>
    [RequiresUnreferencedCode(DatabaseComposite.TrimmingMessage)]
    public PropertyBuilder StoredAsCompositeType(string typeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        _draft.CompositeTypeName = typeName;
        _draft.CompositeTypeOf = (clrType, naming) => DatabaseComposite.Read(typeName, clrType, naming);
        return this;
    }

    /// <summary>
    /// Stores the property through a conversion (<c>HasConversion((CustomerId id) =&gt; id.Value, v =&gt; new CustomerId(v))</c>):
    /// the column holds <typeparamref name="TProvider"/> values, and every rule on them (length, decimal digits, DateTime
    /// kinds) is that type's. Reads, writes, keys, change detection and query values all pass through it; a nullable
    /// property's null stays an SQL NULL and never reaches the conversion.
    /// </summary>
    /// <typeparam name="TModel">The property's type, without <see cref="Nullable{T}"/>.</typeparam>
    /// <typeparam name="TProvider">The stored type, one Premix can store (checked at startup).</typeparam>
    public PropertyBuilder HasConversion<TModel, TProvider>(Expression<Func<TModel, TProvider>> toProvider, Expression<Func<TProvider, TModel>> fromProvider) =>
        HasConversion(new ValueConverter<TModel, TProvider>(toProvider, fromProvider));

    /// <summary>Stores the property through <paramref name="converter"/>, a built-in of <see cref="ValueConverters"/> or your own.</summary>
    [DynamicDependency(nameof(DecimalOperators.Keep), typeof(DecimalOperators))]
    public PropertyBuilder HasConversion(ValueConverter converter)
    {
        ArgumentNullException.ThrowIfNull(converter);
        _draft.Converter = converter;
        return this;
    }
}

/// <summary>Configures the column behind one property of type <typeparamref name="TProperty"/>.</summary>
/// <typeparam name="TProperty">The property's type, which the conversion's lambdas take without being spelled out.</typeparam>
public sealed class PropertyBuilder<TProperty> : PropertyBuilder
{
    internal PropertyBuilder(PropertyDraft draft)
        : base(draft)
    {
    }

    /// <summary>
    /// Stores the property through a conversion: <c>e.Property(x =&gt; x.Id).HasConversion(id =&gt; id.Value, v =&gt; new CustomerId(v))</c>.
    /// A conversion never sees a null, so for a nullable property give it the type without <c>?</c>: spell out the lambda's
    /// parameter type for a nullable struct (<c>(CustomerId id) =&gt; id.Value</c>), and pass a
    /// <c>new ValueConverter&lt;EmailAddress, string&gt;(...)</c> for a nullable class.
    /// </summary>
    /// <typeparam name="TProvider">The stored type, one Premix can store (checked at startup).</typeparam>
    public PropertyBuilder HasConversion<TProvider>(Expression<Func<TProperty, TProvider>> toProvider, Expression<Func<TProvider, TProperty>> fromProvider) =>
        HasConversion(new ValueConverter<TProperty, TProvider>(toProvider, fromProvider));
}
