using Premix.Migrations;

namespace Premix.Providers.Sqlite;

/// <summary>
/// What Premix.Migrations needs of SQLite: the schema dialect (introspection, DDL) and the versioned-migration dialect.
/// The provider makes it on first request (<see cref="SqliteProvider.GetService"/>), so an application that never reads
/// or changes its schema does not load Premix.Migrations.
/// </summary>
internal sealed class SqliteSchemaSupport(ISqlDialect dialect) : ISchemaProvider
{
    public SchemaDialect Schema { get; } = new SqliteSchemaDialect(dialect);

    public IMigrationDialect Migrations { get; } = new SqliteMigrationDialect();
}
