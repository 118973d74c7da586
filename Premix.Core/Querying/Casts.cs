using System.Reflection;

namespace Premix.Querying;

/// <summary>
/// A conversion node (<c>(int)x.Price</c>, <c>(long)id</c>) applied to a value without compiling it, with the result C#
/// gives: the conversion's method when the compiler named one (decimal's and user-defined operators; an
/// <c>ldtoken</c>ed method, so native AOT keeps it), else C#'s unchecked cast between primitive numbers (a fraction
/// truncated, an integer wrapped), an enum as its number and back. Convert.ChangeType would round 2.7 to 3 and throw
/// where C# wraps.
/// </summary>
internal static class Casts
{
    /// <summary><paramref name="value"/> converted to <paramref name="type"/> as <c>Expression.Convert(…, type, method)</c> would.</summary>
    /// <exception cref="InvalidOperationException">A null converted to a non-nullable value type, which the compiled conversion refuses too.</exception>
    public static object? Unchecked(object? value, Type type, MethodInfo? method)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is not null && method is not null)
        {
            return method.Invoke(null, [value]);
        }

        if (value is null)
        {
            // A lifted operator passes null on; one taking a reference (or a nullable) is called with it, as C# does.
            var result = method is not null && !IsNonNullableValueType(method.GetParameters()[0].ParameterType) ? method.Invoke(null, [null]) : null;
            return result is null && IsNonNullableValueType(type)
                ? throw new InvalidOperationException($"A null cannot be converted to {type.Name} (Nullable object must have a value).")
                : result;
        }

        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        var from = Type.GetTypeCode(value.GetType()); // an enum's code is its underlying number's
        var to = Type.GetTypeCode(target);
        if (!IsNumber(from) || !IsNumber(to))
        {
            return value; // a reference conversion: the value as it is
        }

        var number = from switch
        {
            TypeCode.Single or TypeCode.Double => FromDouble(System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), to),
            TypeCode.Decimal => FromDecimal((decimal)value, to),
            TypeCode.UInt64 => FromBits((ulong)value, signed: false, to),
            TypeCode.Byte or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.Char => FromBits(System.Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture), signed: false, to),
            _ => FromBits(unchecked((ulong)System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)), signed: true, to),
        };
        return target.IsEnum ? Enum.ToObject(target, number) : number;
    }

    private static bool IsNonNullableValueType(Type type) => type.IsValueType && Nullable.GetUnderlyingType(type) is null;

    private static bool IsNumber(TypeCode code) => code is >= TypeCode.Char and <= TypeCode.Decimal;

    // An integer's two's-complement bits cut to the target's width (C#'s unchecked narrowing), or widened by its sign.
    private static object FromBits(ulong bits, bool signed, TypeCode to) => to switch
    {
        TypeCode.SByte => unchecked((sbyte)bits),
        TypeCode.Byte => unchecked((byte)bits),
        TypeCode.Int16 => unchecked((short)bits),
        TypeCode.UInt16 => unchecked((ushort)bits),
        TypeCode.Char => unchecked((char)bits),
        TypeCode.Int32 => unchecked((int)bits),
        TypeCode.UInt32 => unchecked((uint)bits),
        TypeCode.Int64 => unchecked((long)bits),
        TypeCode.UInt64 => bits,
        TypeCode.Single => signed ? (float)unchecked((long)bits) : (float)bits,
        TypeCode.Double => signed ? (double)unchecked((long)bits) : (double)bits,
        _ => signed ? (decimal)unchecked((long)bits) : (decimal)bits,
    };

    // A float or double truncated toward zero into an integer, as the compiled conversion does.
    private static object FromDouble(double value, TypeCode to) => to switch
    {
        TypeCode.SByte => unchecked((sbyte)value),
        TypeCode.Byte => unchecked((byte)value),
        TypeCode.Int16 => unchecked((short)value),
        TypeCode.UInt16 => unchecked((ushort)value),
        TypeCode.Char => unchecked((char)value),
        TypeCode.Int32 => unchecked((int)value),
        TypeCode.UInt32 => unchecked((uint)value),
        TypeCode.Int64 => unchecked((long)value),
        TypeCode.UInt64 => unchecked((ulong)value),
        TypeCode.Single => (float)value,
        TypeCode.Double => value,
        _ => (decimal)value,
    };

    // Only reached for a tree built without decimal's operator method: decimal's explicit conversions, as C# calls them.
    private static object FromDecimal(decimal value, TypeCode to) => to switch
    {
        TypeCode.SByte => (sbyte)value,
        TypeCode.Byte => (byte)value,
        TypeCode.Int16 => (short)value,
        TypeCode.UInt16 => (ushort)value,
        TypeCode.Char => (char)value,
        TypeCode.Int32 => (int)value,
        TypeCode.UInt32 => (uint)value,
        TypeCode.Int64 => (long)value,
        TypeCode.UInt64 => (ulong)value,
        TypeCode.Single => (float)value,
        TypeCode.Double => (double)value,
        _ => value,
    };
}
