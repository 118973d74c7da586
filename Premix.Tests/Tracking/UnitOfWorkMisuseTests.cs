using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A unit of work used wrongly fails at once with one clear exception, before any SQL, the same on every engine: every
/// member of a disposed one (and of its repositories, queries and raw statements) throws
/// <see cref="ObjectDisposedException"/>, and a second operation started while one is running throws
/// <see cref="InvalidOperationException"/> naming the fix, where drivers would each fail their own way.
/// </summary>
public sealed class UnitOfWorkMisuseTests(Engine engine) : PremixTest(engine)
{
    private const string ConcurrentUse = "A second operation was started on this unit of work before the previous one finished";

    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new CustomerMap());

    [TearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task Every_member_of_a_disposed_unit_of_work_its_repositories_queries_and_raw_statements_throws_ObjectDisposedException()
    {
        var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        var query = customers.Query().Where(c => c.Visits > 0);
        var raw = uow.Raw($"SELECT COUNT(*) FROM {I("customers")}");
        var loaded = new Customer { Id = 1, Name = "loaded" };
        await uow.DisposeAsync();

        var members = new Dictionary<string, Func<Task>>
        {
            [nameof(IUnitOfWork.Repository)] = Sync(() => uow.Repository<Customer>()),
            [nameof(IUnitOfWork.Raw)] = Sync(() => uow.Raw("SELECT 1")),
            [nameof(IUnitOfWork.CommitAsync)] = () => uow.CommitAsync(),
            [nameof(IUnitOfWork.Commit)] = Sync(uow.Commit),
            ["get_" + nameof(IUnitOfWork.HasPendingChanges)] = Sync(() => uow.HasPendingChanges),
            [nameof(IUnitOfWork.VerifyCommitWith)] = Sync(() => uow.VerifyCommitWith((_, _) => Task.FromResult(true))),
            ["get_" + nameof(IUnitOfWork.ReadYourWrites)] = Sync(() => uow.ReadYourWrites),
            [nameof(IUnitOfWork.ReadAfter)] = Sync(() => uow.ReadAfter(ReadYourWritesToken.Parse("lsn:0/1"))),
            [nameof(IUnitOfWork.UseCausalReads)] = Sync(uow.UseCausalReads),
            [nameof(IUnitOfWork.HoldConnectionAsync)] = async () => await uow.HoldConnectionAsync(),
            [nameof(IUnitOfWork.HoldConnection)] = Sync(() => uow.HoldConnection()),
            [nameof(IRepository<Customer>.Add)] = Sync(() => customers.Add(new Customer { Name = "never" })),
            [nameof(IRepository<Customer>.Update)] = Sync(() => customers.Update(loaded)),
            [nameof(IRepository<Customer>.Upsert)] = Sync(() => customers.Upsert(new Customer { Name = "never" })),
            [nameof(IRepository<Customer>.InsertOrIgnore)] = Sync(() => customers.InsertOrIgnore([new Customer { Name = "never" }])),
            [nameof(IRepository<Customer>.Remove)] = Sync(() => customers.Remove(loaded)),
            [nameof(IRepository<Customer>.HardDelete)] = Sync(() => customers.HardDelete(loaded)),
            [nameof(IRepository<Customer>.Restore)] = Sync(() => customers.Restore(loaded)),
            [nameof(IRepository<Customer>.GetAsync)] = () => customers.GetAsync(1L),
            [nameof(IRepository<Customer>.FindAsync)] = () => customers.FindAsync(1L),
            [nameof(IRepository<Customer>.ListAsync)] = () => customers.ListAsync(),
            [nameof(IRepository<Customer>.CountAsync)] = () => customers.CountAsync(),
            [nameof(IRepository<Customer>.Get)] = Sync(() => customers.Get(1L)),
            [nameof(IRepository<Customer>.Find)] = Sync(() => customers.Find(1L)),
            [nameof(IRepository<Customer>.List)] = Sync(customers.List),
            [nameof(IRepository<Customer>.Count)] = Sync(customers.Count),
            [nameof(IRepository<Customer>.Query)] = Sync(customers.Query),
            [nameof(IRepository<Customer>.AsNoTracking)] = Sync(customers.AsNoTracking),
            ["Query.ToListAsync"] = () => query.ToListAsync(),
            ["Query.FirstOrDefaultAsync"] = () => query.FirstOrDefaultAsync(),
            ["Query.CountAsync"] = () => query.CountAsync(),
            ["Query.AnyAsync"] = () => query.AnyAsync(),
            ["Query.Select"] = () => query.Select(c => c.Name).ToListAsync(),
            ["Query.AsAsyncEnumerable"] = async () => await query.AsAsyncEnumerable().GetAsyncEnumerator().MoveNextAsync(),
            ["Query.UpdateAllAsync"] = () => query.UpdateAllAsync(s => s.Set(c => c.Visits, 0)),
            ["Query.DeleteAllAsync"] = () => query.DeleteAllAsync(),
            ["RawQuery.ScalarAs"] = () => raw.ScalarAs<long>(),
            ["RawQuery.FetchAs"] = () => raw.FetchAs<long>(),
            ["RawQuery.ExecuteAsync"] = () => raw.ExecuteAsync(),
        };

        var interfaceMembers = typeof(IUnitOfWork).GetMethods().Concat(typeof(IRepository<Customer>).GetMethods())
            .Where(m => m.DeclaringType != typeof(IDisposable) && m.DeclaringType != typeof(IAsyncDisposable))
            .Select(m => m.Name).ToHashSet();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(interfaceMembers, Is.SubsetOf(members.Keys), "every member of IUnitOfWork and IRepository<T> is tried");
            foreach (var (name, call) in members)
            {
                var error = Assert.CatchAsync(() => call(), name);
                Assert.That(error, Is.TypeOf<ObjectDisposedException>().And.Message.Contains("unit of work was disposed"), name);
            }

            Assert.That(await CountRowsAsync("customers"), Is.Zero, "nothing was written");
        }
    }

    [Test]
    public async Task A_second_operation_while_a_commit_runs_is_refused_before_any_sql_and_the_commit_completes()
    {
        using var logs = new CapturingLoggerProvider();
        using var hookEntered = new ManualResetEventSlim();
        using var releaseHook = new ManualResetEventSlim();
        await using var premix = CreatePremix(
            p => p.AddModelConfiguration(new GatedCustomerMap(hookEntered, releaseHook)).EnableParameterLogging(),
            LoggerFactory.Create(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));
        await using var uow = premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        customers.Add(new Customer { Name = "first" });
        var commit = Task.Run(() => uow.CommitAsync());
        Assert.That(hookEntered.Wait(TimeSpan.FromSeconds(30)), Is.True, "the commit reached its before-insert hook");
        var statementsBefore = Statements(logs);

        var refused = new[]
        {
            Assert.CatchAsync(() => customers.GetAsync(1L)),
            Assert.CatchAsync(() => customers.CountAsync()),
            Assert.Catch(() => customers.Add(new Customer { Name = "second" })),
            Assert.CatchAsync(() => customers.Query().ToListAsync()),
            Assert.CatchAsync(() => uow.Raw($"SELECT COUNT(*) FROM {I("customers")}").ScalarAs<long>()),
            Assert.CatchAsync(() => uow.CommitAsync()),
        };
        var statementsDuring = Statements(logs) - statementsBefore;
        releaseHook.Set();
        await commit;

        using (Assert.EnterMultipleScope())
        {
            foreach (var error in refused)
            {
                Assert.That(error, Is.TypeOf<InvalidOperationException>().And.Message.Contains(ConcurrentUse).And.Message.Contains("BeginUnitOfWork"));
            }

            Assert.That(statementsDuring, Is.Zero, "refused before any SQL");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")}"), Is.EqualTo("first"), "the commit completed, alone");
            Assert.That(await customers.CountAsync(), Is.EqualTo(1), "the unit of work serves again once the commit is over");
        }
    }

    [Test]
    public async Task Two_threads_hammering_one_unit_of_work_get_only_the_clear_error_and_leave_its_connection_working()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        customers.Add(new Customer { Name = "only" });
        await uow.CommitAsync();
        using var start = new Barrier(2);
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var successes = 0;

        var threads = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    Assert.That(await customers.CountAsync(), Is.EqualTo(1));
                    Interlocked.Increment(ref successes);
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        })).ToArray();
        await Task.WhenAll(threads);

        await TestContext.Out.WriteLineAsync($"{Engine}: {successes} reads succeeded, {failures.Count} were refused");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(successes + failures.Count, Is.EqualTo(200));
            Assert.That(failures, Has.All.TypeOf<InvalidOperationException>().And.All.Message.Contains(ConcurrentUse), string.Join(Environment.NewLine, failures.Select(f => f.Message).Distinct()));
            Assert.That(await customers.CountAsync(), Is.EqualTo(1), "the connection was never used by two at once, so it still works");
        }
    }

    [Test]
    public async Task An_open_stream_refuses_other_statements_on_its_unit_of_work_but_not_work_in_memory()
    {
        await using (var seed = _premix.BeginUnitOfWork())
        {
            seed.Repository<Customer>().Add(new Customer { Name = "a" });
            seed.Repository<Customer>().Add(new Customer { Name = "b" });
            await seed.CommitAsync();
        }

        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        var streamed = new List<string>();
        Exception? refused = null;
        await foreach (var customer in customers.Query().OrderBy(c => c.Name).AsAsyncEnumerable())
        {
            streamed.Add(customer.Name);
            customers.Add(new Customer { Name = customer.Name + "2" }); // in memory: allowed
            refused ??= Assert.CatchAsync(() => customers.CountAsync());
        }

        await uow.CommitAsync();

        Assert.That(streamed, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(refused, Is.TypeOf<InvalidOperationException>().And.Message.Contains("stream from AsAsyncEnumerable is still open"));
        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(4), "the adds made while streaming were committed");
    }

    [Test]
    public async Task A_hook_may_use_the_unit_of_work_whose_commit_runs_it()
    {
        var services = new ServiceCollection()
            .AddPremix(p => p.UseProvider(Provider).AddModelConfiguration<CustomerMap>())
            .AddScoped<IEntityHook<Customer>, AuditingHook>();
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        await using var scope = provider.CreateAsyncScope();

        scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().Add(new Customer { Name = "main" });
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync();

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")} WHERE {Q("Name")} IN ('main', 'audit: main', 'after: 1')"), Is.EqualTo(2));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")}"), Is.EqualTo(2), "the after-hook's read ran; its add waits for the next commit");
    }

    private static int Statements(CapturingLoggerProvider logs) => logs.Entries.Count(e => e.Id.Id == 1000 || e.Id.Id == 1001);

    private static Func<Task> Sync(Action action) => () =>
    {
        action();
        return Task.CompletedTask;
    };

    private static Func<Task> Sync<T>(Func<T> function) => () =>
    {
        _ = function();
        return Task.CompletedTask;
    };

    // Customers whose before-insert hook signals that the commit reached it, then waits to be let go.
    private sealed class GatedCustomerMap(ManualResetEventSlim entered, ManualResetEventSlim release) : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            new CustomerMap().Configure(e);
            e.BeforeInsert(_ =>
            {
                entered.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            });
        }
    }

    // Adds an audit row through the scope's own repository while the commit of the audited row runs, and reads after it.
    private sealed class AuditingHook(IRepository<Customer> customers) : IEntityHook<Customer>
    {
        public ValueTask BeforeInsertAsync(Customer entity, CancellationToken cancellationToken)
        {
            if (!entity.Name.StartsWith("audit", StringComparison.Ordinal))
            {
                customers.Add(new Customer { Name = "audit: " + entity.Name });
            }

            return ValueTask.CompletedTask;
        }

        public async ValueTask AfterInsertAsync(Customer entity, CancellationToken cancellationToken)
        {
            if (entity.Name == "main")
            {
                customers.Add(new Customer { Name = "after: " + await customers.CountAsync(cancellationToken) });
            }
        }
    }
}
