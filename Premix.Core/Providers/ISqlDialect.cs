using Premix.Mapping;

namespace Premix.Providers;

/// <summary>
/// The parts of SQL that differ between engines. Plans are compiled against a dialect once, at startup.
/// </summary>
public interface ISqlDialect
{
    /// <summary>Quotes an identifier (table, column, schema) so that any name, even a reserved word, is safe.</summary>
    /// <param name="identifier">The raw name, exactly as the database should store it.</param>
    string QuoteIdentifier(string identifier);

    /// <summary>Renders an INSERT that also returns the generated key when <paramref name="generatedKey"/> is given.</summary>
    /// <param name="table">The quoted, qualified table.</param>
    /// <param name="columns">The quoted columns to insert.</param>
    /// <param name="parameters">The parameter placeholders, one per column.</param>
    /// <param name="generatedKey">The quoted column the database generates, or <see langword="null"/>.</param>
    string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey);

    /// <summary>
    /// Whether inserts that return a generated key can share one batch (one round trip), each returning its key as
    /// a row. False where the key is read by a second statement (MySQL's <c>LAST_INSERT_ID()</c>).
    /// </summary>
    bool BatchesInsertsReturningKeys { get; }

    /// <summary>
    /// Whether the driver reports the rows each statement of a batch matched, which version and existence checks of
    /// batched updates and deletes need. False for MySqlConnector, which reports only the batch's total.
    /// </summary>
    bool BatchReportsRowsPerStatement { get; }

    /// <summary>The column type the engine uses for <paramref name="property"/> (for DDL and documentation).</summary>
    string ColumnType(PropertyModel property);

    /// <summary>
    /// How values of <paramref name="valueType"/> are sent: a conversion of a non-null value into what the driver
    /// stores faithfully, or <see langword="null"/> to send values as they are. Asked once per column, at startup.
    /// </summary>
    Func<object, object>? ParameterConversion(Type valueType);
}
