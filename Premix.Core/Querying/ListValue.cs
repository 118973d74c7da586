using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// A list in a query (the values of a <c>Contains</c>, the keys of an include or a refresh): its values, converted for the
/// column, without nulls (a null in the list changes the SQL instead, see <see cref="SqlTranslator"/>), and, where the
/// dialect binds a whole list as one parameter (<see cref="ISqlDialect.InList"/>), that parameter's value. Otherwise
/// <see cref="QueryParameters"/> expands the list into one parameter per value.
/// </summary>
internal sealed class ListValue(IReadOnlyList<object> values, ListCondition? condition, string[]? placeholders = null, string? expandedSql = null)
{
    public IReadOnlyList<object> Values { get; } = values;

    /// <summary>
    /// For an expanded list whose statement's text per length is kept (the keys of an include or a refresh, see
    /// <see cref="KeyListReader"/>): its placeholders' names, the first <see cref="Values"/>.Count used, and
    /// <see cref="ExpandedSql"/>. Null when <see cref="QueryParameters"/> expands the statement's text itself.
    /// </summary>
    public string[]? Placeholders { get; } = placeholders;

    /// <summary>The statement's text with the list written out as <see cref="Placeholders"/>, sent instead of the logged one.</summary>
    public string? ExpandedSql { get; } = expandedSql;

    /// <summary>How the list is one parameter, or null when it is expanded.</summary>
    public ListCondition? Condition { get; } = condition;

    /// <summary>The one parameter's value, or null when the list is expanded.</summary>
    public object? Bound { get; } = condition?.ToParameter(values);
}
