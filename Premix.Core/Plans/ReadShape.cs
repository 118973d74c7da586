using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// How a property's column is read and checked, as one text: the facts generated code hard-codes (the stored type and so the
/// reader's getter, an enum's storage, a <see cref="DateTime"/> column's UTC or wall-clock rule, whether NULL is allowed) and
/// those the value checks depend on (the column type, with its digits or length, and the rounding). The generator records it
/// per property and the start compares it, so a mapping change that leaves the SQL as it was still fails the start.
/// </summary>
internal static class ReadShape
{
    /// <summary>The read shape of <paramref name="property"/> on <paramref name="dialect"/>'s engine.</summary>
    public static string Of(PropertyModel property, ISqlDialect dialect)
    {
        var parts = new List<string> { $"stored as {property.StoredType.FullName ?? property.StoredType.Name}", $"column type {dialect.ColumnType(property)}" };
        if (property.EnumStorage is { } storage)
        {
            parts.Add($"enum as {storage}");
        }

        if (DateTimeColumn.For(property, dialect) is { } rule)
        {
            parts.Add(rule.HoldsUtc ? "UTC instants" : "wall clock");
        }

        if (property.Rounding is { } rounding)
        {
            parts.Add($"rounded {rounding}");
        }

        parts.Add(property.IsRequired ? "required" : "optional");
        return string.Join(", ", parts);
    }
}
