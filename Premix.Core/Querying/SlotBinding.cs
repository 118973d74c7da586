using System.Collections;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// How one slot's value becomes a parameter: converted like the column it is compared with, or as a LIKE pattern, or as a
/// list for IN (bound as one parameter when the dialect gave a <paramref name="List"/> condition). A value compared with a
/// converted column goes through its converter first, unless it is compared with the converted value's own stored member
/// (<c>c.Id.Value == 5</c>: <paramref name="IsStored"/>).
/// </summary>
internal sealed record SlotBinding(ParameterBinding? Column, SlotKind Kind, Func<object, object>? Comparison = null, ListCondition? List = null, bool IsStored = false, ArrayElementCondition? Element = null)
{
    public bool IsSensitive => Column?.IsSensitive ?? false;

    /// <summary>What the parameter of a value compared with the column (or with its elements) needs besides its value (not a LIKE pattern's or a list's).</summary>
    public Action<System.Data.IDbDataParameter>? SetUp =>
        Kind == SlotKind.Element ? Element!.ParameterSetup
        : Kind is SlotKind.Value or SlotKind.Assigned && Comparison is null ? Column?.SetUp : null;

    public object? ToParameter(object? value) => Kind switch
    {
        SlotKind.StartsWith => LikePattern.Escape(Comparable((string)value!)) + "%",
        SlotKind.EndsWith => "%" + LikePattern.Escape(Comparable((string)value!)),
        SlotKind.Contains => "%" + LikePattern.Escape(Comparable((string)value!)) + "%",
        SlotKind.List => ToList((IEnumerable)value!),
        SlotKind.Element => Element!.ValueConversion is { } convert ? convert(value!) : value,
        _ => Convert(value),
    };

    // Nulls are left out: the SQL already says whether the list holds one.
    private ListValue ToList(IEnumerable list)
    {
        var values = new List<object>();
        foreach (var value in list)
        {
            if (value is not null)
            {
                values.Add(Convert(value)!);
            }
        }

        return new ListValue(values, List);
    }

    private object? Convert(object? value)
    {
        if (value is null || Column is null)
        {
            return value;
        }

        var type = Column.Property.ValueType;
        if (type.IsEnum && !type.IsInstanceOfType(value))
        {
            value = Enum.ToObject(type, value); // the compiler compared the enum as its number
        }

        value = Comparable(IsStored ? value : Column.ToStored(value)!);
        return Comparison is null ? Column.StoredToDatabase(value) : Comparison(value);
    }

    // A value the engine could not even receive (text that is not UTF-16, NaN where the engine has none) is refused with the
    // column's rule, rather than the driver's error or a silent U+FFFD. A value set by UpdateAllAsync was validated already.
    private T Comparable<T>(T value)
        where T : notnull =>
        Kind != SlotKind.Assigned && Column?.ValueRule?.NotComparable(value) is { } problem ? throw new ArgumentException(problem) : value;
}

/// <summary>What a slot's value means in the SQL.</summary>
internal enum SlotKind
{
    Value,

    /// <summary>The value a bulk update sets a column to, checked against the column's mapping before it is sent.</summary>
    Assigned,
    StartsWith,
    EndsWith,
    Contains,
    List,

    /// <summary>A value looked for in an array column (<c>x.Tags.Contains(tag)</c>), sent as one element.</summary>
    Element,
}

/// <summary>LIKE patterns with the wildcard characters of the value escaped, so a value matches only itself.</summary>
internal static class LikePattern
{
    /// <summary>The escape character: '!' needs no escaping in any engine's string literal (unlike '\' on MySQL).</summary>
    public const char EscapeCharacter = '!';

    public static string Escape(string value) =>
        value.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal);
}
