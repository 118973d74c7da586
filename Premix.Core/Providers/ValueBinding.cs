using System.Data;

namespace Premix.Providers;

/// <summary>How a dialect sends values of one CLR type as parameters.</summary>
/// <param name="Convert">Turns a non-null value into what the driver should receive; <see langword="null"/> sends the value unchanged.</param>
/// <param name="DbType">The parameter type to set; <see langword="null"/> lets the driver infer it.</param>
public sealed record ValueBinding(Func<object, object>? Convert = null, DbType? DbType = null)
{
    /// <summary>Send values unchanged and let the driver infer their type.</summary>
    public static ValueBinding AsIs { get; } = new();
}
