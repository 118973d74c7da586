namespace Premix.Providers.MySql;

/// <summary>MySQL and MariaDB SQL: backtick-quoted identifiers.</summary>
public sealed class MySqlDialect : ISqlDialect
{
    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '`');
}
