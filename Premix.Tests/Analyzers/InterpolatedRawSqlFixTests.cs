using Premix.Analyzers.CodeFixes;
using Premix.Analyzers.Raw;

namespace Premix.Tests.Analyzers;

/// <summary>The PMX1001 fix: an interpolated string that decayed to string is given back to the parameterised Raw; other shapes get no fix.</summary>
public sealed class InterpolatedRawSqlFixTests
{
    private const string Snippet = """
        using Premix;

        public sealed class Reports
        {
            public RawQuery Run(IPremix premix, string name, int id, bool byName) => premix.Raw(SQL);
        }
        """;

    private static string With(string sql) => Snippet.Replace("SQL", sql, StringComparison.Ordinal);

    [Test]
    public Task PMX1001_fix_types_each_interpolated_branch_of_a_conditional_as_RawSql() =>
        AnalyzerRun.VerifyFixAsync<NonConstantSqlAnalyzer, InterpolatedRawSqlFix>(
            With("{|PMX1001:byName ? $\"SELECT * FROM customers WHERE name = {name}\" : $\"SELECT * FROM customers WHERE id = {id}\"|}"),
            With("byName ? (RawSql)$\"SELECT * FROM customers WHERE name = {name}\" : (RawSql)$\"SELECT * FROM customers WHERE id = {id}\""));

    [Test]
    public Task PMX1001_fix_removes_a_cast_of_an_interpolated_string_to_string() =>
        AnalyzerRun.VerifyFixAsync<NonConstantSqlAnalyzer, InterpolatedRawSqlFix>(
            With("{|PMX1001:(string)$\"SELECT * FROM customers WHERE id = {id}\"|}"),
            With("$\"SELECT * FROM customers WHERE id = {id}\""));

    [Test]
    public Task PMX1001_offers_no_fix_for_a_concatenation() =>
        AnalyzerRun.VerifyFixAsync<NonConstantSqlAnalyzer, InterpolatedRawSqlFix>(
            With("{|PMX1001:\"SELECT * FROM customers WHERE name = '\" + name + \"'\"|}"),
            With("{|PMX1001:\"SELECT * FROM customers WHERE name = '\" + name + \"'\"|}"));
}
