using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// Load the 100 customers of the table, add one to each one's score, commit: 100 one-column UPDATEs in one
/// transaction. Every call does the same work (the scores only grow). Every contender takes a pooled connection per
/// call, as a Premix unit of work and an EF Core context do.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private BenchmarkDatabase _database = null!;
    private IPremix _premix = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(Engine);
        _database.Execute(WriteSql.KeepUpdatedRows);
        foreach (var statement in WriteSql.SteadyUpdates(Engine))
        {
            _database.Execute(statement);
        }

        _premix = _database.CreatePremix();
        await CheckAsync(nameof(Dapper), async () => await Dapper());
        await CheckAsync(nameof(Premix), async () => await Premix());
        await CheckAsync(nameof(PremixHeldConnection), async () => await PremixHeldConnection());
        await CheckAsync(nameof(HandTuned), async () => await HandTuned());
        await CheckAsync(nameof(EfCore), async () => await EfCore());
    }

    /// <summary>Dapper: <c>QueryAsync</c>, then <c>ExecuteAsync(sql, list, transaction)</c>, one UPDATE per row.</summary>
    [Benchmark(Baseline = true)]
    public async Task<List<Customer>> Dapper()
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        var customers = (await connection.QueryAsync<Customer>(CustomerSql.All)).AsList();
        foreach (var customer in customers)
        {
            customer.Score++;
        }

        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(WriteSql.UpdateScore, customers, transaction);
        await transaction.CommitAsync();
        return customers;
    }

    [Benchmark]
    public async Task<IReadOnlyList<Customer>> Premix()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = await uow.Repository<Customer>().ListAsync();
        foreach (var customer in customers)
        {
            customer.Score++;
        }

        await uow.CommitAsync();
        return customers;
    }

    /// <summary>
    /// <see cref="Premix"/> with the unit of work's connection held (<c>HoldConnectionAsync</c>), so the read and the
    /// commit share one pool rent as <see cref="HandTuned"/>'s do. Not a [Benchmark], so the methods BenchmarkDotNet
    /// measures are unchanged; but <see cref="SetupAsync"/> checks its result too, so a BenchmarkDotNet run of this class
    /// makes one more write before it starts and fails if this contender's result is wrong. For <c>--interleave</c>, to
    /// split the second rent from the rest of the gap.
    /// </summary>
    public async Task<IReadOnlyList<Customer>> PremixHeldConnection()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var customers = await uow.Repository<Customer>().ListAsync();
        foreach (var customer in customers)
        {
            customer.Score++;
        }

        await uow.CommitAsync();
        return customers;
    }

    /// <summary>ADO.NET reads by ordinal, then the engine's fastest update (see <see cref="CustomerWriter"/>).</summary>
    [Benchmark]
    public async Task<List<Customer>> HandTuned()
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        var customers = await CustomerReader.ListAsync(connection, CustomerSql.All, min: null);
        foreach (var customer in customers)
        {
            customer.Score++;
        }

        await using var transaction = await connection.BeginTransactionAsync();
        await CustomerWriter.UpdateScoresAsync(connection, transaction, customers);
        await transaction.CommitAsync();
        return customers;
    }

    [Benchmark]
    public async Task<List<Customer>> EfCore()
    {
        await using var context = _database.CreateDbContext();
        var customers = await context.Customers.ToListAsync();
        foreach (var customer in customers)
        {
            customer.Score++;
        }

        await context.SaveChangesAsync();
        return customers;
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _database.DisposeAsync();

    private async Task CheckAsync(string contender, Func<Task> run)
    {
        var before = await _database.ReadAllAsync();
        await run();
        ResultCheck.ScoresIncremented(contender, before, await _database.ReadAllAsync());
    }
}
