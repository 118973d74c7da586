using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// The digits a decimal column keeps: at most <c>scale</c> decimal places and <c>precision - scale</c> digits before the
/// point, from <c>HasPrecision</c> (18, 2 by default) or from a <c>decimal(p,s)</c>/<c>numeric(p,s)</c> named with
/// <c>HasColumnType</c> (a bare <c>decimal</c> has the engine's digits, see <see cref="StoredValueLimits.BareDecimalDigits"/>). Checked on every engine alike: PostgreSQL and MySQL would round the places silently and refuse
/// the digits with an error naming neither property nor rule, and SQLite, which keeps decimals as text, would keep both.
/// With <c>Rounding(...)</c> the places are rounded instead, by the mode declared.
/// </summary>
internal sealed partial class DecimalDigits : ColumnValueRule
{
    private readonly int _precision;
    private readonly int _scale; // as declared: the digits a value may have, and what a message says
    private readonly int _roundingScale; // the places a decimal can be rounded to: the scale, at most 28
    private readonly decimal _limit; // 10^(precision - scale), the first value with too many digits; 0 when no decimal reaches it
    private readonly string _digits; // how the mapping declared them, for messages
    private Func<object, decimal?>? _read; // a stand-in until its first call (LazyDelegates.Resolved)

    private DecimalDigits(PropertyModel property, (int Precision, int Scale, string Declared) digits, GeneratedPropertyAccessors? generated)
        : base(property, typeof(decimal), generated)
    {
        (_precision, _scale, _digits) = digits;
        _roundingScale = Math.Min(_scale, 28); // a decimal never has more places
        _limit = _precision - _scale is var whole and < 29 ? Power(whole) : 0m;
        Rounding = property.Rounding;
        if (Rounding is not null && generated is not null)
        {
            // A converted property is rounded as its stored value, and set back through the generated conversion.
            var get = property.Converter is null ? generated.Getter() : generated.StoredGetter();
            _read = entity => (decimal?)LazyDelegates.Resolved(ref get)(entity); // the closure keeps the real getter after its first call
            Set = property.Converter is null ? generated.Setter() : generated.StoredSetter();
        }
        else if (Rounding is not null && RuntimeFeature.IsDynamicCodeSupported)
        {
            var entity = Expression.Parameter(typeof(object), "entity");
            var read = PropertyAccessors.ReadStored(property, Expression.Convert(entity, PropertyAccessors.EntityType(property)));
            _read = LazyDelegates.Compiled(Expression.Lambda<Func<object, decimal?>>(Expression.Convert(read, typeof(decimal?)), entity));
            Set = PropertyAccessors.StoredSetter(property);
        }
        else if (Rounding is not null)
        {
            // Dynamic code is off (the AOT compiler drops the branch above): only a binding of a feature refused there lacks
            // generated accessors.
            _read = _ => throw NativeAotPlans.NotGenerated(property);
            Set = (_, _) => throw NativeAotPlans.NotGenerated(property);
        }
    }

    /// <summary>How values are rounded to the column's scale before they are checked and written; <see langword="null"/>: they are not.</summary>
    public MidpointRounding? Rounding { get; }

    /// <summary>Sets the property to its rounded value (with <see cref="Rounding"/> only).</summary>
    public Action<object, object?>? Set { get; }

    /// <summary>The rule of a decimal property, or <see langword="null"/> when its column keeps any decimal or its digits are unknown.</summary>
    public static DecimalDigits? ForColumn(PropertyModel property, StoredValueLimits engine, GeneratedPropertyAccessors? generated = null) =>
        DigitsOf(property, engine) is { } digits ? new DecimalDigits(property, digits, generated) : null;

    /// <summary>
    /// Rounding on a column whose digits Premix cannot tell (a type such as <c>money</c>, a bare <c>numeric</c> that keeps
    /// any decimal): there is no scale to round to, so the mapping is refused at startup rather than rounded by a guess.
    /// </summary>
    public static (string Problem, string Fix)? MappingProblem(PropertyModel property, StoredValueLimits engine) =>
        property.Rounding is not null && property.StoredType == typeof(decimal) && DigitsOf(property, engine) is null
            ? ($"has Rounding, but Premix cannot tell the digits of its column type {property.ColumnType} on {engine.Engine}, so there is no scale to round to.",
                "Name the digits, as in HasColumnType(\"numeric(18,2)\"), or remove Rounding.")
            : null;

    // The digits the column keeps and how the mapping declared them; null when they are not limited or not known.
    private static (int Precision, int Scale, string Declared)? DigitsOf(PropertyModel property, StoredValueLimits engine)
    {
        if (property.ColumnType is not { } type)
        {
            return (property.Precision, property.Scale, $"precision {property.Precision}, scale {property.Scale}");
        }

        if (DeclaredType().Match(type) is not { Success: true } declared)
        {
            return null;
        }

        if (declared.Groups["p"].Success)
        {
            return (Digits(declared.Groups["p"].Value), declared.Groups["s"].Success ? Digits(declared.Groups["s"].Value) : 0, $"column type {type}");
        }

        return engine.BareDecimalDigits is var (precision, scale)
            ? (precision, scale, $"column type {type}, which {engine.Engine} keeps as decimal({precision},{scale})")
            : null;
    }

    /// <summary>The property's value in <paramref name="entity"/> and its rounded value, boxed, when they differ; <see langword="null"/> otherwise.</summary>
    public (object Value, object Rounded)? RoundingOf(object entity)
    {
        if (LazyDelegates.Resolved(ref _read!)(entity) is not { } value)
        {
            return null;
        }

        var rounded = Round(value);
        return rounded == value ? null : (value, rounded);
    }

    /// <summary>A value set by <c>UpdateAllAsync</c>, rounded (with <see cref="Rounding"/> only).</summary>
    public object Round(object value) => Round((decimal)value);

    public override string? BrokenValue(object value) => Check((decimal)value);

    // Fast when the value fits: a comparison, and a rounding only when the value shows more places than the scale.
    internal string? Check(decimal value)
    {
        if (_limit != 0m && Math.Abs(value) >= _limit)
        {
            return $"is {Shown(value)}{(Rounding is null ? string.Empty : " once rounded")}, with {(IsSensitive ? "too many digits" : Count(IntegerDigits(value), "digit"))} before the decimal point; the column keeps {_precision - _scale} ({_digits}). "
                + "Declare a larger precision, and widen the column to match.";
        }

        if (value.Scale > _scale && decimal.Round(value, _roundingScale) != value)
        {
            return $"is {Shown(value)}, with {(IsSensitive ? "too many decimal places" : Count(Places(value), "decimal place"))}; the column keeps {_scale} ({_digits}). "
                + $"Round the value first, declare a larger scale, or let Premix round it with HasPrecision({_precision}, {_scale}).Rounding(MidpointRounding.ToEven).";
        }

        return null;
    }

    private decimal Round(decimal value) => decimal.Round(value, _roundingScale, Rounding!.Value);

    private string Shown(decimal value) => IsSensitive ? "***" : value.ToString(CultureInfo.InvariantCulture);

    // The places a value has once trailing zeros are dropped (1.2300 has 2).
    private static int Places(decimal value)
    {
        var places = value.Scale;
        while (places > 0 && decimal.Round(value, places - 1) == value)
        {
            places--;
        }

        return places;
    }

    private static int IntegerDigits(decimal value)
    {
        var digits = 0;
        for (var whole = Math.Abs(decimal.Truncate(value)); whole >= 1m; whole = decimal.Truncate(whole / 10m))
        {
            digits++;
        }

        return digits;
    }

    private static decimal Power(int exponent)
    {
        var power = 1m;
        for (var i = 0; i < exponent; i++)
        {
            power *= 10m;
        }

        return power;
    }

    private static string Count(int count, string unit) => $"{count} {unit}{(count == 1 ? string.Empty : "s")}";

    private static int Digits(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    // decimal(10,4), NUMERIC(10), dec(5, 2), a bare decimal: the standard spelling every engine shares. Any other declared type is the user's.
    [GeneratedRegex(@"^\s*(?:decimal|numeric|dec)\s*(?:\(\s*(?<p>\d{1,4})\s*(?:,\s*(?<s>\d{1,4})\s*)?\))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DeclaredType();
}
