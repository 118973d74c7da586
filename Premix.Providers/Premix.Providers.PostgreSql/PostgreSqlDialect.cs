namespace Premix.Providers.PostgreSql;

/// <summary>PostgreSQL's SQL: double-quoted identifiers.</summary>
public sealed class PostgreSqlDialect : ISqlDialect
{
    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '"');
}
