using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// A hand-written query returning 1000 rows into an unmapped class. <c>premix.Raw(...)</c> takes a pooled connection
/// of its own per call, so every contender does the same: open a pooled connection, query, close it.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class RawFetchBenchmarks
{
    private const long Min = 0;

    private BenchmarkDatabase _database = null!;
    private IPremix _premix = null!;
    private BenchmarkDbContext _context = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(Engine);
        _premix = _database.CreatePremix();
        _context = _database.CreateDbContext(); // its connection stays closed: EF Core opens a pooled one per query

        ResultCheck.Same(nameof(Dapper), (await Dapper()).Select(ResultCheck.ToCustomer), CustomerSql.RowCount);
        ResultCheck.Same(nameof(Premix), (await Premix()).Select(ResultCheck.ToCustomer), CustomerSql.RowCount);
        ResultCheck.Same(nameof(AdoNet), await AdoNet(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(EfCoreSqlQuery), (await EfCoreSqlQuery()).Select(ResultCheck.ToCustomer), CustomerSql.RowCount);
    }

    [Benchmark(Baseline = true)]
    public async Task<List<CustomerRow>> Dapper()
    {
        var connection = _database.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            return (await connection.QueryAsync<CustomerRow>(CustomerSql.AboveId, new { min = Min })).AsList();
        }
    }

    [Benchmark]
    public Task<IReadOnlyList<CustomerRow>> Premix() =>
        _premix.Raw(CustomerSql.AboveId, new { min = Min }).FetchAs<CustomerRow>();

    [Benchmark]
    public async Task<List<Customer>> AdoNet()
    {
        var connection = _database.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync();
            return await CustomerReader.ListAsync(connection, CustomerSql.AboveId, Min);
        }
    }

    [Benchmark]
    public Task<List<CustomerRow>> EfCoreSqlQuery()
    {
        var min = Min;
        return _context.Database.SqlQuery<CustomerRow>($"""SELECT id AS "Id", name AS "Name", email AS "Email", score AS "Score", created_at AS "CreatedAt" FROM customers WHERE id > {min}""").ToListAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _context.DisposeAsync();
        await _database.DisposeAsync();
    }
}
