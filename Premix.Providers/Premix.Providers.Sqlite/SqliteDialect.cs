namespace Premix.Providers.Sqlite;

/// <summary>SQLite's SQL: double-quoted identifiers.</summary>
public sealed class SqliteDialect : ISqlDialect
{
    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '"');
}
