using System.Data.Common;
using Premix.Execution;
using Premix.Tests.Infrastructure;
using Premix.Tracking;

namespace Premix.Tests.Execution;

/// <summary>
/// A stream whose rows cannot be read once its statement has run: the caller gets the reader's exception, and the
/// connection the unit of work holds keeps working, with its transaction (the statement's reader was closed).
/// </summary>
public sealed class StreamedReadFailureTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_stream_whose_rows_cannot_be_opened_leaves_the_held_connection_and_its_transaction_usable()
    {
        var premix = await CreatePremixWithTablesAsync(new CustomerMap());
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Ada', 0)");
        await using (var uow = premix.BeginUnitOfWork())
        {
            // A write begins the unit of work's transaction, which holds its connection until the commit.
            await uow.Raw($"INSERT INTO {I("customers")} ({I("Name")}, {I("Visits")}) VALUES ('Grace', 0)").ExecuteAsync();
            var unit = (UnitOfWork)uow;
            var connection = await unit.AcquireAsync(true, CancellationToken.None);
            var select = new Command("SELECT", "customers", $"SELECT {Q("Name")} FROM {Q("customers")}", null);

            var error = Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await foreach (var _ in unit.Executor.StreamRowsAsync<object>(connection, unit.CommandTransaction, select, new UnopenableRows(), CancellationToken.None))
                {
                }
            });

            Assert.That(error!.Message, Is.EqualTo(UnopenableRows.Refusal));
            var names = (await uow.Repository<Customer>().ListAsync()).Select(c => c.Name);
            Assert.That(names, Is.EquivalentTo(new[] { "Ada", "Grace" }), "the held connection runs the next statement, in the transaction");
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")} WHERE {Q("Name")} = 'Grace'"), Is.EqualTo(1), "the transaction committed");
    }

    /// <summary>Rows whose reader refuses the statement's columns, as a reader that cannot be compiled does.</summary>
    private sealed class UnopenableRows : RowReader
    {
        public const string Refusal = "These rows cannot be read.";

        public override Func<DbDataReader, object> Open(DbDataReader reader, string sql) => throw new InvalidOperationException(Refusal);
    }
}
