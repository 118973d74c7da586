using System.Data;

namespace Premix.Providers;

/// <summary>
/// How a dialect tests whether a column holds one value: an array column (<c>x.Tags.Contains(tag)</c>, see
/// <see cref="ISqlDialect.ArrayContains"/>) or a range (<see cref="ISqlDialect.ColumnMethod"/>): the condition, and how the
/// value becomes its parameter.
/// </summary>
/// <param name="Sql">The condition, with the value's placeholder.</param>
/// <param name="ValueConversion">Converts the (non-null) value as the column's elements (or bounds) are converted when written, or <see langword="null"/>: sent as it is.</param>
/// <param name="ParameterSetup">What to set on the parameter besides its value (the element's database type), or <see langword="null"/>.</param>
public sealed record ArrayElementCondition(string Sql, Func<object, object>? ValueConversion, Action<IDbDataParameter>? ParameterSetup);
