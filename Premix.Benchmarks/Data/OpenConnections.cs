using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Premix.Benchmarks.Data;

/// <summary>
/// Every contender with one connection held open, as a Premix unit of work holds its own for its lifetime: the fair
/// setting for reads inside a unit of work (get-by-key, list).
/// </summary>
public sealed class OpenConnections : IAsyncDisposable
{
    private OpenConnections(BenchmarkDatabase database, IUnitOfWork unitOfWork, DbConnection dapper, DbConnection ado, BenchmarkDbContext context)
    {
        Database = database;
        UnitOfWork = unitOfWork;
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
        return new OpenConnections(database, database.CreatePremix().BeginUnitOfWork(), dapper, ado, context);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync().ConfigureAwait(false);
        await Ado.DisposeAsync().ConfigureAwait(false);
        await Dapper.DisposeAsync().ConfigureAwait(false);
        await UnitOfWork.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
    }
}
