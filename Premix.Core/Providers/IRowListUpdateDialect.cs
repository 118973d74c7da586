namespace Premix.Providers;

/// <summary>
/// A dialect whose engine updates many rows, each with values of its own, in one <c>UPDATE … SET c = CASE key WHEN …</c>
/// statement, and counts the rows it matched (MySQL and MariaDB, whose UPDATE returns no rows). A commit then writes a
/// run of updates of one entity and one set of columns in chunks of a few fixed sizes, each chunk's SQL built once.
/// </summary>
public interface IRowListUpdateDialect
{
    /// <summary>
    /// An UPDATE of <paramref name="rows"/> rows, each found by its key, with positional placeholders (<c>?</c>) bound in
    /// this order: for each of <paramref name="columns"/>, each row's key and new value; then each row's key (the rows
    /// updated); then, with a <paramref name="version"/>, each row's key and the version it was read with. It bumps the
    /// version of every row it updates, and matches a row only if its version is still the one read.
    /// </summary>
    /// <param name="table">The quoted, qualified table.</param>
    /// <param name="key">The quoted key column (a single one).</param>
    /// <param name="columns">The quoted columns to set.</param>
    /// <param name="version">The quoted version column, or <see langword="null"/>.</param>
    /// <param name="filter">A condition every row must also meet (a subclass's rows), or <see langword="null"/>.</param>
    /// <param name="rows">The number of rows, at least 1.</param>
    string UpdateRows(string table, string key, IReadOnlyList<string> columns, string? version, string? filter, int rows);
}
