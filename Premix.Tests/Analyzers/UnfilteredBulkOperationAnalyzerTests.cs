using Premix.Analyzers.Querying;

namespace Premix.Tests.Analyzers;

/// <summary>PMX1002: a bulk delete or update whose query chain has no Where and no AllowUnsafe is reported; a filtered, opted-in or opaque one is not.</summary>
public sealed class UnfilteredBulkOperationAnalyzerTests
{
    private const string Snippet = """
        using System.Threading.Tasks;
        using Premix;

        public sealed class Customer
        {
            public int Id { get; set; }

            public string Name { get; set; } = "";
        }

        public static class CustomerFilters
        {
            public static Query<Customer> Named(this Query<Customer> query, string name) => query.Where(c => c.Name == name);
        }

        public sealed class Cleanup
        {
            private static Query<Customer> ByName(IRepository<Customer> customers, string name) => customers.Query().Where(c => c.Name == name);

            public async Task RunAsync(IUnitOfWork uow, Query<Customer> given, string name)
            {
                var customers = uow.Repository<Customer>();
                var kept = customers.Query();
                await CALL;
            }
        }
        """;

    [TestCase("{|PMX1002:customers.Query().DeleteAllAsync()|}", TestName = "PMX1002 reports DeleteAllAsync on a query with no filter")]
    [TestCase("{|PMX1002:customers.Query().HardDeleteAllAsync()|}", TestName = "PMX1002 reports HardDeleteAllAsync on a query with no filter")]
    [TestCase("{|PMX1002:customers.Query().OrderBy(c => c.Name).Take(10).UpdateAllAsync(s => s.Set(c => c.Name, \"x\"))|}", TestName = "PMX1002 reports UpdateAllAsync on a query ordered and paged but not filtered")]
    [TestCase("{|PMX1002:uow.Repository<Customer>().Query().Where(c => true).DeleteAllAsync()|}", TestName = "PMX1002 reports a Where that is always true")]
    public Task Reports_an_unfiltered_bulk_operation(string call) =>
        AnalyzerRun.VerifyAsync<UnfilteredBulkOperationAnalyzer>(Snippet.Replace("CALL", call, StringComparison.Ordinal));

    [TestCase("customers.Query().Where(c => c.Name == name).DeleteAllAsync()", TestName = "PMX1002 accepts a filtered delete")]
    [TestCase("customers.Query().Where(c => c.Id > 5).OrderBy(c => c.Id).UpdateAllAsync(s => s.Set(c => c.Name, \"x\"))", TestName = "PMX1002 accepts a filter earlier in the chain")]
    [TestCase("customers.Query().AllowUnsafe().DeleteAllAsync()", TestName = "PMX1002 accepts the AllowUnsafe opt-in")]
    [TestCase("kept.DeleteAllAsync()", TestName = "PMX1002 stays silent on a query held in a local, whose filters it cannot see")]
    [TestCase("given.HardDeleteAllAsync()", TestName = "PMX1002 stays silent on a query passed in")]
    [TestCase("customers.Query().Named(name).DeleteAllAsync()", TestName = "PMX1002 stays silent on a query an extension method filtered")]
    [TestCase("ByName(customers, name).UpdateAllAsync(s => s.Set(c => c.Name, \"x\"))", TestName = "PMX1002 stays silent on a query a helper method made")]
    public Task Accepts_a_filtered_opted_in_or_opaque_bulk_operation(string call) =>
        AnalyzerRun.VerifyAsync<UnfilteredBulkOperationAnalyzer>(Snippet.Replace("CALL", call, StringComparison.Ordinal));
}
