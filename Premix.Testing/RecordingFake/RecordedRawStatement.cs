using System.Globalization;

namespace Premix.Testing;

/// <summary>A raw statement the code under test ran through the fake: its SQL exactly as written, and its parameters.</summary>
/// <param name="Sql">The SQL text (for an interpolated string, with <c>@p0</c>, <c>@p1</c>… where the holes were).</param>
/// <param name="Parameters">Every parameter by name (without prefix) with its value, sensitive ones included: the test is their owner.</param>
/// <param name="SensitiveParameters">The names marked sensitive (<c>Sensitive(...)</c> or <c>RawSql.Sensitive</c>), masked by <see cref="ToString"/>.</param>
/// <param name="Kind">Fetch, scalar or execute.</param>
/// <param name="IsReadOnly">Whether it was marked <c>ReadOnly()</c>.</param>
/// <param name="InUnitOfWork">Whether it ran through a unit of work's <c>Raw</c> (in its transaction) rather than <c>IPremix.Raw</c>.</param>
public sealed record RecordedRawStatement(
    string Sql, IReadOnlyDictionary<string, object?> Parameters, IReadOnlySet<string> SensitiveParameters, RawStatementKind Kind, bool IsReadOnly, bool InUnitOfWork)
{
    /// <summary>The SQL and its parameters, with the values of sensitive ones as <c>***</c>.</summary>
    public override string ToString() => Sql + string.Concat(Parameters.Select(p =>
        $"{Environment.NewLine}-- @{p.Key} = {(SensitiveParameters.Contains(p.Key) ? "***" : p.Value is null ? "NULL" : Convert.ToString(p.Value, CultureInfo.InvariantCulture))}"));
}
