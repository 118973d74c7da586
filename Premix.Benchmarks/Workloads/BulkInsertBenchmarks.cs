using BenchmarkDotNet.Attributes;
using LinqToDB;
using LinqToDB.Data;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// 100,000 new customers in one commit (issue 17 item 4): Premix's commit, which switches to the engine's bulk channel
/// past a number of rows, against the best hand-written bulk insert that reads the keys back (<see cref="BulkWriter"/>,
/// the baseline), linq2db's <c>BulkCopy</c> (no keys back) and EF Core's <c>SaveChanges</c>. Every contender takes a
/// pooled connection and writes in one transaction.
/// </summary>
/// <remarks>
/// As in <see cref="InsertBenchmarks"/>: the table is emptied before each call, so one invocation per iteration, and no
/// forced collection before each call. A call takes a large fraction of a second or more, so a few warm-up calls reach
/// the optimized code.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(1, 1)]
[WarmupCount(3)]
[GcForce(false)]
public class BulkInsertBenchmarks
{
    private BenchmarkDatabase _database = null!;
    private IPremix _premix = null!;
    private IPremix _premixAssignedKeys = null!;
    private DataOptions _linq2Db = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(Engine);
        _premix = _database.CreatePremix();
        _premixAssignedKeys = _database.CreatePremix(new AssignedKeyCustomerMap());
        _linq2Db = Linq2DbCustomers.Options(_database);
        await CheckAsync(nameof(HandTuned), HandTuned, keysReadBack: true);
        await CheckAsync(nameof(Premix), Premix, keysReadBack: true);
        await CheckAsync(nameof(PremixAssignedKeys), PremixAssignedKeys, keysReadBack: true);
        await CheckAsync(nameof(Linq2DbBulkCopy), Linq2DbBulkCopy, keysReadBack: false);
        await CheckAsync(nameof(EfCore), EfCore, keysReadBack: true);
    }

    [IterationSetup]
    public void EmptyTable() => _database.Execute(WriteSql.EmptyTable(Engine));

    [Benchmark(Baseline = true)]
    public async Task<List<Customer>> HandTuned()
    {
        var customers = WriteSql.NewCustomers(WriteSql.BulkRowCount);
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await BulkWriter.InsertAsync(connection, transaction, customers);
        await transaction.CommitAsync();
        return customers;
    }

    [Benchmark]
    public async Task<List<Customer>> Premix()
    {
        var customers = WriteSql.NewCustomers(WriteSql.BulkRowCount);
        await using var uow = _premix.BeginUnitOfWork();
        var repository = uow.Repository<Customer>();
        foreach (var customer in customers)
        {
            repository.Add(customer);
        }

        await uow.CommitAsync();
        return customers;
    }

    /// <summary>Premix with keys 1 to N assigned by the application: on MariaDB, <c>MySqlBulkCopy</c> in the commit's transaction.</summary>
    [Benchmark]
    public async Task<List<Customer>> PremixAssignedKeys()
    {
        var customers = WriteSql.NewCustomers(WriteSql.BulkRowCount);
        await using var uow = _premixAssignedKeys.BeginUnitOfWork();
        var repository = uow.Repository<Customer>();
        for (var i = 0; i < customers.Count; i++)
        {
            customers[i].Id = i + 1;
            repository.Add(customers[i]);
        }

        await uow.CommitAsync();
        return customers;
    }

    /// <summary>linq2db's bulk channel in a transaction of its own; it leaves the objects' keys at 0.</summary>
    [Benchmark]
    public async Task<List<Customer>> Linq2DbBulkCopy()
    {
        var customers = WriteSql.NewCustomers(WriteSql.BulkRowCount);
        await using var connection = new DataConnection(_linq2Db);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.BulkCopyAsync(Linq2DbCustomers.Bulk, customers);
        await transaction.CommitAsync();
        return customers;
    }

    [Benchmark]
    public async Task<List<Customer>> EfCore()
    {
        var customers = WriteSql.NewCustomers(WriteSql.BulkRowCount);
        await using var context = _database.CreateDbContext();
        context.Customers.AddRange(customers);
        await context.SaveChangesAsync();
        return customers;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _premixAssignedKeys.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task CheckAsync(string contender, Func<Task<List<Customer>>> run, bool keysReadBack)
    {
        EmptyTable();
        var written = await run();
        ResultCheck.Inserted(contender, written, await _database.ReadAllAsync(), keysReadBack);
    }
}
