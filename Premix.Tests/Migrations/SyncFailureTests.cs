using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// A sync whose second statement the database refuses: rolled back where DDL is transactional; where it is not
/// (MySQL/MariaDB), the error lists exactly what stayed applied and how to go on, and a sync after fixing the cause
/// finishes the job from there.
/// </summary>
public sealed class SyncFailureTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_sync_that_fails_midway_says_what_was_applied_and_continues_once_the_cause_is_fixed()
    {
        // A view holds the name of the second table: the sync creates sync_fail_orders, then fails to create sync_fail_lines.
        await ExecuteAsync($"CREATE VIEW {Q("sync_fail_lines")} AS SELECT 1 AS {Q("x")}");
        var premix = CreatePremix(p => p.AddModelConfiguration(new FailOrderMap()).AddModelConfiguration(new FailLineMap()));
        var planned = await premix.DiffAsync();

        var error = Assert.ThrowsAsync<SchemaChangeException>(() => premix.SyncAsync());

        var createOrders = planned.Statements[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(planned.Statements, Has.Count.EqualTo(3), planned.ToSql());
            Assert.That(createOrders, Does.StartWith($"CREATE TABLE {Q("sync_fail_orders")}"));
            Assert.That(error!.FailedStatement, Is.EqualTo(planned.Statements[1]));
            Assert.That(error.Message, Does.StartWith($"Schema change 2 of 3 failed: {planned.Statements[1]}"));
            if (Engine == Engine.MySql)
            {
                Assert.That(error.AppliedStatements, Is.EqualTo(new[] { createOrders }));
                Assert.That(error.PendingStatements, Is.EqualTo(planned.Statements.Skip(1)));
                Assert.That(error.Message, Does.Contain(
                    $"This engine commits each DDL statement at once, so the schema is now part way: the 1 statement(s) before it stay applied:{Environment.NewLine}"
                    + $"  1. {createOrders}{Environment.NewLine}"
                    + $"Not applied: statement 2, which failed, and the 1 after it.{Environment.NewLine}"
                    + "To continue, fix the cause (in the mapping or in the database) and run the sync again: it reads the schema as it is now and applies only what is still missing, which a diff lists."));
                Assert.That(await TableExistsAsync("sync_fail_orders"), Is.True, "the first statement stayed applied");
            }
            else
            {
                Assert.That(error.AppliedStatements, Is.Empty);
                Assert.That(error.PendingStatements, Is.EqualTo(planned.Statements));
                Assert.That(error.Message, Does.EndWith("Every statement of this change was rolled back; the schema is as it was."));
                Assert.That(await TableExistsAsync("sync_fail_orders"), Is.False, "rolled back");
            }
        }

        await ExecuteAsync($"DROP VIEW {Q("sync_fail_lines")}");
        var resumed = await premix.SyncAsync();

        Assert.That(resumed.Operations.OfType<CreateTable>().Select(c => c.Table.Name), Is.EqualTo(Engine == Engine.MySql ? new[] { "sync_fail_lines" } : ["sync_fail_orders", "sync_fail_lines"]));
        Assert.That((await premix.DiffAsync()).IsEmpty, Is.True);
    }

    private async Task<bool> TableExistsAsync(string table)
    {
        var sql = Engine switch
        {
            Engine.PostgreSql => "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = @table",
            Engine.MySql => "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table AND TABLE_TYPE = 'BASE TABLE'",
            _ => "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = @table",
        };
        return await ScalarAsync<long>(sql, new { table }) > 0;
    }

    public sealed class FailOrder
    {
        public long Id { get; set; }

        public string Customer { get; set; } = "";
    }

    public sealed class FailLine
    {
        public long Id { get; set; }

        public long FailOrderId { get; set; }

        public int Quantity { get; set; }
    }

    private sealed class FailOrderMap : ModelConfiguration<FailOrder>
    {
        public override void Configure(EntityBuilder<FailOrder> e)
        {
            e.ToTable("sync_fail_orders");
            e.Property(x => x.Customer).HasMaxLength(40);
        }
    }

    private sealed class FailLineMap : ModelConfiguration<FailLine>
    {
        public override void Configure(EntityBuilder<FailLine> e)
        {
            e.ToTable("sync_fail_lines");
            e.BelongsTo<FailOrder>().WithForeignKey(x => x.FailOrderId);
            e.HasIndex(x => x.Quantity);
        }
    }
}
