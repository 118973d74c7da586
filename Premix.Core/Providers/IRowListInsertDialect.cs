using System.Data.Common;

namespace Premix.Providers;

/// <summary>
/// A dialect whose engine inserts many rows with one <c>INSERT … VALUES (…), (…)</c> statement (MySQL, MariaDB). A commit
/// then writes a run of inserts of one entity in chunks (a run of up to 128 rows in one, a longer one in powers of two and
/// the rest), each chunk's SQL built once, sent together in one batch. Rows whose key the database generates go this way
/// only where the server returns those keys in row order. The placeholders are positional (<c>?</c>): the driver must bind
/// unnamed parameters in order.
/// </summary>
public interface IRowListInsertDialect
{
    /// <summary>
    /// An INSERT of one row per entry of <paramref name="rows"/>, in that order; when <paramref name="generatedKey"/> is
    /// given it returns that column for each row, in the same order.
    /// </summary>
    /// <param name="table">The quoted, qualified table.</param>
    /// <param name="columns">The quoted columns to insert (at least one).</param>
    /// <param name="rows">The placeholders of each row, one per column.</param>
    /// <param name="generatedKey">The quoted column the database generates, or <see langword="null"/>.</param>
    string InsertRows(string table, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, string? generatedKey);

    /// <summary>
    /// Whether the server behind <paramref name="connection"/> (open) returns the generated keys of a many-row INSERT in
    /// row order (MariaDB 10.5+ with <c>RETURNING</c>); if not, rows with a generated key are inserted one statement each.
    /// </summary>
    /// <param name="connection">The commit's open connection.</param>
    bool ReturnsKeysOfRowLists(DbConnection connection);

    /// <summary>
    /// Renders an upsert of several rows (<paramref name="rows"/>: each row's placeholders, in the order of
    /// <see cref="UpsertShape.Columns"/>) that answers, for each row listed and in list order, the row
    /// <see cref="UpsertShape"/> describes, optionally followed by a fourth column that is 0 for a row it did not write (an
    /// ignored conflict, a stale version: read as no answer); or <see langword="null"/> where the engine cannot answer that for this shape
    /// (each upsert is then sent on its own). Used only where <see cref="ReturnsKeysOfRowLists"/> says the server returns rows.
    /// </summary>
    string? UpsertRows(UpsertShape shape, IReadOnlyList<IReadOnlyList<string>> rows) => null;
}
