using System.Data.Common;
using Microsoft.Data.Sqlite;
using Premix.Migrations;

namespace Premix.Providers.Sqlite;

/// <summary>Premix on SQLite through Microsoft.Data.Sqlite, embedded in the process.</summary>
public sealed class SqliteProvider : IDatabaseProvider, ISchemaProvider
{
    private readonly string _connectionString;

    /// <summary>Creates the provider for one SQLite database.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, for example <c>Data Source=shop.db</c>.</param>
    public SqliteProvider(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Foreign keys are off by default in SQLite; a mapper that declares relations expects them enforced.
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true };
        _connectionString = builder.ToString();
        Target = new DatabaseTarget(builder.DataSource, null, null);
        Schema = new SqliteSchemaDialect(Dialect);
    }

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <inheritdoc />
    public DatabaseTarget Target { get; }

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite runs every command synchronously; its async methods return completed tasks.</remarks>
    public bool CompletesSynchronously => true;

    /// <inheritdoc />
    public IMigrationDialect Migrations { get; } = new SqliteMigrationDialect();

    /// <inheritdoc />
    public ISqlDialect Dialect { get; } = new SqliteDialect();

    /// <inheritdoc />
    public SchemaDialect Schema { get; }

    /// <inheritdoc />
    public DbConnection CreateConnection() => new SqliteConnection(_connectionString);
}
