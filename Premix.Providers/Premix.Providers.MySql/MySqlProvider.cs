using System.Data.Common;
using MySqlConnector;
using Premix.Migrations;

namespace Premix.Providers.MySql;

/// <summary>Premix on MySQL and MariaDB through MySqlConnector.</summary>
public sealed class MySqlProvider : IDatabaseProvider, ISchemaProvider
{
    private readonly MySqlDataSource _dataSource;

    /// <summary>Creates the provider for one MySQL or MariaDB database.</summary>
    /// <param name="connectionString">A MySqlConnector connection string, for example <c>Server=localhost;Database=shop;User ID=app</c>.</param>
    public MySqlProvider(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            // Version checks count matched rows; affected rows would report 0 for an update that writes identical values.
            UseAffectedRows = false,
        };
        _dataSource = new MySqlDataSource(builder.ConnectionString);
        Target = new DatabaseTarget(builder.Database, builder.Server, (int)builder.Port);
        Schema = new MySqlSchemaDialect(Dialect);
    }

    /// <inheritdoc />
    public string Name => "mysql";

    /// <inheritdoc />
    public DatabaseTarget Target { get; }

    /// <inheritdoc />
    public IMigrationDialect Migrations { get; } = new MySqlMigrationDialect();

    /// <inheritdoc />
    public ISqlDialect Dialect { get; } = new MySqlDialect();

    /// <inheritdoc />
    public SchemaDialect Schema { get; }

    /// <inheritdoc />
    public DbConnection CreateConnection() => _dataSource.CreateConnection();
}
