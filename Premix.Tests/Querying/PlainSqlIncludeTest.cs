using Dapper;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// The include tests' yardstick: each parent with its children's labels as plain SQL joins them, and the same text made of
/// what an include loaded, so a test compares the two.
/// </summary>
public abstract class PlainSqlIncludeTest(Engine engine) : PremixTest(engine)
{
    /// <summary>
    /// Each row of <paramref name="parents"/> by its <c>Name</c>, with the <c>Label</c>s of the rows of <paramref name="children"/>
    /// whose <paramref name="foreignKey"/> is its <paramref name="key"/>, as plain SQL joins them (<see cref="Describe"/>'s text).
    /// </summary>
    protected async Task<string> ExpectedAsync(string parents, string key, string children, string foreignKey)
    {
        await using var connection = await OpenConnectionAsync();
        var names = await connection.QueryAsync<string>($"SELECT {Q("Name")} FROM {Q(parents)}");
        var rows = await connection.QueryAsync<(string Parent, string Label)>(
            $"SELECT p.{Q("Name")}, c.{Q("Label")} FROM {Q(children)} c JOIN {Q(parents)} p ON p.{Q(key)} = c.{Q(foreignKey)}");
        return Describe(names.Select(n => (n, rows.Where(r => r.Parent == n).Select(r => r.Label))));
    }

    /// <summary>The parents in name order, each with its children's labels in order: <c>parent: a,b; other: </c>.</summary>
    protected static string Describe(IEnumerable<(string Parent, IEnumerable<string> Children)> parents) =>
        string.Join("; ", parents.OrderBy(p => p.Parent, StringComparer.Ordinal).Select(p => $"{p.Parent}: {string.Join(",", p.Children.Order(StringComparer.Ordinal))}"));
}
