namespace Premix.Migrations;

/// <summary>Implemented by a database provider whose engine Premix.Migrations can read, change and migrate.</summary>
public interface ISchemaProvider
{
    /// <summary>The engine's schema dialect: type spelling, introspection, DDL (for sync and diff).</summary>
    SchemaDialect Schema { get; }

    /// <summary>The engine's locking, transaction and history-table SQL for versioned migrations.</summary>
    IMigrationDialect Migrations { get; }
}
