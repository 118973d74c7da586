using Premix.Mapping;

namespace Premix.Providers.PostgreSql;

/// <summary>PostgreSQL's bulk channel: binary <c>COPY</c> (<see cref="PostgreSqlBulkCopy"/>).</summary>
public sealed partial class PostgreSqlDialect : IBulkInsertDialect
{
    /// <inheritdoc />
    /// <remarks>
    /// 2000: measured with an interleaved loop (a commit of N new rows with a generated key, through the unnest statement
    /// and through COPY, alternating call by call, 300 pairs per N, medians of the pairs' ratios): COPY cost 1.43× the
    /// statement at 100 rows, 0.95–1.07× from 250 to 1000 (even, within noise), 0.90× at 2000 and 0.87–0.93× at 4000
    /// and 10,000. Below that, its extra round trips (the keys, then the COPY's own two) cost more than it saves.
    /// </remarks>
    public int DefaultBulkInsertThreshold => 2000;

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
