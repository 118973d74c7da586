using Premix.Mapping;

namespace Premix.Providers;

/// <summary>
/// A dialect whose engine has a bulk channel for new rows (PostgreSQL's binary <c>COPY</c>, MySQL's <c>MySqlBulkCopy</c>).
/// A commit sends a run of at least the threshold's inserts of one entity type through it (see
/// <c>PremixOptionsBuilder.BulkInsertThreshold</c>), in the commit's transaction; keys the database generates are taken
/// from their sequence first, in one round trip (or, where the channel cannot, such rows keep the usual path).
/// </summary>
public interface IBulkInsertDialect
{
    /// <summary>The number of new rows of one entity type from which the bulk channel is faster than the dialect's many-row statement (measured per engine).</summary>
    int DefaultBulkInsertThreshold { get; }

    /// <summary>
    /// Prepares, once at startup, the bulk insert of <paramref name="columns"/> into <paramref name="table"/>; or returns
    /// <see langword="null"/> when one of them cannot go through the bulk channel, so the entity keeps the dialect's
    /// usual path.
    /// </summary>
    /// <param name="table">The quoted, qualified table.</param>
    /// <param name="columns">The columns written, the generated key (if any) first.</param>
    /// <param name="generatedKey">The column whose values the database generates (one of <paramref name="columns"/>), or <see langword="null"/>.</param>
    IBulkInsertTable? BulkInsert(string table, IReadOnlyList<BulkInsertColumn> columns, BulkInsertColumn? generatedKey);
}
