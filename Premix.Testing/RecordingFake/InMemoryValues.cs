using System.Globalization;

namespace Premix.Testing;

/// <summary>Where a LIKE pattern of StartsWith, EndsWith or Contains must match.</summary>
internal enum LikeAnchor
{
    Start,
    End,
    Anywhere,
}

/// <summary>How the fake compares two column values, as a database compares a column with a parameter.</summary>
internal static class InMemoryValues
{
    /// <summary>
    /// Orders two non-null values: text by <paramref name="text"/>, numbers (and enums) by value whatever their CLR types,
    /// anything else by its own ordering after converting the right value to the left one's type.
    /// </summary>
    public static int Compare(object left, object right, StringComparer text)
    {
        if (left is string a && right is string b)
        {
            return text.Compare(a, b);
        }

        if (IsNumber(left) && IsNumber(right))
        {
            return left is double or float || right is double or float
                ? Convert.ToDouble(Number(left), CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(Number(right), CultureInfo.InvariantCulture))
                : Convert.ToDecimal(Number(left), CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(Number(right), CultureInfo.InvariantCulture));
        }

        if (left is byte[] x && right is byte[] y)
        {
            return x.AsSpan().SequenceCompareTo(y); // bytes compare as unsigned bytes, as every engine compares blobs
        }

        var same = left.GetType() == right.GetType() ? right : Convert.ChangeType(right, left.GetType(), CultureInfo.InvariantCulture);
        return ((IComparable)left).CompareTo(same);
    }

    /// <summary>
    /// Whether <paramref name="value"/> matches a LIKE on <paramref name="pattern"/> taken literally (Premix escapes
    /// <c>%</c>, <c>_</c> and the escape character): a prefix, suffix or substring test under the engine's case rule.
    /// </summary>
    public static bool Like(string value, string pattern, FakeLikeCase likeCase, LikeAnchor anchor)
    {
        if (likeCase == FakeLikeCase.IgnoreAsciiCase)
        {
            (value, pattern) = (LowerAscii(value), LowerAscii(pattern));
        }

        var comparison = likeCase == FakeLikeCase.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return anchor switch
        {
            LikeAnchor.Start => value.StartsWith(pattern, comparison),
            LikeAnchor.End => value.EndsWith(pattern, comparison),
            _ => value.Contains(pattern, comparison),
        };
    }

    private static string LowerAscii(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = source[i];
            span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
    });

    private static bool IsNumber(object value) => value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal || value.GetType().IsEnum;

    private static object Number(object value) => value.GetType().IsEnum ? Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture) : value;
}
