using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// The docs' relation declared from both ends (HasMany on the customer, BelongsTo(...).OnDelete(Cascade) on the order) is
/// one foreign key with ON DELETE CASCADE on every engine, whichever map is registered first; checked in the engine's catalog.
/// </summary>
public sealed class ForeignKeyFromBothEndsTests(Engine engine) : PremixTest(engine)
{
    [SetUp]
    public async Task DropTablesAsync()
    {
        await using var connection = await OpenConnectionAsync();
        foreach (var table in new[] { "docs_orders", "docs_customers" })
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
        }
    }

    [Test]
    public async Task The_created_foreign_key_cascades_whichever_end_is_registered_first()
    {
        await CreatePremix(p => p.AddModelConfiguration(new DocsCustomerMap()).AddModelConfiguration(new DocsOrderMap())).SyncAsync();
        var customerFirst = await DeleteRulesAsync("docs_orders");
        await DropTablesAsync();
        await CreatePremix(p => p.AddModelConfiguration(new DocsOrderMap()).AddModelConfiguration(new DocsCustomerMap())).SyncAsync();
        var orderFirst = await DeleteRulesAsync("docs_orders");

        Assert.That((customerFirst, orderFirst), Is.EqualTo((new[] { "CASCADE" }, new[] { "CASCADE" })));
    }

    [Test]
    public async Task Deleting_a_customer_through_Premix_deletes_its_orders_in_the_database()
    {
        var premix = CreatePremix(p => p.AddModelConfiguration(new DocsCustomerMap()).AddModelConfiguration(new DocsOrderMap()));
        await premix.SyncAsync();
        await InsertCustomersWithOrdersAsync();

        await using (var uow = premix.BeginUnitOfWork())
        {
            var customers = uow.Repository<DocsCustomer>();
            customers.Remove(await customers.GetAsync(1L));
            await uow.CommitAsync();
        }

        Assert.That(
            (await CountRowsAsync("docs_customers"), await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("docs_orders")} WHERE {Q("CustomerId")} = 1"), await CountRowsAsync("docs_orders")),
            Is.EqualTo((1L, 0L, 1L)),
            "customer 1's two orders went with it; customer 2's order stayed");
    }

    [Test]
    public async Task A_database_made_with_the_old_key_without_cascade_diffs_as_a_foreign_key_change_and_sync_applies_it()
    {
        // What Premix created before both ends were merged: the customer's HasMany came first and its NoAction won.
        await CreatePremix(p => p.AddModelConfiguration(new DocsCustomerMap()).AddModelConfiguration(new DocsOrderWithoutCascadeMap())).SyncAsync();
        await InsertCustomersWithOrdersAsync();
        var premix = CreatePremix(p => p.AddModelConfiguration(new DocsCustomerMap()).AddModelConfiguration(new DocsOrderMap()));

        var diff = await premix.DiffAsync();
        await premix.SyncAsync();
        var after = await premix.DiffAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.ToString(), Does.Contain("add foreign key docs_orders (CustomerId) -> docs_customers (Id) on delete Cascade").And.Contain("drop foreign key"));
            Assert.That(
                diff.Operations.Select(o => o.GetType().Name),
                Is.EqualTo(Engine == Engine.Sqlite ? new[] { nameof(RebuildTable) } : [nameof(DropForeignKey), nameof(AddForeignKey)]),
                "SQLite cannot alter a foreign key in place: it rebuilds the table");
            Assert.That(diff.ToSql(), Does.Contain("ON DELETE CASCADE"));
            Assert.That(await DeleteRulesAsync("docs_orders"), Is.EqualTo(new[] { "CASCADE" }));
            Assert.That(after.IsEmpty, Is.True, $"introspected schema differs from the mapping:{Environment.NewLine}{after}");
            Assert.That(await CountRowsAsync("docs_orders"), Is.EqualTo(3), "the sync kept the rows");
        }

        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DELETE FROM {Q("docs_customers")} WHERE {Q("Id")} = 1");
        }

        Assert.That(await CountRowsAsync("docs_orders"), Is.EqualTo(1), "the re-created key cascades");
    }

    private async Task InsertCustomersWithOrdersAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"INSERT INTO {Q("docs_customers")} ({Q("Id")}, {Q("Name")}) VALUES (1, 'Ada'), (2, 'Grace')");
        await connection.ExecuteAsync($"INSERT INTO {Q("docs_orders")} ({Q("Id")}, {Q("CustomerId")}, {Q("Total")}) VALUES (1, 1, 10), (2, 1, 20), (3, 2, 30)");
    }

    // Read from the engine's own catalog, not from Premix's introspection.
    private async Task<string[]> DeleteRulesAsync(string table)
    {
        var sql = Engine switch
        {
            Engine.Sqlite => "SELECT on_delete FROM pragma_foreign_key_list(@table)",
            Engine.PostgreSql => "SELECT rc.delete_rule FROM information_schema.referential_constraints rc JOIN information_schema.table_constraints tc "
                + "ON tc.constraint_schema = rc.constraint_schema AND tc.constraint_name = rc.constraint_name WHERE tc.table_schema = current_schema() AND tc.table_name = @table",
            _ => "SELECT delete_rule FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE() AND table_name = @table",
        };
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<string>(sql, new { table })).ToArray();
    }
}
