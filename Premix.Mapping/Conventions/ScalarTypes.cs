namespace Premix.Mapping;

/// <summary>The CLR types every provider can store in a column (and their nullable forms).</summary>
public static class ScalarTypes
{
    private static readonly HashSet<Type> Supported =
    [
        typeof(bool), typeof(byte), typeof(short), typeof(int), typeof(long), typeof(decimal), typeof(double), typeof(float),
        typeof(string), typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly),
        typeof(TimeSpan), typeof(byte[]),
    ];

    /// <summary>Whether a property of <paramref name="type"/> can be mapped to a column.</summary>
    public static bool IsSupported(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var valueType = Nullable.GetUnderlyingType(type) ?? type;
        return valueType.IsEnum || Supported.Contains(valueType);
    }

    /// <summary>The list shown in error messages.</summary>
    internal static string Describe() =>
        "bool, byte, short, int, long, decimal, double, float, string, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan, byte[], enums, and their nullable forms";
}
