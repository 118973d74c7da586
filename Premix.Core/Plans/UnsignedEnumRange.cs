using System.Globalization;
using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// The values of an enum whose underlying type is <see cref="ulong"/>, stored as a number: its column is a signed 64-bit
/// integer on every engine (<see cref="ColumnTypes.EnumNumber"/>), which keeps the values up to <see cref="long.MaxValue"/>;
/// a larger one is refused before SQL instead of failing in the driver or being stored as another number.
/// </summary>
internal sealed class UnsignedEnumRange : ColumnValueRule
{
    private const string Fix = "Keep the enum's values at or below 9223372036854775807 (long.MaxValue), or store it by name with StoredAsText().";

    private readonly Type _enumType;

    private UnsignedEnumRange(PropertyModel property, GeneratedPropertyAccessors? generated)
        : base(property, typeof(ulong), generated) => _enumType = property.StoredType;

    /// <summary>The rule of an enum property stored as a number whose underlying type is <see cref="ulong"/>, or <see langword="null"/> for any other.</summary>
    public static UnsignedEnumRange? For(PropertyModel property, GeneratedPropertyAccessors? generated = null) =>
        property.EnumStorage == EnumStorage.Number && Enum.GetUnderlyingType(property.StoredType) == typeof(ulong) ? new UnsignedEnumRange(property, generated) : null;

    public override string? BrokenValue(object value) => Check(Convert.ToUInt64(value, CultureInfo.InvariantCulture));

    public override string? NotComparable(object value) =>
        Refused(Convert.ToUInt64(value, CultureInfo.InvariantCulture)) is { } shown ? $"{Name} cannot be compared with {shown}, {Kept}. {Fix}" : null;

    // Typed, so a commit's check boxes nothing (see ColumnValueRule.Broken).
    internal string? Check(ulong value) => Refused(value) is { } shown ? $"is {shown}, {Kept}. {Fix}" : null;

    private static string Kept => "above 9223372036854775807, the largest number its column (a signed 64-bit integer) keeps";

    // The value as a message shows it (its member's name, then its number) when the column cannot keep it; null when it can.
    private string? Refused(ulong value) =>
        value <= long.MaxValue ? null
        : IsSensitive ? "***"
        : $"{Enum.ToObject(_enumType, value)} ({value.ToString(CultureInfo.InvariantCulture)})";
}
