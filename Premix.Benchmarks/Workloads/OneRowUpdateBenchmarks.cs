using BenchmarkDotNet.Attributes;
using Dapper;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// The shape of a web request that edits one record: read one customer by key, add one to its score, save. Every
/// contender takes a pooled connection per call. Hand-written code sends the lone UPDATE without a transaction, as EF
/// Core's SaveChanges does for one statement; so does a Premix commit of one update of an unversioned entity.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class OneRowUpdateBenchmarks
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
        await CheckAsync(nameof(Dapper), Dapper);
        await CheckAsync(nameof(Premix), Premix);
        await CheckAsync(nameof(HandTuned), HandTuned);
        await CheckAsync(nameof(EfCore), EfCore);
    }

    [Benchmark(Baseline = true)]
    public async Task<Customer> Dapper()
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        var customer = await connection.QueryFirstAsync<Customer>(CustomerSql.ByKey, new { id = CustomerSql.KnownKey });
        customer.Score++;
        await connection.ExecuteAsync(WriteSql.UpdateScore, customer);
        return customer;
    }

    [Benchmark]
    public async Task<Customer> Premix()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customer = await uow.Repository<Customer>().GetAsync(CustomerSql.KnownKey);
        customer.Score++;
        await uow.CommitAsync();
        return customer;
    }

    /// <summary>ADO.NET reads by ordinal, then one UPDATE command.</summary>
    [Benchmark]
    public async Task<Customer> HandTuned()
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        var customer = (await CustomerReader.GetAsync(connection, CustomerSql.KnownKey))!;
        customer.Score++;
        await using var command = connection.CreateCommand();
        command.CommandText = WriteSql.UpdateScore;
        AddParameter(command, "@Score", customer.Score);
        AddParameter(command, "@Id", customer.Id);
        await command.ExecuteNonQueryAsync();
        return customer;
    }

    [Benchmark]
    public async Task<Customer> EfCore()
    {
        await using var context = _database.CreateDbContext();
        var customer = (await context.Customers.FindAsync(CustomerSql.KnownKey))!;
        customer.Score++;
        await context.SaveChangesAsync();
        return customer;
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _database.DisposeAsync();

    private static void AddParameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // The known customer's score is one higher after a call, and nothing else of it changed.
    private async Task CheckAsync(string contender, Func<Task<Customer>> run)
    {
        var before = (await _database.ReadAllAsync()).Single(c => c.Id == CustomerSql.KnownKey);
        var returned = await run();
        var after = (await _database.ReadAllAsync()).Single(c => c.Id == CustomerSql.KnownKey);
        if (after.Score != before.Score + 1 || returned.Score != after.Score || after.Name != before.Name || after.Email != before.Email)
        {
            throw new InvalidOperationException($"{contender}: score {before.Score} became {after.Score} (returned {returned.Score}); expected {before.Score + 1}.");
        }
    }
}
