using Premix.Mapping;

namespace Premix.Providers.PostgreSql;

/// <summary>PostgreSQL's bulk channel: binary <c>COPY</c> (<see cref="PostgreSqlBulkCopy"/>).</summary>
public sealed partial class PostgreSqlDialect : IBulkInsertDialect
{
    /// <inheritdoc />
    /// <remarks>
    /// 10,000: measured on a quiet machine (server and loop pinned to different cores) with an interleaved loop: a commit of
    /// N new rows with a generated key through the unnest statement and through COPY, alternating call by call, medians of
    /// the pairs' ratios. COPY cost 1.18–1.25× the statement from 250 to 7500 rows (its extra round trips: the keys, then the
    /// COPY's own two) and 0.69–0.77× at 10,000, 0.68× at 20,000, 0.69× at 50,000.
    /// </remarks>
    public int DefaultBulkInsertThreshold => 10_000;

    /// <inheritdoc />
    /// <remarks>
    /// A composite-typed column keeps the usual path: its values are objects Premix converts for the parameter path
    /// (<see cref="PostgreSqlCompositeValues"/>), which COPY is not given the same type information for.
    /// </remarks>
    public IBulkInsertTable? BulkInsert(string table, IReadOnlyList<BulkInsertColumn> columns, BulkInsertColumn? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return columns.Any(c => !CopiesValuesOf(c.Property)) ? null : new PostgreSqlBulkCopy(table, columns, generatedKey);
    }

    private static bool CopiesValuesOf(PropertyModel property) => property.CompositeType is null;
}
