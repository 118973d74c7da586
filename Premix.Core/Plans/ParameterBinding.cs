using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>One parameter of a compiled statement: which property feeds it and how its value is sent. Built once per plan.</summary>
internal sealed class ParameterBinding
{
    // Not readonly: each holds a stand-in until its first call, then the compiled delegate (LazyDelegates.Resolved).
    private Func<object, object?> _read;
    private Func<object, object?> _readStored;
    private Func<object, object>? _toStored;
    private Func<object, object>? _fromStored;
    private readonly Func<object, object>? _convert;
    private Func<IReadOnlyList<object>, Array>? _buildArray;
    private readonly Action<IDbDataParameter>? _setUpArray;

    // For TypedReader, made on a bulk channel's first write rather than at start: the dialect, and whether the property can be
    // read typed (a generated model's converted property or value object's member is read boxed).
    private readonly ISqlDialect _dialect;
    private readonly bool _readsTyped;

    // Made once: how the driver matches the placeholder fastest (see ISqlDialect.ParameterName).
    private readonly string _boundName;

    /// <param name="property">The property that feeds the parameter.</param>
    /// <param name="dialect">The engine's dialect.</param>
    /// <param name="generated">The property's accessors from a generated model, used instead of compiled ones; <see langword="null"/>: compile them.</param>
    public ParameterBinding(PropertyModel property, ISqlDialect dialect, GeneratedPropertyAccessors? generated = null)
    {
        Property = property;
        Name = property.ParameterName; // Money.Amount, a value object's member, is bound as Money_Amount
        _boundName = dialect.ParameterName(Name);
        _read = generated?.Getter() ?? PropertyAccessors.Getter(property);
        // Without a converter or a value object the stored value is the value: one delegate serves both.
        // The compiled stored getter inlines the converter into an expression tree; with dynamic code off every entity's
        // plan has generated accessors (the start requires them), and the bindings made without (query translation's
        // composite, array and JSON members, table-per-hierarchy discriminators) are of features refused there.
        // A value object's member read by a generated getter (through the objects that hold it) is its stored value too.
        _readStored = property.Converter is null && (property.Owner is null || generated is not null) ? _read
            : generated?.StoredGetter() ?? (RuntimeFeature.IsDynamicCodeSupported ? PropertyAccessors.StoredGetter(property) : _ => throw NativeAotPlans.NotGenerated(property));
        if (property.Converter is { } converter)
        {
            // A generated model's conversions are its own code. Otherwise the converter's shared stand-in: resolved in this
            // field, it is the one delegate every binding of the converter calls.
            var shared = generated is null ? ConverterDelegates.Of(converter) : null;
            _toStored = generated?.ToStored() ?? shared!.ToStored;
            _fromStored = generated?.FromStored() ?? shared!.FromStored;
        }

        DateTimeRule = DateTimeColumn.For(property, dialect);
        var utc = DateTimeRule is { HoldsUtc: true } ? DateTimeRule : null;
        _convert = Compose(property, utc, dialect.ParameterConversion(property));
        _dialect = dialect;
        _readsTyped = generated is null || (property.Converter is null && property.Owner is null);
        SetUp = dialect.ParameterSetup(property);
        var canBeNull = !property.PropertyType.IsValueType || property.IsNullableValueType;
        ChecksMapping = (canBeNull && property.IsRequired && !property.IsGenerated) || property.MaxLength is not null || utc is not null;
        ValueRule = ColumnValueRule.For(property, dialect, generated);
        if (dialect is IArrayWriteDialect arrays && property.ArrayElementType is null) // an array column is never written from arrays (PlanCompiler)
        {
            var element = arrays.ArrayElementType(ColumnTypes.StorageType(property));
            // T?[] for a value that can be null, so a null needs no special case (the driver sends it as an SQL NULL).
            var nullable = canBeNull && element.IsValueType;
            var typedConvert = Typed(utc, arrays.ArrayElementConversion(property));
            var convert = _convert;
            // A generated model's converted property, or value object's member, is read through its generated stored-value
            // getter, not a compiled typed one.
            var generatedStored = generated is not null && (property.Converter is not null || property.Owner is not null);
            // Made on the first many-row write: with dynamic code by reflection, typed (no box per value); with it off (native
            // AOT, which makes no generic method or type at run time) from the stored values boxed, into the array type the
            // dialect names in code.
            var arrayType = RuntimeFeature.IsDynamicCodeSupported ? null : arrays.ArrayType(element, nullable);
            BindsArrays = RuntimeFeature.IsDynamicCodeSupported || arrayType is not null;
            _buildArray = LazyDelegates.OnFirstUse(() => RuntimeFeature.IsDynamicCodeSupported
                ? ColumnArrays.Builder(property, nullable ? typeof(Nullable<>).MakeGenericType(element) : element, convert, typedConvert, generatedStored ? LazyDelegates.Resolved(ref _readStored) : null)
                : ColumnArrays.Boxed(arrayType ?? throw ColumnArrays.NoArrayType(property, element), LazyDelegates.Resolved(ref _readStored), convert));
            _setUpArray = arrays.ArrayParameterSetup(property);
        }
    }

    /// <summary>
    /// Whether a many-row write can bind this column's values as one array parameter: with dynamic code always; with it off
    /// (native AOT) only as an array type the dialect names in code (<see cref="IArrayWriteDialect.ArrayType"/>).
    /// </summary>
    public bool BindsArrays { get; }

    /// <summary>The <see cref="DateTimeKind"/> rule of a <see cref="System.DateTime"/> column; <see langword="null"/> for other types.</summary>
    public DateTimeColumn? DateTimeRule { get; }

    public PropertyModel Property { get; }

    /// <summary>What a parameter of this column's values needs besides its value (<see cref="ISqlDialect.ParameterSetup"/>), or <see langword="null"/>.</summary>
    public Action<IDbDataParameter>? SetUp { get; }

    /// <summary>The name a statement's parameter of this column is bound under (the dialect's: with or without a prefix).</summary>
    public string BoundName => _boundName;

    /// <summary>The parameter name without prefix (the property name, always a valid identifier).</summary>
    public string Name { get; }

    public bool IsSensitive => Property.IsSensitive;

    /// <summary>Whether a write checks this property: by its mapping (<see cref="ChecksMapping"/>) or by what its column keeps (<see cref="ValueRule"/>).</summary>
    public bool IsValidated => ChecksMapping || ValueRule is not null;

    /// <summary>Whether the mapping gives the property's value a rule (required and able to be null, a maximum length, UTC instants).</summary>
    public bool ChecksMapping { get; }

    /// <summary>What the column keeps of the property's values on this engine (decimal digits, finite numbers, well-formed text); <see langword="null"/>: every value.</summary>
    public ColumnValueRule? ValueRule { get; }

    /// <summary>
    /// Adds this column's values of <paramref name="entities"/>, converted for the driver, as the one typed array
    /// parameter a many-row statement takes (only where the dialect writes rows from arrays, see <see cref="IArrayWriteDialect"/>).
    /// </summary>
    public void AddArrayTo(IDbCommand command, IReadOnlyList<object> entities)
    {
        var parameter = Fill(command.CreateParameter(), LazyDelegates.Resolved(ref _buildArray!)(entities));
        _setUpArray?.Invoke(parameter);
        command.Parameters.Add(parameter);
    }

    /// <summary>Reads the property of <paramref name="entity"/> and converts it for the driver.</summary>
    public object ReadFrom(object entity) => StoredToDatabase(LazyDelegates.Resolved(ref _readStored)(entity));

    /// <summary>
    /// A <c>Func&lt;object, T&gt;</c> that reads the property of an entity converted for the driver as <see cref="ReadFrom"/>
    /// does, but typed, with no box: for a column whose value is a struct that is never null (not an enum, not a value
    /// object's member) and whose conversion is known typed. <see langword="null"/>: read it with <see cref="ReadFrom"/>.
    /// Made by reflection, once per caller (a bulk channel's first write); with dynamic code off, always <see langword="null"/>.
    /// </summary>
    public Delegate? TypedReader()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported || !_readsTyped || Property.Owner is not null)
        {
            return null;
        }

        var valueType = PropertyAccessors.StoredPropertyType(Property);
        if (!valueType.IsValueType || valueType.IsEnum || Nullable.GetUnderlyingType(valueType) is not null)
        {
            return null;
        }

        // What a typed read of one value applies: the UTC check alone, or with the dialect's typed form of its conversion
        // (the one its array elements take); a conversion with no typed form is read boxed.
        var utc = DateTimeRule is { HoldsUtc: true } ? DateTimeRule : null;
        Delegate? convert;
        if (_dialect.ParameterConversion(Property) is null)
        {
            convert = Typed(utc, null);
        }
        else if (_dialect is IArrayWriteDialect arrays && Property.ArrayElementType is null && Property.CompositeType is null && arrays.ArrayElementConversion(Property) is { } typed)
        {
            convert = Typed(utc, typed);
        }
        else
        {
            return null;
        }

        return convert is null || convert.GetType().GetGenericArguments()[0] == valueType ? ColumnReaders.Typed(Property, valueType, convert) : null;
    }

    /// <summary>Reads the property of <paramref name="entity"/> as it is in the object.</summary>
    public object? ReadRaw(object entity) => LazyDelegates.Resolved(ref _read)(entity);

    /// <summary>Reads the property of <paramref name="entity"/> as its column stores it: through its converter, if it has one.</summary>
    public object? ReadStored(object entity) => LazyDelegates.Resolved(ref _readStored)(entity);

    /// <summary>
    /// Whether <see cref="ToDatabase"/> returns every value that is not null as it is: no converter, no value object, no
    /// conversion by the dialect.
    /// </summary>
    public bool SendsValuesAsTheyAre => _toStored is null && _convert is null && Property.Owner is null;

    /// <summary>Converts a value of the property's type (for example a key passed to GetAsync) for the driver.</summary>
    public object ToDatabase(object? value) => StoredToDatabase(ToStored(value));

    /// <summary>Converts a value of the property's type to the stored type (through the converter, if any); null stays null.</summary>
    public object? ToStored(object? value) => value is null || _toStored is null ? value : LazyDelegates.Resolved(ref _toStored!)(value);

    /// <summary>Converts a stored value (a key the database generated, say) to the property's type.</summary>
    public object FromStored(object value) => _fromStored is null ? value : LazyDelegates.Resolved(ref _fromStored!)(value);

    /// <summary>Converts a value of the stored type for the driver.</summary>
    public object StoredToDatabase(object? value) => value is null ? DBNull.Value : _convert is null ? value : _convert(value);

    public void AddTo(IDbCommand command, object value) => command.Parameters.Add(Fill(command.CreateParameter(), value));

    /// <summary>Adds <paramref name="value"/> without a name, for a positional placeholder (a many-row statement, see <see cref="RowListStatements"/>).</summary>
    public void AddPositional(System.Data.Common.DbParameterCollection parameters, System.Data.Common.DbParameter parameter, object value) => parameters.Add(Fill(parameter, value, string.Empty));

    public void AddTo(System.Data.Common.DbBatchCommand command, object value) => command.Parameters.Add(Fill(command.CreateParameter(), value));

    private IDbDataParameter Fill(IDbDataParameter parameter, object value, string? boundName = null)
    {
        parameter.ParameterName = boundName ?? _boundName;
        parameter.Value = value;
        SetUp?.Invoke(parameter);
        return parameter;
    }

    // The model's conversion (an enum to its stored form, the UTC check of a DateTime), then the dialect's.
    private static Func<object, object>? Compose(PropertyModel property, DateTimeColumn? utc, Func<object, object>? provider)
    {
        Func<object, object>? model = property.EnumStorage switch
        {
            EnumStorage.Text => value => value.ToString()!,
            EnumStorage.EnumType => property.EnumType!.Label,
            EnumStorage.Number => EnumNumber(ColumnTypes.EnumNumber(property.StoredType)),
            _ when EnumArrayColumns.Holds(property) => EnumArrayColumns.ToLabels(property),
            _ when utc is not null => utc.CheckBoxed,
            _ => null,
        };
        return (model, provider) switch
        {
            (null, _) => provider,
            (_, null) => model,
            _ => value => provider(model(value)),
        };
    }

    // An enum to the number its column stores (ColumnTypes.EnumNumber); a ulong one above long.MaxValue was refused before
    // SQL (UnsignedEnumRange), or by a query before it is sent.
    private static Func<object, object> EnumNumber(Type number) => value => System.Convert.ChangeType(value, number, CultureInfo.InvariantCulture);

    // The same for array elements, unboxed: the UTC check before the dialect's typed conversion of a DateTime.
    private static Delegate? Typed(DateTimeColumn? utc, Delegate? provider) => (utc, provider) switch
    {
        (null, _) => provider,
        (_, null) => (Func<DateTime, DateTime>)utc.Check,
        (_, Func<DateTime, DateTime> convert) => (Func<DateTime, DateTime>)(value => convert(utc.Check(value))),
        _ => throw new InvalidOperationException($"The dialect's typed conversion of DateTime array elements is a {provider.GetType()}; it must be a Func<DateTime, DateTime>."),
    };
}
