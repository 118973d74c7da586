using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// The whole table (1000 rows) as a list of entities. Every contender reuses one open connection, as a Premix unit of
/// work does for its lifetime.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class ListBenchmarks
{
    private BenchmarkDatabase _database = null!;
    private IUnitOfWork _unitOfWork = null!;
    private IRepository<Customer> _repository = null!;
    private DbConnection _dapperConnection = null!;
    private DbConnection _adoConnection = null!;
    private BenchmarkDbContext _context = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(Engine);
        _unitOfWork = _database.CreatePremix().BeginUnitOfWork();
        _repository = _unitOfWork.Repository<Customer>();
        _dapperConnection = _database.CreateConnection();
        await _dapperConnection.OpenAsync();
        _adoConnection = _database.CreateConnection();
        await _adoConnection.OpenAsync();
        _context = _database.CreateDbContext();
        await _context.Database.OpenConnectionAsync();

        ResultCheck.Same(nameof(Dapper), await Dapper(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(Premix), await Premix(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(AdoNet), await AdoNet(), CustomerSql.RowCount);
        ResultCheck.Same(nameof(EfCoreNoTracking), await EfCoreNoTracking(), CustomerSql.RowCount);
    }

    [Benchmark(Baseline = true)]
    public async Task<List<Customer>> Dapper() =>
        (await _dapperConnection.QueryAsync<Customer>(CustomerSql.All)).AsList();

    [Benchmark]
    public Task<IReadOnlyList<Customer>> Premix() => _repository.ListAsync();

    [Benchmark]
    public Task<List<Customer>> AdoNet() => CustomerReader.ListAsync(_adoConnection, CustomerSql.All, min: null);

    [Benchmark]
    public Task<List<Customer>> EfCoreNoTracking() => _context.Customers.AsNoTracking().ToListAsync();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _context.DisposeAsync();
        await _adoConnection.DisposeAsync();
        await _dapperConnection.DisposeAsync();
        await _unitOfWork.DisposeAsync();
        await _database.DisposeAsync();
    }
}
