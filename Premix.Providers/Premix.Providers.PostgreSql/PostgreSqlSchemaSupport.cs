using Premix.Migrations;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// What Premix.Migrations needs of PostgreSQL: the schema dialect (introspection, DDL) and the versioned-migration dialect.
/// The provider makes it on first request (<see cref="PostgreSqlProvider.GetService"/>), so an application that never reads
/// or changes its schema does not load Premix.Migrations.
/// </summary>
internal sealed class PostgreSqlSchemaSupport(ISqlDialect dialect) : ISchemaProvider
{
    public SchemaDialect Schema { get; } = new PostgreSqlSchemaDialect(dialect);

    public IMigrationDialect Migrations { get; } = new PostgreSqlMigrationDialect();
}
