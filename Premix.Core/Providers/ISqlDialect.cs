namespace Premix.Providers;

/// <summary>
/// The parts of SQL that differ between engines. Plans are compiled against a dialect once, at startup.
/// </summary>
public interface ISqlDialect
{
    /// <summary>Quotes an identifier (table, column, schema) so that any name, even a reserved word, is safe.</summary>
    /// <param name="identifier">The raw name, exactly as the database should store it.</param>
    string QuoteIdentifier(string identifier);
}
