using BenchmarkDotNet.Attributes;
using Dapper;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// 1000 new customers in one commit, their generated keys written back to the objects. Every contender takes a pooled
/// connection per call, as a Premix unit of work and an EF Core context do, and writes in one transaction.
/// </summary>
/// <remarks>
/// [IterationSetup] empties the table so every call inserts into an empty table; BenchmarkDotNet then needs one
/// invocation per iteration (a commit of 1000 rows is long enough to time alone). With one invocation per iteration the
/// automatic warm-up stopped after about 9 calls, before the tiered JIT had optimized the code (a method is recompiled
/// after 30 calls and a 100 ms delay), so the measured calls ran partly unoptimized code, and more so the more managed
/// code a contender runs; 40 warm-up calls give every contender its steady state. BenchmarkDotNet also forces a full
/// garbage collection before every iteration by default, which with one invocation per iteration means before every
/// call: each call then started right after a blocking full collection, which no application does between two
/// commits, and which cost the contenders unevenly (Premix's PostgreSQL runs split into a fast and a slow cluster).
/// Without it, the garbage each call leaves is collected when the runtime decides, during whichever call triggers it,
/// as in an application. Not sealed: BenchmarkDotNet derives from benchmark classes.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(1, 1)]
[WarmupCount(40)]
[GcForce(false)]
public class InsertBenchmarks
{
    private BenchmarkDatabase _database = null!;
    private IPremix _premix = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(Engine);
        _premix = _database.CreatePremix();
        await CheckAsync(nameof(Dapper), Dapper, keysReadBack: true);
        await CheckAsync(nameof(DapperNoKeys), DapperNoKeys, keysReadBack: false);
        await CheckAsync(nameof(Premix), Premix, keysReadBack: true);
        await CheckAsync(nameof(HandTuned), HandTuned, keysReadBack: true);
        await CheckAsync(nameof(EfCore), EfCore, keysReadBack: true);
    }

    [IterationSetup]
    public void EmptyTable() => _database.Execute(WriteSql.EmptyTable(Engine));

    /// <summary>Dapper one statement per row, as <c>Execute(sql, list)</c> runs it, but reading each key back.</summary>
    [Benchmark(Baseline = true)]
    public async Task<List<Customer>> Dapper()
    {
        var customers = WriteSql.NewCustomers();
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var customer in customers)
        {
            customer.Id = await connection.ExecuteScalarAsync<long>(WriteSql.InsertReturningKey, customer, transaction);
        }

        await transaction.CommitAsync();
        return customers;
    }

    /// <summary>The usual Dapper bulk write, <c>ExecuteAsync(sql, list, transaction)</c>: it cannot read keys back.</summary>
    [Benchmark]
    public async Task<List<Customer>> DapperNoKeys()
    {
        var customers = WriteSql.NewCustomers();
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(WriteSql.Insert, customers, transaction);
        await transaction.CommitAsync();
        return customers;
    }

    [Benchmark]
    public async Task<List<Customer>> Premix()
    {
        var customers = WriteSql.NewCustomers();
        await using var uow = _premix.BeginUnitOfWork();
        var repository = uow.Repository<Customer>();
        foreach (var customer in customers)
        {
            repository.Add(customer);
        }

        await uow.CommitAsync();
        return customers;
    }

    [Benchmark]
    public async Task<List<Customer>> HandTuned()
    {
        var customers = WriteSql.NewCustomers();
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await CustomerWriter.InsertAsync(connection, transaction, customers);
        await transaction.CommitAsync();
        return customers;
    }

    [Benchmark]
    public async Task<List<Customer>> EfCore()
    {
        var customers = WriteSql.NewCustomers();
        await using var context = _database.CreateDbContext();
        context.Customers.AddRange(customers);
        await context.SaveChangesAsync();
        return customers;
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _database.DisposeAsync();

    private async Task CheckAsync(string contender, Func<Task<List<Customer>>> run, bool keysReadBack)
    {
        EmptyTable();
        var written = await run();
        ResultCheck.Inserted(contender, written, await _database.ReadAllAsync(), keysReadBack);
    }
}
