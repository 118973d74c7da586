using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Premix.ColdStart.Model;
using Premix.ColdStart.Model.Compiled;

namespace Premix.ColdStart;

/// <summary>
/// What each contender does from launch to its first result: build what it needs for the whole model (Premix, EF Core),
/// then read row 1 of one table. Premix and EF Core read it tracked, by key (a unit of work's get, <c>DbSet.FindAsync</c>);
/// Dapper and ADO.NET, which track nothing, read it untracked. Each method runs once per process and returns the row as
/// <see cref="Describe"/> writes it, which build/cold-start.sh compares with the row it expects; the caller times the process.
/// </summary>
internal static class Contenders
{
    private const string Sql = "SELECT id, name, code, amount, quantity, created_at, is_active, note, ratio, parent_id FROM entity050 WHERE id = @id";

    public static async Task<string> SetUpAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Model", "schema.sql"));
        await command.ExecuteNonQueryAsync();
        return "created";
    }

    public static async Task<string> PremixAsync(string connectionString)
    {
        await using var premix = PremixFactory.Create(p => p.UseSqlite(connectionString).UseNamingConvention(Mapping.NamingConvention.SnakeCase).AddModelConfigurationsFrom(typeof(Entity050Map).Assembly));
        Phases.Mark("created");
        await using var work = premix.BeginUnitOfWork();
        var row = await work.Repository<Entity050>().GetAsync(1L);
        Phases.Mark("got");
        return Describe(row);
    }

    /// <summary>
    /// Premix on its generated model (Model/Generated, written by <c>premix optimize</c>: Model/optimize-premix.sh): the same
    /// mapping is registered and checked, and plans take the generated accessors, row readers and snapshots instead of
    /// compiling them.
    /// </summary>
    public static async Task<string> PremixGeneratedAsync(string connectionString)
    {
        await using var premix = PremixFactory.Create(p => p.UseSqlite(connectionString).UseNamingConvention(Mapping.NamingConvention.SnakeCase)
            .AddModelConfigurationsFrom(typeof(Entity050Map).Assembly).UseGeneratedModel(Model.Generated.PremixModel.Instance));
        Phases.Mark("created");
        await using var work = premix.BeginUnitOfWork();
        var row = await work.Repository<Entity050>().GetAsync(1L);
        Phases.Mark("got");
        return Describe(row);
    }

    /// <summary>EF Core building its model from <c>OnModelCreating</c> at run time.</summary>
    public static Task<string> EfCoreAsync(string connectionString) =>
        EfCoreFindAsync(new DbContextOptionsBuilder<ColdStartContext>().UseSqlite(connectionString).Options);

    /// <summary>EF Core with the compiled model <c>dotnet ef dbcontext optimize</c> generated (Model/Compiled, Model/optimize-ef.sh).</summary>
    public static Task<string> EfCoreCompiledAsync(string connectionString) =>
        EfCoreFindAsync(new DbContextOptionsBuilder<ColdStartContext>().UseModel(ColdStartContextModel.Instance).UseSqlite(connectionString).Options);

    private static async Task<string> EfCoreFindAsync(DbContextOptions<ColdStartContext> options)
    {
        await using var context = new ColdStartContext(options);
        // Tracked, by key: the same work as Premix's get in a unit of work (a snapshot is taken of the row).
        var row = await context.Set<Entity050>().FindAsync(1L) ?? throw new InvalidOperationException("entity050 has no row 1.");
        return Describe(row);
    }

    public static async Task<string> DapperAsync(string connectionString)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        await using var connection = new SqliteConnection(connectionString);
        var row = await connection.QuerySingleAsync<Entity050>(Sql, new { id = 1L });
        Phases.Mark("got");
        return Describe(row);
    }

    public static async Task<string> AdoNetAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("@id", 1L);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var row = new Entity050
        {
            Id = reader.GetInt64(0), Name = reader.GetString(1), Code = reader.GetString(2), Amount = reader.GetDecimal(3),
            Quantity = reader.GetInt32(4), CreatedAt = reader.GetDateTime(5), IsActive = reader.GetBoolean(6),
            Note = reader.IsDBNull(7) ? null : reader.GetString(7), Ratio = reader.GetDouble(8), ParentId = reader.IsDBNull(9) ? null : reader.GetInt64(9),
        };
        return Describe(row);
    }

    // Every column, so that a contender that maps one wrongly fails the script's check (the app runs with invariant culture).
    private static string Describe(Entity050 row) =>
        $"{row.Id} {row.Name} {row.Code} {row.Amount} {row.Quantity} {row.CreatedAt:yyyy-MM-dd HH:mm:ss} {row.IsActive} {row.Note ?? "null"} {row.Ratio} {row.ParentId?.ToString() ?? "null"}";
}
