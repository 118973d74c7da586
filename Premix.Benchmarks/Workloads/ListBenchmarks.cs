using System.Data;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// The whole table (1000 rows) as a list of entities. Every contender reuses one open connection (Premix: a unit of
/// work under <c>HoldConnectionAsync</c>).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class ListBenchmarks
{
    private OpenConnections _open = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _open = await OpenConnections.CreateAsync(Engine);
        ResultCheck.Same(nameof(Dapper), await Dapper(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(Premix), await Premix(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(AdoNet), await AdoNet(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(AdoNetSequential), await AdoNetSequential(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(EfCoreNoTracking), await EfCoreNoTracking(), CustomerSql.RowCount);
    }

    [Benchmark(Baseline = true)]
    public async Task<List<Customer>> Dapper() =>
        (await _open.Dapper.QueryAsync<Customer>(CustomerSql.All)).AsList();

    [Benchmark]
    public Task<IReadOnlyList<Customer>> Premix() => _open.Repository.ListAsync();

    [Benchmark]
    public Task<List<Customer>> AdoNet() => CustomerReader.ListAsync(_open.Ado, CustomerSql.All, min: null);

    /// <summary>
    /// The same loop with <see cref="CommandBehavior.SequentialAccess"/> and <see cref="CommandBehavior.SingleResult"/> (as
    /// Dapper reads; AdoNet passes neither, and SingleResult concerns only results after the first).
    /// With it Npgsql's ReadAsync no longer buffers a whole row, so a getter reading a column past its buffer reads the socket
    /// synchronously.
    /// </summary>
    [Benchmark]
    public Task<List<Customer>> AdoNetSequential() => CustomerReader.ListAsync(_open.Ado, CustomerSql.All, min: null, CommandBehavior.SingleResult | CommandBehavior.SequentialAccess);

    [Benchmark]
    public Task<List<Customer>> EfCoreNoTracking() => _open.Context.Customers.AsNoTracking().ToListAsync();

    [GlobalCleanup]
    public async Task CleanupAsync() => await _open.DisposeAsync();
}
