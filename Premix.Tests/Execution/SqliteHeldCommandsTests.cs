using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Premix.Providers.Sqlite;
using Premix.Querying;
using Premix.Tests.Infrastructure;
using SQLitePCL;

namespace Premix.Tests.Execution;

/// <summary>
/// On SQLite, a read statement run again on a connection a session holds is parsed once: Microsoft.Data.Sqlite parses a
/// statement once per command object, and Premix keeps each read's command on the held connection (<c>HeldCommands</c>).
/// SQLite itself counts the parses here: its authorizer is called while a statement compiles, once per column read.
/// </summary>
[TestFixtureSource(nameof(SqliteOnly))]
public sealed class SqliteHeldCommandsTests(Engine engine) : PremixTest(engine)
{
    private const int ReadColumn = 20; // SQLITE_READ
    private int _compiles;
    private IPremix _premix = null!;

    /// <summary>The other engines parse on the server (MariaDB) or cache in their driver (Npgsql's Max Auto Prepare).</summary>
    public static IEnumerable<Engine> SqliteOnly { get; } = [Engine.Sqlite];

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await (await CreatePremixWithTablesAsync(new CustomerMap())).DisposeAsync();
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Visits")}) VALUES (1, 'Ada', 1), (2, 'Grace', 2), (3, 'Edsger', 3)");
        _premix = PremixFactory.Create(p => p.UseProvider(new SessionSetupProvider(Provider, CountCompiles)).AddModelConfiguration(new CustomerMap()));
    }

    [TearDown]
    public async Task DisposePremixAsync()
    {
        await _premix.DisposeAsync();
        // The authorizer stays on a pooled connection's handle: closing the pool's connections removes it.
        await using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    [Test]
    public async Task Three_reads_by_key_on_a_held_connection_compile_their_statement_once_and_three_without_a_hold()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();
        int held;
        await using (await uow.HoldConnectionAsync())
        {
            _compiles = 0;
            var names = new[] { 1L, 2L, 3L }.Select(id => customers.Find(id)?.Name).ToArray();
            Assert.That(names, Is.EqualTo(new[] { "Ada", "Grace", "Edsger" }));
            held = _compiles;
        }

        _compiles = 0;
        foreach (var id in new[] { 1L, 2L, 3L })
        {
            await customers.GetAsync(id);
        }

        Assert.That((held, _compiles), Is.EqualTo((1, 3)), "compiles of the read by key: held, then a connection per read");
    }

    [Test]
    public async Task Reads_repeated_by_a_unit_of_work_on_an_in_memory_database_compile_their_statement_once_without_a_hold()
    {
        await using var provider = new SessionSetupProvider(new SqliteProvider("Data Source=:memory:"), CountCompiles);
        await using var premix = PremixFactory.Create(p => p.UseProvider(provider).AddModelConfiguration(new CustomerMap()));
        await using var uow = premix.BeginUnitOfWork();
        await uow.Raw("CREATE TABLE customers (\"Id\" INTEGER PRIMARY KEY, \"Name\" TEXT NOT NULL, \"Email\" TEXT, \"Visits\" INTEGER NOT NULL)").ExecuteAsync();
        await uow.Raw("INSERT INTO customers (\"Id\", \"Name\", \"Visits\") VALUES (1, 'Ada', 1), (2, 'Grace', 2)").ExecuteAsync();
        await uow.CommitAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        _compiles = 0;

        var names = new List<string>();
        foreach (var id in new[] { 2L, 1L, 2L })
        {
            names.Add((await customers.GetAsync(id)).Name);
        }

        Assert.That((names, _compiles), Is.EqualTo((new List<string> { "Grace", "Ada", "Grace" }, 1)), "the names read, and compiles of the read by key");
    }

    [Test]
    public async Task A_read_kept_before_a_transaction_runs_in_it_and_after_its_commit_without_compiling_again()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        _compiles = 0;
        var before = (await customers.GetAsync(1L)).Visits;

        await uow.Raw($"UPDATE {I("customers")} SET {I("Visits")} = 10 WHERE {I("Id")} = 1").ExecuteAsync(); // begins the transaction
        var inside = (await customers.GetAsync(1L)).Visits;
        await uow.CommitAsync();
        var after = (await customers.GetAsync(1L)).Visits;

        Assert.That((before, inside, after, _compiles), Is.EqualTo((1, 10, 10, 1)), "the values read, and compiles of the read by key");
    }

    [Test]
    public async Task A_query_whose_list_parameter_is_bound_again_with_lists_of_other_lengths_on_a_held_connection_returns_each_lists_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        var found = new List<long[]>();
        foreach (var ids in new[] { new[] { 1L }, [1L, 3L], [2L], [3L, 2L, 1L], [] })
        {
            found.Add((await customers.Query().Where(c => ids.Contains(c.Id)).ToListAsync()).Select(c => c.Id).Order().ToArray());
        }

        Assert.That(found, Is.EqualTo(new[] { new[] { 1L }, [1L, 3L], [2L], [1L, 2L, 3L], [] }));
    }

    [Test]
    public async Task Seventy_statements_on_a_held_connection_all_read_their_rows_and_the_first_is_kept_again_once_read_after_them()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = uow.Repository<Customer>().AsNoTracking();
        var counts = new List<int>();

        // Id = 1 OR Id = 2 OR … with 1 to 35 terms, then Visits = 1 OR … likewise: 70 statements of their own text, more
        // than the 64 a connection keeps (each with few enough values for its translation to be cached and kept).
        for (var n = 1; n <= 70; n++)
        {
            counts.Add((await customers.Query().Where(OneOf(n <= 35 ? nameof(Customer.Id) : nameof(Customer.Visits), Terms(n))).ToListAsync()).Count);
        }

        _compiles = 0;
        await customers.Query().Where(IdIsOneOf(1)).ToListAsync();
        await customers.Query().Where(IdIsOneOf(1)).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts, Is.EqualTo(Enumerable.Range(1, 70).Select(n => Math.Min(Terms(n), 3))));
            Assert.That(_compiles, Is.EqualTo(1), "the first statement, crowded out by the 65th, was compiled once and then kept");
        }
    }

    private static int Terms(int n) => ((n - 1) % 35) + 1;

    private static Expression<Func<Customer, bool>> IdIsOneOf(int terms) => OneOf(nameof(Customer.Id), terms);

    private static Expression<Func<Customer, bool>> OneOf(string column, int terms)
    {
        var customer = Expression.Parameter(typeof(Customer), "c");
        var property = Expression.Property(customer, column);
        var body = Enumerable.Range(1, terms).Select(k => (Expression)Expression.Equal(property, Expression.Constant(Convert.ChangeType(k, property.Type, System.Globalization.CultureInfo.InvariantCulture)))).Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Customer, bool>>(body, customer);
    }

    private void CountCompiles(System.Data.Common.DbConnection connection) =>
        raw.sqlite3_set_authorizer(
            ((SqliteConnection)connection).Handle,
            (_, action, table, column, _, _) =>
            {
                if (action == ReadColumn && table == "customers" && column == "Visits")
                {
                    Interlocked.Increment(ref _compiles);
                }

                return raw.SQLITE_OK;
            },
            null);
}
