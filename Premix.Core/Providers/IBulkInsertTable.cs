using System.Data.Common;

namespace Premix.Providers;

/// <summary>The bulk insert of one table, prepared once at startup and shared by all commits.</summary>
public interface IBulkInsertTable
{
    /// <summary>The statement as logs and recordings show it (never with values).</summary>
    string Sql { get; }

    /// <summary>The query that reads, once, what the channel needs to know about the table (its columns' types, the key's sequence).</summary>
    string DescribeSql { get; }

    /// <summary>Whether <see cref="DescribeAsync"/> has run.</summary>
    bool IsDescribed { get; }

    /// <summary>
    /// Whether the channel can take the table's rows: before <see cref="DescribeAsync"/>, assumed; after, <see langword="false"/>
    /// when what it read rules the channel out (a generated key with no sequence to take keys from), and the entity's
    /// inserts then keep the dialect's usual path.
    /// </summary>
    bool CanWrite { get; }

    /// <summary>
    /// After <see cref="DescribeAsync"/>: the query that takes the keys of <c>@rows</c> new rows (one per row, first column)
    /// from the generated key's sequence; <see langword="null"/> without a generated key.
    /// </summary>
    string? KeysSql { get; }

    /// <summary>Runs <see cref="DescribeSql"/> on <paramref name="connection"/> and keeps what it answers; returns the number of columns read.</summary>
    ValueTask<long> DescribeAsync(bool async, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the channel may only run inside a transaction: it learns that a row was refused or changed only after the rows
    /// are in (MySQL's <c>LOAD DATA LOCAL</c> reports warnings), so a commit sent without one keeps the dialect's usual path.
    /// </summary>
    bool NeedsTransaction { get; }

    /// <summary>Writes one row per entity of <paramref name="entities"/>, in order, in <paramref name="transaction"/>; returns the number of rows written.</summary>
    ValueTask<long> WriteAsync(bool async, DbConnection connection, DbTransaction? transaction, IReadOnlyList<object> entities, CancellationToken cancellationToken);
}
