using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Premix.Benchmarks.Data;

/// <summary>
/// Every contender with one connection held open: Dapper and ADO.NET on an open connection, EF Core after
/// <c>Database.OpenConnectionAsync</c>, Premix after <c>HoldConnectionAsync</c>. The fair setting for the cost of the read
/// itself; <see cref="Workloads.GetByKeyPerRequestBenchmarks"/> measures a pooled connection taken per call instead.
/// </summary>
public sealed class OpenConnections : IAsyncDisposable
{
    private readonly ConnectionHold _hold;

    private OpenConnections(BenchmarkDatabase database, IUnitOfWork unitOfWork, ConnectionHold hold, DbConnection dapper, DbConnection ado, BenchmarkDbContext context)
    {
        Database = database;
        UnitOfWork = unitOfWork;
        _hold = hold;
        // Untracked, like the Dapper, ADO.NET and EF Core (no-tracking) contenders: no identity map answers a repeated key.
        Repository = unitOfWork.Repository<Customer>().AsNoTracking();
        Dapper = dapper;
        Ado = ado;
        Context = context;
    }

    public BenchmarkDatabase Database { get; }

    public IUnitOfWork UnitOfWork { get; }

    public IRepository<Customer> Repository { get; }

    public DbConnection Dapper { get; }

    public DbConnection Ado { get; }

    public BenchmarkDbContext Context { get; }

    public static async Task<OpenConnections> CreateAsync(Engine engine)
    {
        var database = await BenchmarkDatabase.CreateAsync(engine).ConfigureAwait(false);
        var dapper = database.CreateConnection();
        await dapper.OpenAsync().ConfigureAwait(false);
        var ado = database.CreateConnection();
        await ado.OpenAsync().ConfigureAwait(false);
        var context = database.CreateDbContext();
        await context.Database.OpenConnectionAsync().ConfigureAwait(false);
        var unitOfWork = database.CreatePremix().BeginUnitOfWork();
        var hold = await unitOfWork.HoldConnectionAsync().ConfigureAwait(false);
        return new OpenConnections(database, unitOfWork, hold, dapper, ado, context);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync().ConfigureAwait(false);
        await Ado.DisposeAsync().ConfigureAwait(false);
        await Dapper.DisposeAsync().ConfigureAwait(false);
        await _hold.DisposeAsync().ConfigureAwait(false);
        await UnitOfWork.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
    }
}
