using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Premix.Execution;
using Premix.Mapping;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// Reads repeated on a connection a session holds (<c>HoldConnectionAsync</c>, a transaction's): each statement's command is
/// kept and run again with its parameters' values set (<c>HeldCommands</c>); each read binds its own values, joins the
/// transaction of its moment, sees what others committed since, and the next hold starts afresh.
/// </summary>
public sealed class HeldConnectionReadTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new CustomerMap());
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Visits")}) VALUES (1, 'Ada', 1), (2, 'Grace', 2), (3, 'Edsger', 3)");
    }

    [TearDown]
    public ValueTask DisposePremixAsync() => _premix.DisposeAsync();

    [Test]
    public async Task The_same_statement_read_again_on_a_held_connection_binds_each_reads_own_values_async_and_sync()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        var found = new List<(string, int)>();

        foreach (var name in new[] { "Grace", "Ada", "Edsger", "Ada", "Nobody", "Grace" })
        {
            var customer = await customers.Query().Where(c => c.Name == name).FirstOrDefaultAsync();
            found.Add(customer is null ? ("none", 0) : (customer.Name, customer.Visits));
        }

        var byKey = new[] { 3L, 1L, 2L }.Select(id => customers.Find(id)?.Name).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.EqualTo(new[] { ("Grace", 2), ("Ada", 1), ("Edsger", 3), ("Ada", 1), ("none", 0), ("Grace", 2) }));
            Assert.That(byKey, Is.EqualTo(new[] { "Edsger", "Ada", "Grace" }), "synchronous reads by key on the held connection");
        }
    }

    [Test]
    public async Task A_query_read_again_on_a_held_connection_with_lists_of_other_lengths_and_other_page_sizes_returns_each_calls_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        var found = new List<long[]>();

        // A list one parameter on PostgreSQL (its values set again), a parameter per value elsewhere (a text per length).
        foreach (var ids in new[] { new[] { 1L }, [1L, 3L], [2L], [3L, 2L, 1L], [], [3L] })
        {
            found.Add((await customers.Query().Where(c => ids.Contains(c.Id)).ToListAsync()).Select(c => c.Id).Order().ToArray());
        }

        foreach (var take in new[] { 1, 3, 2, 1 })
        {
            found.Add((await customers.Query().Where(c => c.Visits > 0).OrderBy(c => c.Id).Take(take).ToListAsync()).Select(c => c.Id).ToArray());
        }

        Assert.That(found, Is.EqualTo(new[] { new[] { 1L }, [1L, 3L], [2L], [1L, 2L, 3L], [], [3L], [1L], [1L, 2L, 3L], [1L, 2L], [1L] }));
    }

    [Test]
    public async Task Reads_made_again_on_a_held_connection_set_the_values_of_one_kept_command_and_leave_none_on_it_after()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new VisitedCustomerMap()));
        await using var uow = premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        Assert.That(((ISqlSession)uow).TryGetOpenConnection(out var connection), Is.True);
        var customers = uow.Repository<Customer>().AsNoTracking();
        var names = new List<string?>();

        // A filtered query, then a get by key whose statement also binds the filter's value (two sets of parameters).
        foreach (var name in new[] { "Ada", "Grace" })
        {
            names.Add((await ByName(name))?.Name);
        }

        var afterQueries = Kept(connection);
        foreach (var id in new[] { 3L, 1L })
        {
            names.Add((await customers.FindAsync(id))?.Name);
        }

        var afterKeys = Kept(connection);
        names.Add((await ByName("Edsger"))?.Name);
        var afterAll = Kept(connection);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(new[] { "Ada", "Grace", "Edsger", "Ada", "Edsger" }));
            Assert.That(afterQueries, Has.Length.EqualTo(1), "one command kept for the query read twice");
            Assert.That(afterKeys, Has.Length.EqualTo(2), "and one for the get by key read twice");
            Assert.That(afterAll.Select(k => (k.Command, k.Parameters.Length)), Is.EquivalentTo(afterKeys.Select(k => (k.Command, k.Parameters.Length))), "the same commands after a third read");
            Assert.That(afterAll.SelectMany(k => k.Parameters), Is.EquivalentTo(afterKeys.SelectMany(k => k.Parameters)), "with the same parameter objects");
            Assert.That(afterAll.SelectMany(k => k.Parameters).Select(p => p.Value), Has.All.Null, "and no value left on them");
        }

        Task<Customer?> ByName(string name) => customers.Query().Where(c => c.Name == name).FirstOrDefaultAsync();
    }

    [Test]
    public async Task A_query_whose_text_is_made_for_its_call_is_not_kept_and_the_kept_commands_stay()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        Assert.That(((ISqlSession)uow).TryGetOpenConnection(out var connection), Is.True);
        var customers = uow.Repository<Customer>().AsNoTracking();
        await customers.GetAsync(1L);
        var byKey = Kept(connection);

        // Seventy captured values: past 64 a query's translation is not cached, so each call writes its own text.
        var counts = new List<int>();
        for (var i = 0; i < 70; i++)
        {
            counts.Add((await customers.Query().Where(IdIsOneOfSeventy()).ToListAsync()).Count);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts, Has.All.EqualTo(3));
            Assert.That(Kept(connection).Select(k => k.Command), Is.EqualTo(byKey.Select(k => k.Command)), "only the get by key's command, still kept");
        }
    }

    private static Expression<Func<Customer, bool>> IdIsOneOfSeventy()
    {
        var customer = Expression.Parameter(typeof(Customer), "c");
        var id = Expression.Property(customer, nameof(Customer.Id));
        var body = Enumerable.Range(1, 70).Select(k => (Expression)Expression.Equal(id, Expression.Field(Expression.Constant(new StrongBox<long>(k)), nameof(StrongBox<long>.Value)))).Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Customer, bool>>(body, customer);
    }

    private static (DbCommand Command, DbParameter[] Parameters)[] Kept(DbConnection connection) =>
        [.. HeldCommands.KeptOn(connection).Select(k => (k.Value, k.Value.Parameters.Cast<DbParameter>().ToArray()))];

    private sealed class VisitedCustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
            e.HasQueryFilter("visited", c => c.Visits >= MinimumVisits);
        }
    }

    private static readonly int MinimumVisits = 1;

    [Test]
    public async Task A_compiled_query_read_on_a_held_connection_with_values_and_null_between_them_reads_the_rows_of_each()
    {
        await ExecuteAsync($"UPDATE {Q("customers")} SET {Q("Email")} = 'ada@example.com' WHERE {Q("Id")} = 1");
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        var found = new List<long[]>();

        // A null argument reads with its own statement (IS NULL); the other values re-bind the first statement's command.
        foreach (var email in new[] { "ada@example.com", null, "nobody@example.com", "ada@example.com" })
        {
            found.Add((await ByEmail.ToListAsync(customers, email)).Select(c => c.Id).Order().ToArray());
        }

        Assert.That(found, Is.EqualTo(new[] { new[] { 1L }, [2L, 3L], [], [1L] }));
    }

    private static readonly PremixQuery<Customer, string?> ByEmail = PremixQuery.Compile((Query<Customer> q, string? email) => q.Where(c => c.Email == email));

    [Test]
    public async Task A_read_on_a_held_connection_sees_a_row_another_connection_committed_after_the_same_read_ran_there()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        var before = (await customers.GetAsync(2L)).Visits;

        // A statement left unreset would keep SQLite's read snapshot (or its lock) open: the write would wait, or the next
        // read would still see 2.
        await ExecuteAsync($"UPDATE {Q("customers")} SET {Q("Visits")} = 20 WHERE {Q("Id")} = 2");

        Assert.That((before, (await customers.GetAsync(2L)).Visits), Is.EqualTo((2, 20)));
    }

    [Test]
    public async Task A_read_kept_from_before_a_transaction_runs_inside_it_sees_its_write_and_runs_again_after_the_commit()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        var outside = await customers.Query().Where(c => c.Visits > 2).ToListAsync();

        await uow.Raw($"UPDATE {I("customers")} SET {I("Visits")} = 30 WHERE {I("Id")} = 1").ExecuteAsync(); // begins the transaction
        var inside = await customers.Query().Where(c => c.Visits > 2).ToListAsync();
        await uow.CommitAsync();
        var after = await customers.Query().Where(c => c.Visits > 2).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outside.Select(c => c.Id), Is.EqualTo(new[] { 3L }));
            Assert.That(inside.Select(c => c.Id).Order(), Is.EqualTo(new[] { 1L, 3L }), "the read ran in the transaction and saw its uncommitted write");
            Assert.That(after.Select(c => c.Id).Order(), Is.EqualTo(new[] { 1L, 3L }));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = 1"), Is.EqualTo(30), "committed");
        }
    }

    [Test]
    public async Task Reads_under_a_second_hold_after_the_first_ended_run_on_the_new_connection_and_return_the_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();
        await using (await uow.HoldConnectionAsync())
        {
            Assert.That((await customers.GetAsync(1L)).Name, Is.EqualTo("Ada"));
        }

        await ExecuteAsync($"UPDATE {Q("customers")} SET {Q("Name")} = 'Ada L' WHERE {Q("Id")} = 1");
        await using (await uow.HoldConnectionAsync())
        {
            Assert.That((await customers.GetAsync(1L)).Name, Is.EqualTo("Ada L"));
            Assert.That((await customers.GetAsync(1L)).Name, Is.EqualTo("Ada L"), "read twice under the second hold");
        }

        Assert.That((await customers.GetAsync(2L)).Name, Is.EqualTo("Grace"), "and once without a hold");
    }

    [Test]
    public async Task A_first_held_read_of_a_table_that_does_not_exist_fails_with_the_engines_error_and_the_next_read_works()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()).AddModelConfiguration(new GadgetMap()));
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("gadgets")}");
        await using var uow = premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();

        var error = Assert.CatchAsync<DatabaseCommandException>(() => uow.Repository<Gadget>().Query().ToListAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("gadgets"), "the error names the statement's table");
            Assert.That((await uow.Repository<Customer>().GetAsync(3L)).Name, Is.EqualTo("Edsger"), "the next read on the held connection");
        }
    }

    [Test]
    public async Task A_held_read_whose_table_was_renamed_away_fails_with_the_engines_error_and_reads_again_once_it_is_back()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        Assert.That((await customers.GetAsync(1L)).Name, Is.EqualTo("Ada"));

        // The table renamed away by another connection: the statement kept on the held one no longer compiles.
        await ExecuteAsync($"ALTER TABLE {Q("customers")} RENAME TO {Q("customers_away")}");
        var error = Assert.CatchAsync<DatabaseCommandException>(() => customers.GetAsync(1L));
        await ExecuteAsync($"ALTER TABLE {Q("customers_away")} RENAME TO {Q("customers")}");

        Assert.That(error!.Message, Does.Contain("customers"), "the error names the statement's table");
        Assert.That((await customers.GetAsync(2L)).Name, Is.EqualTo("Grace"), "the next read on the held connection");
    }
}
