using Premix.Migrations;

namespace Premix.Providers.MySql;

/// <summary>
/// What Premix.Migrations needs of MySQL and MariaDB: the schema dialect (introspection, DDL) and the versioned-migration dialect.
/// The provider makes it on first request (<see cref="MySqlProvider.GetService"/>), so an application that never reads
/// or changes its schema does not load Premix.Migrations.
/// </summary>
internal sealed class MySqlSchemaSupport(ISqlDialect dialect) : ISchemaProvider
{
    public SchemaDialect Schema { get; } = new MySqlSchemaDialect(dialect);

    public IMigrationDialect Migrations { get; } = new MySqlMigrationDialect();
}
