using Premix.Analyzers.Raw;

namespace Premix.Tests.Analyzers;

/// <summary>PMX1001: every shape that builds SQL from values is reported where it reaches Raw(string); constants and the interpolated overload are not.</summary>
public sealed class NonConstantSqlAnalyzerTests
{
    private const string Snippet = """
        using System.Text;
        using Premix;

        public sealed class Reports
        {
            private const string Constant = "SELECT 1";
            private static readonly string Loaded = System.IO.File.ReadAllText("report.sql");
            private string _mutable = "SELECT 1";

            public void Run(IPremix premix, IUnitOfWork uow, string name, int id, bool flag)
            {
                var built = "SELECT * FROM customers WHERE name = '" + name + "'";
                var constantLocal = "SELECT 2";
                var appended = "SELECT * FROM customers";
                appended += " WHERE id = " + id;
                var fromFile = System.IO.File.ReadAllText("report.sql");
                var interpolated = $"SELECT * FROM customers WHERE id = {id}";
                var optional = "SELECT * FROM customers WHERE 1 = 1";
                if (flag)
                {
                    optional += " AND id = @id";
                }

                var fromParameter = "SELECT * FROM customers";
                fromParameter += name;
                premix.Raw(SQL);
            }
        }
        """;

    [TestCase("{|PMX1001:\"SELECT * FROM customers WHERE name = '\" + name + \"'\"|}", TestName = "PMX1001 reports a concatenation")]
    [TestCase("{|PMX1001:string.Format(\"SELECT * FROM customers WHERE id = {0}\", id)|}", TestName = "PMX1001 reports string.Format")]
    [TestCase("{|PMX1001:string.Concat(\"SELECT * FROM customers WHERE name = \", name)|}", TestName = "PMX1001 reports string.Concat")]
    [TestCase("{|PMX1001:string.Join(\" \", \"SELECT\", name)|}", TestName = "PMX1001 reports string.Join")]
    [TestCase("{|PMX1001:new StringBuilder(\"SELECT * FROM \").Append(name).ToString()|}", TestName = "PMX1001 reports a StringBuilder's text")]
    [TestCase("{|PMX1001:flag ? $\"SELECT {name}\" : $\"SELECT {id}\"|}", TestName = "PMX1001 reports interpolated strings under a conditional, which decay to string")]
    [TestCase("{|PMX1001:(string)$\"SELECT * FROM customers WHERE id = {id}\"|}", TestName = "PMX1001 reports an interpolated string cast to string")]
    [TestCase("{|PMX1001:built|}", TestName = "PMX1001 reports a local built by concatenation")]
    [TestCase("{|PMX1001:appended|}", TestName = "PMX1001 reports a local appended to with +=")]
    [TestCase("{|PMX1001:fromParameter|}", TestName = "PMX1001 reports a local a parameter is appended to")]
    [TestCase("{|PMX1001:interpolated|}", TestName = "PMX1001 reports a local holding an interpolated string, which is a plain string")]
    [TestCase("{|PMX1001:\"SELECT * FROM customers\" + fromFile|}", TestName = "PMX1001 reports a concatenation with a method's result")]
    [TestCase("{|PMX1001:_mutable|}", TestName = "PMX1001 reports a mutable field")]
    [TestCase("{|PMX1001:name ?? (\"SELECT \" + id)|}", TestName = "PMX1001 reports a concatenation behind ??")]
    public Task Reports_sql_built_from_values(string argument) =>
        AnalyzerRun.VerifyAsync<NonConstantSqlAnalyzer>(Snippet.Replace("SQL", argument, StringComparison.Ordinal));

    [TestCase("\"SELECT * FROM customers WHERE id = @id\", new { id }", TestName = "PMX1001 accepts a literal with an arguments object")]
    [TestCase("Constant", TestName = "PMX1001 accepts a const")]
    [TestCase("\"SELECT * FROM \" + Constant", TestName = "PMX1001 accepts a concatenation of constants")]
    [TestCase("$\"SELECT {Constant}\"", TestName = "PMX1001 accepts a constant interpolated string")]
    [TestCase("$\"SELECT * FROM customers WHERE id = {id}\"", TestName = "PMX1001 accepts an interpolated string, which binds to the parameterised overload")]
    [TestCase("constantLocal", TestName = "PMX1001 accepts a local holding a constant")]
    [TestCase("optional, new { id }", TestName = "PMX1001 accepts a local only constant fragments are appended to")]
    [TestCase("\"SELECT * FROM customers WHERE 1 = 1\" + (flag ? \" AND id > 0\" : \"\")", TestName = "PMX1001 accepts a concatenation of constant fragments chosen by a condition")]
    [TestCase("\"SELECT * FROM customers \" + Loaded", TestName = "PMX1001 accepts a concatenation with a readonly field")]
    [TestCase("fromFile", TestName = "PMX1001 accepts a local holding a method's result")]
    [TestCase("Loaded", TestName = "PMX1001 accepts a readonly field")]
    [TestCase("name", TestName = "PMX1001 accepts a parameter (a wrapper forwarding its SQL)")]
    public Task Accepts_sql_that_holds_no_value(string argument) =>
        AnalyzerRun.VerifyAsync<NonConstantSqlAnalyzer>(Snippet.Replace("SQL", argument, StringComparison.Ordinal));

    [Test]
    public Task PMX1001_reports_a_concatenation_passed_to_the_unit_of_work_Raw() =>
        AnalyzerRun.VerifyAsync<NonConstantSqlAnalyzer>(Snippet.Replace("premix.Raw(SQL)", "uow.Raw({|PMX1001:\"DELETE FROM customers WHERE name = '\" + name + \"'\"|})", StringComparison.Ordinal));
}
