using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// One row by primary key. Every contender reuses one open connection, as a Premix unit of work does for its lifetime.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class GetByKeyBenchmarks
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

        ResultCheck.Same(nameof(Dapper), await Dapper(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(Premix), await Premix(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(AdoNet), await AdoNet(), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(EfCoreNoTracking), await EfCoreNoTracking(), CustomerSql.KnownKey);
    }

    [Benchmark(Baseline = true)]
    public Task<Customer?> Dapper() =>
        _dapperConnection.QueryFirstOrDefaultAsync<Customer>(CustomerSql.ByKey, new { id = CustomerSql.KnownKey });

    [Benchmark]
    public Task<Customer> Premix() => _repository.GetAsync(CustomerSql.KnownKey);

    [Benchmark]
    public Task<Customer?> AdoNet() => CustomerReader.GetAsync(_adoConnection, CustomerSql.KnownKey);

    [Benchmark]
    public Task<Customer?> EfCoreNoTracking()
    {
        var id = CustomerSql.KnownKey;
        return _context.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id);
    }

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
