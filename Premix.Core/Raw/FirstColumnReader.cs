using System.Data.Common;
using System.Globalization;
using Premix.Execution;

namespace Premix;

/// <summary>
/// The first column of each row converted to <typeparamref name="T"/> from the driver's value, without Dapper: what raw
/// queries of a single value (<c>ScalarAs</c>, <c>FetchAs&lt;long&gt;</c>) read under native AOT, where Dapper's parsers
/// (code generated at run time) cannot run. A type of its own, so that a native binary never reaches Dapper's mappers.
/// </summary>
internal sealed class FirstColumnReader<T>(bool nullable) : RowReader
{
    private static readonly Type Target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);

    /// <summary>NULL read as <see langword="null"/> (what <c>ScalarAs</c> reads).</summary>
    public static FirstColumnReader<T> Scalar { get; } = new(nullable: true);

    /// <summary>NULL refused where <typeparamref name="T"/> cannot hold it (what <c>FetchAs</c> reads).</summary>
    public static FirstColumnReader<T> Rows { get; } = new(nullable: false);

    /// <summary>
    /// Whether <typeparamref name="T"/> is a class or record built from its members (a whole row), not a single value this
    /// reader converts. Here, not on <see cref="RawRowReader{T}"/>: reading it there would run that class's static
    /// initializer, which creates a reader, and so keep Dapper's parser in a native binary.
    /// </summary>
    public static bool IsObject => !typeof(T).IsValueType && typeof(T) != typeof(string) && typeof(T) != typeof(object) && typeof(T) != typeof(byte[]);

    public override Func<DbDataReader, object> Open(DbDataReader reader, string sql) => row => Convert(row.GetValue(0), nullable)!;

    /// <summary><paramref name="value"/> as <typeparamref name="T"/>, as Dapper's <c>Query&lt;T&gt;</c> converts a single value.</summary>
    public static object? Convert(object? value, bool nullable)
    {
        if (value is null or DBNull)
        {
            return nullable || !typeof(T).IsValueType || Target != typeof(T)
                ? null
                : throw new InvalidCastException($"The query returned NULL where {typeof(T).Name} cannot hold it: read it as {typeof(T).Name}?, or leave such rows out in SQL.");
        }

        if (value is T)
        {
            return value;
        }

        return Target.IsEnum
            ? Enum.ToObject(Target, System.Convert.ChangeType(value, Enum.GetUnderlyingType(Target), CultureInfo.InvariantCulture))
            : System.Convert.ChangeType(value, Target, CultureInfo.InvariantCulture);
    }
}
