using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Npgsql;

namespace Premix.Benchmarks.Data;

/// <summary>
/// One benchmark database with a seeded customers table: a temporary SQLite file, the PostgreSQL database named by
/// <see cref="PostgreSqlVariable"/> or the MariaDB database named by <see cref="MySqlVariable"/>. Hands out connections,
/// a configured Premix and an EF Core context on it.
/// </summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    /// <summary>The environment variable holding a PostgreSQL connection string to a database the benchmarks may create tables in.</summary>
    public const string PostgreSqlVariable = "PREMIX_BENCH_POSTGRES";

    /// <summary>The environment variable holding a MySqlConnector connection string to a MariaDB database the benchmarks may create tables in.</summary>
    public const string MySqlVariable = "PREMIX_BENCH_MYSQL";

    private readonly string? _sqliteFile;
    private DbContextOptions<BenchmarkDbContext>? _options;
    private DbContextOptions<IncludeDbContext>? _includeOptions;

    private BenchmarkDatabase(Engine engine, string connectionString, string? sqliteFile)
    {
        Engine = engine;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
    }

    public Engine Engine { get; }

    public string ConnectionString { get; }

    public static string? PostgreSqlConnectionString => Environment.GetEnvironmentVariable(PostgreSqlVariable) is { Length: > 0 } value ? value : null;

    public static string? MySqlConnectionString => Environment.GetEnvironmentVariable(MySqlVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Creates the customers table and seeds <see cref="CustomerSql.RowCount"/> known rows.</summary>
    public static async Task<BenchmarkDatabase> CreateAsync(Engine engine)
    {
        var database = engine switch
        {
            Engine.Sqlite => CreateSqliteFile(),
            Engine.PostgreSql => new BenchmarkDatabase(engine, PostgreSqlConnectionString ?? throw new InvalidOperationException($"Set {PostgreSqlVariable} to a PostgreSQL connection string to run the PostgreSQL benchmarks."), null),
            Engine.MySql => new BenchmarkDatabase(engine, MySqlConnectionString ?? throw new InvalidOperationException($"Set {MySqlVariable} to a MySqlConnector connection string to run the MariaDB benchmarks."), null),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine."),
        };
        await database.SeedAsync().ConfigureAwait(false);
        if (engine == Engine.PostgreSql)
        {
            NpgsqlConnection.ClearAllPools();
        }

        return database;
    }

    /// <summary>A new, closed connection; opening it takes one from the driver's pool.</summary>
    public DbConnection CreateConnection() => Engine switch
    {
        Engine.Sqlite => new SqliteConnection(ConnectionString),
        Engine.PostgreSql => new NpgsqlConnection(ConnectionString),
        _ => new MySqlConnection(ConnectionString),
    };

    public IPremix CreatePremix() => CreatePremix(new CustomerMap());

    /// <summary>A Premix over this database with the given mappings (snake_case columns).</summary>
    public IPremix CreatePremix(params Mapping.ModelConfiguration[] mappings) => PremixFactory.Create(p =>
    {
        _ = Engine switch
        {
            Engine.Sqlite => p.UseSqlite(ConnectionString),
            Engine.PostgreSql => p.UsePostgreSql(ConnectionString),
            _ => p.UseMySql(new MySqlConnectionStringBuilder(ConnectionString) { AllowLoadLocalInfile = true }.ConnectionString), // the bulk path's MySqlBulkCopy, as linq2db's
        };
        p.UseNamingConvention(Mapping.NamingConvention.SnakeCase);
        foreach (var mapping in mappings)
        {
            p.AddModelConfiguration(mapping);
        }
    });

    // Built once, as AddDbContext does in an application: a context per call then costs what it costs there.
    public BenchmarkDbContext CreateDbContext() => new(_options ??= Options<BenchmarkDbContext>());

    public IncludeDbContext CreateIncludeDbContext() => new(_includeOptions ??= Options<IncludeDbContext>());

    /// <summary>Runs one statement synchronously (for <c>[IterationSetup]</c>, which BenchmarkDotNet does not await).</summary>
    public void Execute(string sql)
    {
        using var connection = CreateConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Every row of the customers table, read with plain SQL: how the write workloads are checked.</summary>
    public async Task<List<Customer>> ReadAllAsync()
    {
        var connection = CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            return (await connection.QueryAsync<Customer>(CustomerSql.All).ConfigureAwait(false)).OrderBy(c => c.Id).ToList();
        }
    }

    /// <summary>Creates the orders table and seeds <see cref="OrderSql.OrdersPerCustomer"/> known orders per customer (<see cref="ExpectedOrder"/>).</summary>
    public async Task SeedOrdersAsync()
    {
        var connection = CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await ExecuteAsync(connection, OrderSql.CreateTable(Engine)).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insert = connection.CreateCommand();
                await using (insert.ConfigureAwait(false))
                {
                    insert.Transaction = transaction;
                    insert.CommandText = OrderSql.Insert;
                    var parameters = AddParameters(insert, "@id", "@customer_id", "@total", "@placed_at");
                    for (long id = 1; id <= CustomerSql.RowCount * OrderSql.OrdersPerCustomer; id++)
                    {
                        var order = ExpectedOrder(id);
                        parameters[0].Value = order.Id;
                        parameters[1].Value = order.CustomerId;
                        parameters[2].Value = order.Total;
                        parameters[3].Value = order.PlacedAt;
                        await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }

            if (Engine != Engine.Sqlite)
            {
                await ExecuteAsync(connection, Engine == Engine.PostgreSql ? "ANALYZE orders" : "ANALYZE TABLE orders").ConfigureAwait(false);
            }
        }
    }

    public static Customer Expected(long id) => new()
    {
        Id = id,
        Name = $"Customer {id}",
        Email = $"customer{id}@example.com",
        Score = (int)(id % 100),
        CreatedAt = new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Unspecified).AddMinutes(id),
    };

    /// <summary>Order <paramref name="id"/>: customers 1, 1, 1, 2, 2, 2, ... with a total of two decimals.</summary>
    public static Order ExpectedOrder(long id) => new()
    {
        Id = id,
        CustomerId = ((id - 1) / OrderSql.OrdersPerCustomer) + 1,
        Total = id * 1237 % 100000 / 100m,
        PlacedAt = new DateTime(2026, 2, 1, 9, 0, 0, DateTimeKind.Unspecified).AddHours(id),
    };

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            File.Delete(_sqliteFile);
        }
        else if (Engine == Engine.PostgreSql)
        {
            NpgsqlConnection.ClearAllPools();
        }
        else
        {
            MySqlConnection.ClearAllPools();
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Commits do not wait for the WAL to reach the disk: every contender commits once per call, and on a shared disk
    /// the flush varied from 1 to 10 ms, drowning what is measured. Set on the benchmark database rather than as a
    /// startup option, so the same run works through PgBouncer (which refuses <c>Options</c>); the pools are cleared
    /// after seeding so every measured session starts with the setting.
    /// </summary>
    private const string WithoutCommitFlush =
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$";

    /// <summary>
    /// MariaDB has no per-database equivalent of <see cref="WithoutCommitFlush"/>: whether a commit waits for the redo log
    /// to reach the disk is the server-wide <c>innodb_flush_log_at_trx_commit</c>, which a benchmark should not change
    /// behind its owner's back. So it only says when the server flushes on every commit (1, the default).
    /// </summary>
    private static async Task WarnOfCommitFlushAsync(DbConnection connection)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "SELECT @@innodb_flush_log_at_trx_commit";
            if (Convert.ToInt32(await command.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1)
            {
                Console.WriteLine("MariaDB flushes its redo log to disk on every commit (innodb_flush_log_at_trx_commit = 1): the write workloads then measure the disk. Start the server with --innodb-flush-log-at-trx-commit=0 (or 2) for a benchmark run.");
            }
        }
    }

    private static BenchmarkDatabase CreateSqliteFile()
    {
        // In memory-backed /dev/shm when there is one, for the same reason: an fsync per commit measures the disk.
        var directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var file = Path.Combine(directory, $"premix-bench-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ToString();
        return new BenchmarkDatabase(Engine.Sqlite, connectionString, file);
    }

    private async Task SeedAsync()
    {
        var connection = CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            if (Engine == Engine.PostgreSql)
            {
                await ExecuteAsync(connection, WithoutCommitFlush).ConfigureAwait(false);
            }
            else if (Engine == Engine.MySql)
            {
                await WarnOfCommitFlushAsync(connection).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, CustomerSql.CreateTable(Engine)).ConfigureAwait(false);

            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insert = connection.CreateCommand();
                await using (insert.ConfigureAwait(false))
                {
                    insert.Transaction = transaction;
                    insert.CommandText = CustomerSql.Insert;
                    var parameters = AddParameters(insert, "@id", "@name", "@email", "@score", "@created_at");
                    for (long id = 1; id <= CustomerSql.RowCount; id++)
                    {
                        var customer = Expected(id);
                        parameters[0].Value = customer.Id;
                        parameters[1].Value = customer.Name;
                        parameters[2].Value = customer.Email;
                        parameters[3].Value = customer.Score;
                        parameters[4].Value = customer.CreatedAt;
                        await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }

            if (Engine != Engine.Sqlite)
            {
                await ExecuteAsync(connection, Engine == Engine.PostgreSql ? "ANALYZE customers" : "ANALYZE TABLE customers").ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static DbParameter[] AddParameters(DbCommand command, params string[] names) => names.Select(name =>
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }).ToArray();

    private DbContextOptions<TContext> Options<TContext>()
        where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>();
        _ = Engine switch
        {
            Engine.Sqlite => options.UseSqlite(ConnectionString),
            Engine.PostgreSql => options.UseNpgsql(ConnectionString),
            _ => options.UseMySQL(ConnectionString),
        };
        return options.Options;
    }
}
