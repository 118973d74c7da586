using System.Data;

namespace Premix.Providers;

/// <summary>
/// How a dialect tests a column against a whole list of values bound as one parameter (see <see cref="ISqlDialect.InList"/>):
/// the condition, whose text does not change with the list's length, and how the list becomes that parameter.
/// </summary>
public sealed class ListCondition
{
    private readonly Func<IReadOnlyList<object>, object> _toParameter;

    /// <summary>Creates the condition.</summary>
    /// <param name="sql">The condition, true when the column holds one of the list's values (never null for a non-null column).</param>
    /// <param name="toParameter">Turns the list's values into the value of the condition's one parameter.</param>
    /// <param name="parameterSetup">What to set on that parameter besides its value (a database type, say), or <see langword="null"/>.</param>
    public ListCondition(string sql, Func<IReadOnlyList<object>, object> toParameter, Action<IDbDataParameter>? parameterSetup = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentNullException.ThrowIfNull(toParameter);
        Sql = sql;
        _toParameter = toParameter;
        ParameterSetup = parameterSetup;
    }

    /// <summary>The condition, with the parameter's placeholder.</summary>
    public string Sql { get; }

    /// <summary>What to set on the parameter besides its value, or <see langword="null"/>.</summary>
    public Action<IDbDataParameter>? ParameterSetup { get; }

    /// <summary>
    /// The parameter's value for <paramref name="values"/>: the list's values, none of them null, each already converted
    /// the way the driver takes a single value compared with the column (see <see cref="ISqlDialect.ParameterConversion"/>).
    /// </summary>
    /// <remarks>
    /// The values of a value type may come as a list that is also an <see cref="IReadOnlyList{T}"/> of that type (the keys
    /// of an <c>Include</c>): read through it, they are not boxed; read as objects, each is boxed as it is read.
    /// </remarks>
    public object ToParameter(IReadOnlyList<object> values) => _toParameter(values);
}
