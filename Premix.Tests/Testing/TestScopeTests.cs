using Dapper;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>
/// PremixTestScope: code that commits runs in savepoints of the scope's outer transaction, sees its own rows, and leaves
/// nothing behind; a failed commit rolls back only its savepoint. Checked through plain SQL on the scope's connection
/// (inside) and on another connection (outside).
/// </summary>
public sealed class TestScopeTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new CustomerMap(), new GadgetMap());

    [TearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task Rows_committed_by_units_of_work_and_raw_statements_are_seen_in_the_scope_and_gone_after_it()
    {
        await using (var scope = await PremixTestScope.BeginAsync(_premix))
        {
            await using (var uow = _premix.BeginUnitOfWork())
            {
                uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
                await uow.CommitAsync();
            }

            await _premix.Raw($"INSERT INTO {I("customers")} ({I("Name")}, {I("Visits")}) VALUES ({"Grace"}, {0})").ExecuteAsync();
            var read = await _premix.Raw($"SELECT {I("Name")} FROM {I("customers")} ORDER BY {I("Name")}").ReadOnly().FetchAs<string>();

            Assert.That(await ScopeCountAsync(scope, "customers"), Is.EqualTo(2), "the scope's connection sees both rows");
            Assert.That(read, Is.EqualTo(new[] { "Ada", "Grace" }), "a raw read in the scope sees them too");
            Assert.That(await CountRowsAsync("customers"), Is.Zero, "another connection sees nothing committed");
        }

        Assert.That(await CountRowsAsync("customers"), Is.Zero, "the scope rolled everything back");
    }

    [Test]
    public async Task A_commit_that_fails_rolls_back_only_its_own_savepoint_and_later_commits_go_on()
    {
        var gadget = Guid.NewGuid();
        await using (var scope = await PremixTestScope.BeginAsync(_premix))
        {
            await using (var first = _premix.BeginUnitOfWork())
            {
                first.Repository<Customer>().Add(new Customer { Name = "Ada" });
                first.Repository<Gadget>().Add(new Gadget { Id = gadget, Label = "first" });
                await first.CommitAsync();
            }

            await using (var failing = _premix.BeginUnitOfWork())
            {
                failing.Repository<Customer>().Add(new Customer { Name = "Lost" });
                failing.Repository<Gadget>().Add(new Gadget { Id = gadget, Label = "same key" });
                Assert.That(() => failing.CommitAsync(), Throws.InstanceOf<UniqueConstraintException>());
            }

            await using (var after = _premix.BeginUnitOfWork())
            {
                after.Repository<Customer>().Add(new Customer { Name = "Grace" });
                await after.CommitAsync();
            }

            var names = await scope.Connection.QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")} ORDER BY {Q("Name")}", transaction: scope.Transaction);
            Assert.That(names, Is.EqualTo(new[] { "Ada", "Grace" }), "the failed commit's customer was rolled back with its savepoint, the others kept");
            Assert.That(await ScopeCountAsync(scope, "gadgets"), Is.EqualTo(1));
        }

        Assert.That(await CountRowsAsync("customers"), Is.Zero);
    }

    [Test]
    public async Task A_raw_statement_that_fails_costs_the_scope_only_that_statement()
    {
        await using var scope = await PremixTestScope.BeginAsync(_premix);
        var gadget = Guid.NewGuid();
        var insert = $"INSERT INTO {Q("gadgets")} ({Q("Id")}, {Q("Label")}) VALUES (@gadget, 'x')";
        await _premix.Raw(insert, new { gadget }).ExecuteAsync();

        Assert.That(() => _premix.Raw(insert, new { gadget }).ExecuteAsync(), Throws.InstanceOf<UniqueConstraintException>());
        await _premix.Raw($"INSERT INTO {I("customers")} ({I("Name")}, {I("Visits")}) VALUES ({"after"}, {0})").ExecuteAsync();

        // On PostgreSQL a failed statement aborts the whole transaction unless it is rolled back to a savepoint.
        Assert.That(await ScopeCountAsync(scope, "customers"), Is.EqualTo(1));
        Assert.That(await ScopeCountAsync(scope, "gadgets"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_unit_of_work_disposed_with_an_uncommitted_raw_write_rolls_back_to_its_savepoint()
    {
        await using var scope = await PremixTestScope.BeginAsync(_premix);
        await using (var uow = _premix.BeginUnitOfWork())
        {
            await uow.Raw($"INSERT INTO {I("customers")} ({I("Name")}, {I("Visits")}) VALUES ({"never"}, {0})").ExecuteAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "kept" });
            uow.Commit(); // the synchronous path too
        }

        Assert.That(await scope.Connection.QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")}", transaction: scope.Transaction), Is.EqualTo(new[] { "kept" }));
    }

    [Test]
    public async Task Two_flows_that_use_the_scope_at_once_are_run_one_statement_at_a_time()
    {
        await using var scope = await PremixTestScope.BeginAsync(_premix);

        // Tasks started in the scope's flow join it; its one connection serves them in turn.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await using var uow = _premix.BeginUnitOfWork();
                uow.Repository<Customer>().Add(new Customer { Name = $"f{n}-{i}" });
                await uow.CommitAsync();
                await _premix.Raw($"SELECT COUNT(*) FROM {I("customers")}").ReadOnly().FetchAs<long>();
            }
        })));

        Assert.That(await ScopeCountAsync(scope, "customers"), Is.EqualTo(20));
    }

    [Test]
    public async Task A_unit_of_work_begun_in_a_scope_that_ended_says_so()
    {
        IUnitOfWork uow;
        await using (await PremixTestScope.BeginAsync(_premix))
        {
            uow = _premix.BeginUnitOfWork();
        }

        await using (uow)
        {
            uow.Repository<Customer>().Add(new Customer { Name = "late" });
            Assert.That(() => uow.CommitAsync(), Throws.InstanceOf<ObjectDisposedException>().With.Message.Contains("test scope"));
        }
    }

    private async Task<long> ScopeCountAsync(PremixTestScope scope, string table) =>
        await scope.Connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Q(table)}", transaction: scope.Transaction);
}
