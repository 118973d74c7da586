using System.Data.Common;
using Npgsql;
using Premix.Migrations;

namespace Premix.Providers.PostgreSql;

/// <summary>Premix on PostgreSQL through Npgsql.</summary>
public sealed class PostgreSqlProvider : IDatabaseProvider, ISchemaProvider
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the provider for one PostgreSQL database.</summary>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=localhost;Database=shop;Username=app</c>.</param>
    public PostgreSqlProvider(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Target = new DatabaseTarget(builder.Database ?? builder.Username, builder.Host, builder.Port);
        Schema = new PostgreSqlSchemaDialect(Dialect);
    }

    /// <inheritdoc />
    public string Name => "postgresql";

    /// <inheritdoc />
    public DatabaseTarget Target { get; }

    /// <inheritdoc />
    public IMigrationDialect Migrations { get; } = new PostgreSqlMigrationDialect();

    /// <inheritdoc />
    public ISqlDialect Dialect { get; } = new PostgreSqlDialect();

    /// <inheritdoc />
    public SchemaDialect Schema { get; }

    /// <inheritdoc />
    public DbConnection CreateConnection() => _dataSource.CreateConnection();
}
