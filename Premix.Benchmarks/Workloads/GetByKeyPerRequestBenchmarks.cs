using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// One row by primary key the way a web request reads it: every contender takes a pooled connection for the call and
/// gives it back after. Dapper and ADO.NET open a new connection object; Premix begins a unit of work (which takes a
/// connection per operation); EF Core creates a context (which opens its connection per query). On PostgreSQL, each
/// pool rent makes Npgsql send its session reset (<c>DISCARD ALL</c>) before the next statement, for every contender alike.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class GetByKeyPerRequestBenchmarks
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
        ResultCheck.Same(nameof(Dapper), await Dapper(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(Premix), await Premix(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(AdoNet), await AdoNet(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(EfCoreNoTracking), await EfCoreNoTracking(), CustomerSql.KnownKey);
    }

    // Dapper opens a closed connection for the call and closes it after.
    [Benchmark(Baseline = true)]
    public async Task<Customer?> Dapper()
    {
        await using var connection = _database.CreateConnection();
        return await connection.QueryFirstOrDefaultAsync<Customer>(CustomerSql.ByKey, new { id = CustomerSql.KnownKey });
    }

    [Benchmark]
    public async Task<Customer?> Premix()
    {
        await using var unitOfWork = _premix.BeginUnitOfWork();
        return await unitOfWork.Repository<Customer>().AsNoTracking().FindAsync(CustomerSql.KnownKey);
    }

    [Benchmark]
    public async Task<Customer?> AdoNet()
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        return await CustomerReader.GetAsync(connection, CustomerSql.KnownKey);
    }

    [Benchmark]
    public async Task<Customer?> EfCoreNoTracking()
    {
        var id = CustomerSql.KnownKey;
        await using var context = _database.CreateDbContext();
        return await context.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _premix.DisposeAsync();
        await _database.DisposeAsync();
    }
}
