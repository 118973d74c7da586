using System.Reflection;
using System.Runtime.CompilerServices;

namespace Premix.Mapping;

/// <summary>Turns one entity's declarations into an <see cref="EntityModel"/>, applying conventions and recording every problem found.</summary>
internal sealed class EntityModelFactory(EntityDraft draft, NamingConvention naming, IReadOnlySet<Type> mappedTypes, IReadOnlyDictionary<Type, ValueConverter> converters, List<MappingProblem> problems)
{
    private string Entity => draft.ClrType.Name;

    /// <summary>The model's options for JSON columns (<c>UseJsonSerializerOptions</c>), or <see langword="null"/> for System.Text.Json's defaults.</summary>
    public System.Text.Json.JsonSerializerOptions? JsonOptions { get; init; }

    /// <summary>Whether the chosen engine stores a type beyond <see cref="ScalarTypes"/> itself (PostgreSQL's ranges), or <see langword="null"/> when no engine is chosen.</summary>
    public Func<Type, bool>? EngineStores { get; init; }

    /// <summary>
    /// The nullable type of a value type (<c>decimal</c> gives <c>decimal?</c>) named by the generated model, or
    /// <see langword="null"/> when there is none; value-object members read through it while dynamic code is off.
    /// </summary>
    public Func<Type, Type?>? NullableOf { get; init; }

    // A subtype of a table-per-hierarchy mapping shares its base's table, key, version and soft delete, and inherits the
    // declarations of the mapped classes above it.
    private EntityDraft Root => draft.Root;

    public EntityModel Create()
    {
        var navigations = draft.Navigations();
        var key = Root.Key ?? ConventionalKey();
        if (key is null)
        {
            Problem(null, "has no key.", $"Declare one with e.HasKey(x => x.Id), or add a property named Id or {Entity}Id.");
            key = [];
        }

        var generated = Root.KeyGeneration ?? (key.Count == 1 && IsInteger(StoredType(key[0])) ? KeyGeneration.Generated : KeyGeneration.ClientAssigned);
        if (draft.Base is null)
        {
            CheckKey(key, generated);
        }

        var properties = new List<PropertyModel>();
        foreach (var property in DeclarationOrder.Of(draft.ClrType.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Select(Declared))
        {
            if (draft.OwnedOf(property) is { } owned && !draft.IsIgnored(property))
            {
                properties.AddRange(new OwnedMembers(owned, draft.ClrType, naming, mappedTypes, Check, (name, problem, fix) => problems.Add(new MappingProblem(Entity, name, problem, fix))) { NullableOf = NullableOf }.Create(!property.DeclaringType!.IsAssignableFrom(Root.ClrType)));
                continue;
            }

            var declared = draft.DeclaredOf(property);
            if (navigations.Contains(property) && declared?.Converter is not null)
            {
                Problem(property, "is a navigation (a relation), so HasConversion cannot apply to it: a conversion stores one column's value.", $"Remove HasConversion from {property.Name}, or convert the foreign key property instead.");
            }

            if (draft.IsIgnored(property) || navigations.Contains(property) || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var isKey = key.Contains(property);
            var isDiscriminator = property == Root.Discriminator?.Property;
            if (property.SetMethod is not { IsPublic: true } && declared is null && !isKey && !isDiscriminator && property != Root.Version && property != Root.SoftDelete)
            {
                continue; // computed, read-only properties are not columns by convention
            }

            if (Check(property, declared) is { } model)
            {
                properties.Add(new PropertyModel(property, declared?.Column ?? naming.Convert(property.Name), model.IsRequired)
                {
                    MaxLength = declared?.MaxLength,
                    Precision = declared?.Precision ?? 18,
                    Scale = declared?.Scale ?? 2,
                    Rounding = declared?.Rounding,
                    EnumStorage = model.StoredType.IsEnum ? declared?.EnumStorage ?? EnumStorage.Number : null,
                    EnumType = declared?.EnumTypeOf is { } enumType && (model.StoredType.IsEnum ? model.StoredType : EnumArrayElement(model)) is { } enumClr ? enumType(enumClr) : null,
                    CompositeType = declared?.CompositeTypeOf?.Invoke(model.StoredType, naming),
                    Converter = model.Converter,
                    ArrayElementType = model.Converter is null ? ArrayTypes.ElementType(model.StoredType) ?? (declared?.EnumTypeName is null ? null : ArrayTypes.EnumElementType(model.StoredType)) : null,
                    StoresJson = declared?.Json ?? false,
                    JsonOptions = declared is { Json: true } ? declared.JsonOptions ?? JsonOptions ?? JsonConversion.Defaults : null,
                    IsSensitive = declared?.Sensitive ?? false,
                    IsKey = isKey,
                    IsGenerated = isKey && generated == KeyGeneration.Generated,
                    IsVersion = property == Root.Version,
                    IsSoftDeleteMarker = property == Root.SoftDelete,
                    DefaultSql = declared?.DefaultSql,
                    ColumnType = declared?.ColumnType,
                    StoresUtc = declared?.StoresUtc ?? false,
                    IsDeclaredBySubtype = !property.DeclaringType!.IsAssignableFrom(Root.ClrType),
                });
            }
        }

        if (draft.Base is null)
        {
            CheckVersionAndSoftDelete();
        }

        FindShared(properties, p => p.Column, (key, names) => $"shares column '{key}' with another property ({names}).", "Give each property its own column with HasColumnName(...), or Ignore one of them.");
        // Drivers match a statement's parameter names ignoring case (MySqlConnector refuses the second; Npgsql, reading names,
        // bound the first's value to both), and a value object's member Money.Amount is bound as Money_Amount.
        FindShared(properties, p => p.ParameterName, (key, names) => $"is bound as statement parameter '{key}', which drivers cannot tell from another property's ({names}): they match parameter names ignoring case, and a value object's member Money.Amount is bound as Money_Amount.", "Rename one of the properties.");
        var table = Root.Table ?? naming.Convert(Root.ClrType.Name);
        return new EntityModel(draft.ClrType, table, Root.Schema, properties)
        {
            Indexes = draft.Base is null ? Indexes(table, properties) : [],
            UnmappedColumns = draft.Base is null ? UnmappedColumns(properties) : [],
            Rules = draft.Base is null ? draft.Rules.ToArray() : draft.Chain.Reverse().SelectMany(d => d.Rules).ToArray(),
            Hooks = draft.Base is null ? draft.Hooks : EntityHooks.Combine(draft.Chain.Reverse().Select(d => d.Hooks)),
            QueryFilters = QueryFilters.Of(Root, draft.Base is null ? problems : null), // a subtype's queries keep its base's filters
        };
    }

    // A property read from a subclass is another PropertyInfo than the one its declaring class's lambdas name
    // (x => x.Name on the base): declarations are keyed by the declaring class's, so the mapping takes that one.
    // The declaring class is found by walking up from the entity class, whose public properties (inherited ones included)
    // trimming keeps, rather than through PropertyInfo.DeclaringType, which carries no such guarantee.
    private PropertyInfo Declared(PropertyInfo property)
    {
        if (property.ReflectedType == property.DeclaringType)
        {
            return property;
        }

        var type = draft.ClrType.BaseType;
        while (type is not null && type != property.DeclaringType)
        {
            type = type.BaseType;
        }

        return type?.GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly) ?? property;
    }

    private List<string> UnmappedColumns(List<PropertyModel> properties)
    {
        var columns = new List<string>();
        foreach (var column in draft.UnmappedColumns)
        {
            if (properties.FirstOrDefault(p => string.Equals(p.Column, column, StringComparison.OrdinalIgnoreCase)) is { } mapped)
            {
                Problem(mapped.Property, $"maps the column {column}, which HasUnmappedColumn(\"{column}\") declares unmapped.", $"Remove HasUnmappedColumn(\"{column}\"), or Ignore({mapped.Name}).");
            }
            else if (!columns.Contains(column, StringComparer.OrdinalIgnoreCase))
            {
                columns.Add(column);
            }
        }

        return columns;
    }

    private List<IndexModel> Indexes(string table, List<PropertyModel> properties)
    {
        var indexes = new List<IndexModel>();
        foreach (var index in draft.Indexes.Where(i => i.Properties.Count > 0))
        {
            var columns = index.Properties.Select(p => properties.FirstOrDefault(m => m.Property == p)).ToList();
            if (columns.IndexOf(null) is var missing and >= 0)
            {
                Problem(index.Properties[missing], "is indexed (HasIndex) but is not a mapped column.", $"Index mapped properties only, or stop ignoring {index.Properties[missing].Name}.");
                continue;
            }

            var name = index.Name ?? $"{(index.IsUnique ? "ux" : "ix")}_{table}_{string.Join("_", columns.Select(c => c!.Column))}";
            if (indexes.Any(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                Problem(index.Properties[0], $"declares a second index named {name}.", "Give one of them another name with HasName(...), or remove the duplicate.");
                continue;
            }

            indexes.Add(new IndexModel(name, columns!, index.IsUnique));
        }

        return indexes;
    }

    private List<PropertyInfo>? ConventionalKey()
    {
        var property = Root.ClrType.GetProperty("Id", BindingFlags.Public | BindingFlags.Instance)
            ?? Root.ClrType.GetProperty(Root.ClrType.Name + "Id", BindingFlags.Public | BindingFlags.Instance);
        return property is null ? null : [Declared(property)];
    }

    private void CheckKey(List<PropertyInfo> key, KeyGeneration generation)
    {
        foreach (var property in key)
        {
            if (Nullable.GetUnderlyingType(property.PropertyType) is not null)
            {
                Problem(property, "is a key but its type is nullable.", $"Make it {Nullable.GetUnderlyingType(property.PropertyType)!.Name}, not {Nullable.GetUnderlyingType(property.PropertyType)!.Name}?.");
            }
        }

        if (generation == KeyGeneration.Generated && key.Count > 1)
        {
            Problem(null, "has a composite key marked as generated; a database generates only single-column keys.", "Call IsClientAssigned() on the composite key.");
        }
        else if (generation == KeyGeneration.Generated && key.Count == 1 && !IsInteger(StoredType(key[0])))
        {
            Problem(key[0], $"is a generated key of type {StoredType(key[0]).Name}; databases generate only integer keys (byte, short, int, long).", "Use an integer type, or call IsClientAssigned() and set the key in code (for example Guid.NewGuid()).");
        }
    }

    // Rating for a Rating[] or List<Rating?> property (an array of a database enum type), else null.
    private static Type? EnumArrayElement((Type StoredType, bool IsRequired, ValueConverter? Converter) model) =>
        model.Converter is null && ArrayTypes.EnumElementType(model.StoredType) is { } element ? Nullable.GetUnderlyingType(element) ?? element : null;

    private (Type StoredType, bool IsRequired, ValueConverter? Converter)? Check(PropertyInfo property, PropertyDraft? declared) => Check(property, declared, property.Name, needsSetter: true, allowArrays: true);

    // A member of a value object: an array there is not mapped (only an entity's own properties are array columns).
    private (Type StoredType, bool IsRequired, ValueConverter? Converter)? Check(PropertyInfo property, PropertyDraft? declared, string name, bool needsSetter) =>
        Check(property, declared, name, needsSetter, allowArrays: false);

    // name: how messages name the property (Money.Amount for a value object's member); needsSetter: false for a member a constructor sets.
    private (Type StoredType, bool IsRequired, ValueConverter? Converter)? Check(PropertyInfo property, PropertyDraft? declared, string name, bool needsSetter, bool allowArrays)
    {
        void Problem(PropertyInfo? _, string problem, string fix) => problems.Add(new MappingProblem(Entity, name, problem, fix));
        var type = property.PropertyType;
        var converter = declared?.JsonConverter is { } json ? json(Nullable.GetUnderlyingType(type) ?? type, declared.JsonOptions ?? JsonOptions ?? JsonConversion.Defaults) : declared?.Converter ?? ConverterOf(property);
        if (declared is { Json: true, Converter: not null })
        {
            Problem(property, "has both StoredAsJson and HasConversion; a column stores one of them.", "Keep StoredAsJson() to store the value as JSON, or HasConversion(...) to store a converted value.");
        }

        if (declared?.CompositeTypeName is not null && converter is null)
        {
            return (Nullable.GetUnderlyingType(type) ?? type, declared.Required ?? false, null); // the engine check says whether it stores composites
        }

        // Rating[] is an array column of a database enum type's array (rating[]); stored as numbers or names it would be none.
        var enumArray = allowArrays && converter is null && ArrayTypes.EnumElementType(type) is not null;
        if (enumArray && declared?.EnumStorage != EnumStorage.EnumType)
        {
            var element = Nullable.GetUnderlyingType(ArrayTypes.EnumElementType(type)!) ?? ArrayTypes.EnumElementType(type)!;
            var enumType = NamingConvention.SnakeCase.Convert(element.Name);
            Problem(property, $"is a collection of the enum {element.Name}, which a column stores only as an array of a database enum type ({enumType}[] on PostgreSQL), not as numbers or names.",
                $"Map it StoredAsEnumType(\"{enumType}\") on PostgreSQL, StoredAsJson() to keep the values as one JSON document on any engine, or Ignore(x => x.{property.Name}).");
            return null;
        }

        if (converter is null && !ScalarTypes.IsSupported(type) && EngineStores?.Invoke(Nullable.GetUnderlyingType(type) ?? type) != true
            && !(allowArrays && (ArrayTypes.ElementType(type) is not null || enumArray)))
        {
            if (!RuntimeFeature.IsDynamicCodeSupported && ValueConverters.IdValue(Nullable.GetUnderlyingType(type) ?? type) is { } id)
            {
                var idType = Nullable.GetUnderlyingType(type) ?? type;
                Problem(property, $"has type {TypeName(type)}, a strongly typed id, which is converted by convention only while dynamic code is on, and {DynamicCode.Off}.",
                    $"Register its converter where Premix is configured with {IdRegistration.Call(idType, id.PropertyType)}, which makes nothing at run time, or {DynamicCode.TurnOn}.");
                return null;
            }

            Problem(property, UnsupportedTypeFix.IsPostgreSqlType(type) ? $"has type {TypeName(type)}, a PostgreSQL type, which this database cannot store in a column." : $"has type {TypeName(type)}, which no provider can store in a column.", UnsupportedTypeFix.For(draft.ClrType, property, mappedTypes, RuntimeFeature.IsDynamicCodeSupported));
            return null;
        }

        if (converter is not null && CheckConverter(property, converter, name) is false)
        {
            return null;
        }

        if (property.SetMethod is null && needsSetter)
        {
            Problem(property, "has no setter, so Premix cannot load it.", "Add a setter (it may be private or init), or Ignore it.");
        }

        var valueType = converter?.ProviderType ?? Nullable.GetUnderlyingType(type) ?? type;
        if (declared?.MaxLength is not null && valueType != typeof(string) && valueType != typeof(byte[]))
        {
            Problem(property, $"has HasMaxLength but is a {valueType.Name}.", "Use HasMaxLength only on string or byte[] properties.");
        }

        if (declared?.Precision is not null && valueType != typeof(decimal))
        {
            Problem(property, $"has HasPrecision but is a {valueType.Name}.", "Use HasPrecision only on decimal properties.");
        }

        if (declared?.Rounding is not null && valueType != typeof(decimal))
        {
            Problem(property, $"has Rounding but is a {valueType.Name}.", "Use Rounding only on decimal properties.");
        }

        if (declared?.EnumStorage is not null && !valueType.IsEnum && !(enumArray && declared.EnumStorage == EnumStorage.EnumType))
        {
            Problem(property, $"is stored as text/number but is a {valueType.Name}, not an enum.", "Use StoredAsText()/StoredAsNumber()/StoredAsEnumType(...) only on enum properties.");
        }

        if (declared?.StoresUtc == true && valueType != typeof(DateTime))
        {
            Problem(property, $"is stored as UTC (StoredAsUtc) but is a {valueType.Name}, not a DateTime.", "Use StoredAsUtc() only on DateTime properties; a DateTimeOffset carries its instant already.");
        }

        var nullable = !type.IsValueType ? ReferenceNullability.ReadState(property) != NullabilityState.NotNull : Nullable.GetUnderlyingType(type) is not null;
        return (valueType, declared?.Required ?? !nullable, converter);
    }

    // The mapping's HasConversion, else the model's registry, else a convention (strongly typed ids, Uri).
    private ValueConverter? ConverterOf(PropertyInfo property)
    {
        var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return draft.DeclaredOf(property)?.Converter ?? converters.GetValueOrDefault(valueType) ?? ValueConverters.ByConvention(valueType);
    }

    private Type StoredType(PropertyInfo property) =>
        ConverterOf(property)?.ProviderType ?? Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;

    private bool CheckConverter(PropertyInfo property, ValueConverter converter, string name)
    {
        void Problem(PropertyInfo? _, string problem, string fix) => problems.Add(new MappingProblem(Entity, name, problem, fix));
        var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var ok = true;
        if (converter.ModelType != valueType)
        {
            Problem(property, $"has type {TypeName(property.PropertyType)}, but its conversion converts {TypeName(converter.ModelType)} values.", $"Give HasConversion a conversion of {TypeName(valueType)} (a nullable property's conversion takes the value without Nullable: (CustomerId id) => id.Value).");
            ok = false;
        }

        if (Nullable.GetUnderlyingType(converter.ProviderType) is not null || !ScalarTypes.IsSupported(converter.ProviderType))
        {
            Problem(property, $"is converted to {TypeName(converter.ProviderType)}, which no provider can store in a column.", $"Convert to one of the stored types ({ScalarTypes.Describe()}), without Nullable: a null property is stored as NULL without the conversion.");
            ok = false;
        }

        foreach (var (direction, conversion) in new[] { ("to", converter.ToProvider), ("from", converter.FromProvider) })
        {
            if (UndeclaredParameters.In(conversion) is { } undeclared)
            {
                Problem(property, $"has a conversion {direction} {TypeName(converter.ProviderType)} that uses the parameter '{undeclared.Name}' of type {TypeName(undeclared.Type)}, which it does not declare, so it cannot be compiled.", $"Build the conversion's body from its own parameter (Expression.Lambda(body, parameter) with the parameter the body uses), or write it as a lambda: {(direction == "to" ? "id => id.Value" : "v => new CustomerId(v)")}.");
                ok = false;
            }
        }

        if (property == draft.Version || property == draft.SoftDelete)
        {
            Problem(property, $"is the {(property == draft.Version ? "version" : "soft-delete marker")} and has a conversion; Premix sets and compares those values itself.", "Use a plain int or long version, or a bool, DateTime? or DateTimeOffset? soft-delete marker, without HasConversion.");
            ok = false;
        }

        return ok;
    }

    private void CheckVersionAndSoftDelete()
    {
        if (draft.Version is { } version && version.PropertyType != typeof(int) && version.PropertyType != typeof(long))
        {
            Problem(version, $"is the version but has type {TypeName(version.PropertyType)}.", "Use an int or long property for Version(...).");
        }

        if (draft.SoftDelete is { } marker && marker.PropertyType != typeof(bool) && marker.PropertyType != typeof(DateTime?) && marker.PropertyType != typeof(DateTimeOffset?))
        {
            Problem(marker, $"is the soft-delete marker but has type {TypeName(marker.PropertyType)}.", "Use a bool, DateTime? or DateTimeOffset? property for SoftDelete(...).");
        }
    }

    // Properties whose keys (their columns, their parameter names) are equal ignoring case: one problem per group.
    private void FindShared(List<PropertyModel> properties, Func<PropertyModel, string> keyOf, Func<string, string, string> problem, string fix)
    {
        var keys = new HashSet<string>(properties.Count, StringComparer.OrdinalIgnoreCase);
        var shared = false;
        foreach (var property in properties)
        {
            shared |= !keys.Add(keyOf(property));
        }

        if (!shared)
        {
            return; // the usual case, without grouping (LINQ's grouping types are loaded only to report a problem)
        }

        foreach (var group in properties.GroupBy(keyOf, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var names = string.Join(" and ", group.Select(p => p.Name));
            problems.Add(new MappingProblem(Entity, group.First().Name, problem(group.Key, names), fix));
        }
    }

    private void Problem(PropertyInfo? property, string problem, string fix) =>
        problems.Add(new MappingProblem(Entity, property?.Name, problem, fix));

    // Every width an engine generates: MySQL's TINYINT UNSIGNED AUTO_INCREMENT is a byte key.
    private static bool IsInteger(Type type) => type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte);

    internal static string TypeName(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? underlying.Name + "?"
        : type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;
}
