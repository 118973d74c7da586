using Premix.Analyzers.Querying;

namespace Premix.Tests.Analyzers;

/// <summary>PMX1003: a method or member on the row outside what the translator translates is reported; the translatable subset and captured values are not.</summary>
public sealed class UntranslatableQueryAnalyzerTests
{
    private const string Snippet = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using Premix;

        public sealed class Customer
        {
            public int Id { get; set; }

            public string Name { get; set; } = "";

            public int? Stock { get; set; }

            public DateTime CreatedAt { get; set; }

            public string[] Tags { get; set; } = [];
        }

        public sealed class Search
        {
            public object Run(IUnitOfWork uow, string prefix, int[] ids, List<int> list)
            {
                var query = uow.Repository<Customer>().Query();
                return QUERY;
            }
        }
        """;

    [TestCase("query.Where(c => {|PMX1003:c.Name.ToUpper()|} == \"A\")", TestName = "PMX1003 reports a string method on a column in Where")]
    [TestCase("query.Where(c => {|PMX1003:c.Name.Length|} > 3)", TestName = "PMX1003 reports string.Length of a column")]
    [TestCase("query.Where(c => {|PMX1003:c.CreatedAt.Year|} == 2020)", TestName = "PMX1003 reports a DateTime member of a column")]
    [TestCase("query.Where(c => {|PMX1003:string.IsNullOrEmpty(c.Name)|})", TestName = "PMX1003 reports a static method taking a column")]
    [TestCase("query.Where(c => {|PMX1003:c.Name.StartsWith(prefix, StringComparison.Ordinal)|})", TestName = "PMX1003 reports StartsWith with a comparison")]
    [TestCase("query.Where(c => {|PMX1003:c.Tags.Any(t => t == prefix)|})", TestName = "PMX1003 reports a LINQ method over a column")]
    [TestCase("query.OrderBy(c => {|PMX1003:c.Name.ToLower()|})", TestName = "PMX1003 reports a computed ordering key")]
    [TestCase("query.OrderBy(c => c.Id).ThenByDescending(c => {|PMX1003:c.Name.Length|})", TestName = "PMX1003 reports a member of a column as a ThenBy key")]
    [TestCase("query.Select(c => new { c.Id, Name = {|PMX1003:c.Name.Trim()|} })", TestName = "PMX1003 reports a method in Select")]
    [TestCase("query.Where(c => {|PMX1003:prefix.StartsWith(c.Name)|})", TestName = "PMX1003 reports StartsWith on a captured string with a column argument")]
    [TestCase("query.Where(c => {|PMX1003:c.Name.Contains(c.Tags[0])|})", TestName = "PMX1003 reports string Contains with columns on both sides")]
    [TestCase("query.Where(c => {|PMX1003:c.Tags.Contains(c.Name)|})", TestName = "PMX1003 reports an array column's Contains of a column")]
    [TestCase("query.Where(c => {|PMX1003:ids.Contains(c.Id, EqualityComparer<int>.Default)|})", TestName = "PMX1003 reports Contains given a comparer")]
    public Task Reports_what_the_translator_refuses(string query) =>
        AnalyzerRun.VerifyAsync<UntranslatableQueryAnalyzer>(Snippet.Replace("QUERY", query, StringComparison.Ordinal));

    [TestCase("query.Where(c => c.Name.StartsWith(prefix) || c.Name.EndsWith(\"x\") || c.Name.Contains(prefix))", TestName = "PMX1003 accepts StartsWith, EndsWith and Contains on a string column")]
    [TestCase("query.Where(c => ids.Contains(c.Id))", TestName = "PMX1003 accepts Contains on an array of values")]
    [TestCase("query.Where(c => list.Contains(c.Id))", TestName = "PMX1003 accepts Contains on a list of values")]
    [TestCase("query.Where(c => Enumerable.Contains(list, c.Id))", TestName = "PMX1003 accepts Enumerable.Contains")]
    [TestCase("query.Where(c => c.Tags.Contains(prefix))", TestName = "PMX1003 accepts Contains on an array column")]
    [TestCase("query.Where(c => c.Stock.HasValue && c.Stock.Value > 1)", TestName = "PMX1003 accepts HasValue and Value of a nullable column")]
    [TestCase("query.Where(c => c.Name == prefix.ToUpperInvariant() && c.CreatedAt > DateTime.UtcNow.AddDays(-7) && c.Id > prefix.Length)", TestName = "PMX1003 accepts methods and members of captured values")]
    [TestCase("query.OrderBy(c => c.Name).ThenBy(c => c.Id)", TestName = "PMX1003 accepts mapped properties as ordering keys")]
    [TestCase("query.Select(c => new { c.Id, c.Name })", TestName = "PMX1003 accepts a projection of columns")]
    public Task Accepts_the_translatable_subset(string query) =>
        AnalyzerRun.VerifyAsync<UntranslatableQueryAnalyzer>(Snippet.Replace("QUERY", query, StringComparison.Ordinal));
}
