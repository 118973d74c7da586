using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// One row by primary key. Every contender reuses one open connection (Premix: a unit of work under <c>HoldConnectionAsync</c>).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class GetByKeyBenchmarks
{
    private OpenConnections _open = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _open = await OpenConnections.CreateAsync(Engine);
        ResultCheck.Same(nameof(Dapper), await Dapper(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(Premix), await Premix(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(AdoNet), await AdoNet(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(EfCoreNoTracking), await EfCoreNoTracking(), CustomerSql.KnownKey);
    }

    [Benchmark(Baseline = true)]
    public Task<Customer?> Dapper() =>
        _open.Dapper.QueryFirstOrDefaultAsync<Customer>(CustomerSql.ByKey, new { id = CustomerSql.KnownKey });

    // FindAsync is the equal work to QueryFirstOrDefaultAsync: null when absent, no exception path.
    [Benchmark]
    public Task<Customer?> Premix() => _open.Repository.FindAsync(CustomerSql.KnownKey);

    [Benchmark]
    public Task<Customer?> AdoNet() => CustomerReader.GetAsync(_open.Ado, CustomerSql.KnownKey);

    [Benchmark]
    public Task<Customer?> EfCoreNoTracking()
    {
        var id = CustomerSql.KnownKey;
        return _open.Context.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _open.DisposeAsync();
}
