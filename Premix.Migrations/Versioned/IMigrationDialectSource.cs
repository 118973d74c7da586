namespace Premix.Migrations;

/// <summary>
/// Implemented by a database provider that supports versioned migrations: <c>MigrateAsync</c> finds the engine's
/// <see cref="IMigrationDialect"/> through <c>premix.Provider</c>.
/// </summary>
public interface IMigrationDialectSource
{
    /// <summary>The engine's locking, transaction and history-table SQL for versioned migrations.</summary>
    IMigrationDialect Migrations { get; }
}
