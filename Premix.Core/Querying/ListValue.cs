using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// A list in a query (the values of a <c>Contains</c>, the keys of an include or a refresh): its values, converted for the
/// column, without nulls (a null in the list changes the SQL instead, see <see cref="SqlTranslator"/>), and, where the
/// dialect binds a whole list as one parameter (<see cref="ISqlDialect.InList"/>), that parameter's value. Otherwise
/// <see cref="QueryParameters"/> expands the list into one parameter per value.
/// </summary>
internal sealed class ListValue(IReadOnlyList<object> values, ListCondition? condition)
{
    public IReadOnlyList<object> Values { get; } = values;

    /// <summary>How the list is one parameter, or null when it is expanded.</summary>
    public ListCondition? Condition { get; } = condition;

    /// <summary>The one parameter's value, or null when the list is expanded.</summary>
    public object? Bound { get; } = condition?.ToParameter(values);
}
