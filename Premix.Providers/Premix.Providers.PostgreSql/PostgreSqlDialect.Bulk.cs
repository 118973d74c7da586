using Premix.Mapping;

namespace Premix.Providers.PostgreSql;

/// <summary>PostgreSQL's bulk channel: binary <c>COPY</c> (<see cref="PostgreSqlBulkCopy"/>).</summary>
public sealed partial class PostgreSqlDialect : IBulkInsertDialect
{
    /// <inheritdoc />
    /// <remarks>BULK_THRESHOLD_REMARK</remarks>
    public int DefaultBulkInsertThreshold => 1000;

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
