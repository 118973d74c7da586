using Premix.Execution;
using Premix.Plans;
using Premix.Tracking;

namespace Premix.Querying;

/// <summary>
/// Reads the visible rows of an entity whose column holds one of many values, as one <c>IN</c> statement per
/// <see cref="ChunkSize"/> values: how includes and the refresh after a bulk statement avoid a query per row.
/// </summary>
internal static class KeyListReader
{
    /// <summary>Values per statement, below every engine's parameter limit.</summary>
    public const int ChunkSize = 2000;

    /// <summary>The rows, untracked, in the unit of work's connection and transaction; <paramref name="operation"/> names the statements in logs.</summary>
    public static async Task<List<object>> ReadAsync(string operation, UnitOfWork unitOfWork, EntityPlan plan, ParameterBinding column, IReadOnlyCollection<object> values, CancellationToken cancellationToken)
    {
        var rows = new List<object>();
        if (values.Count == 0)
        {
            return rows;
        }

        var sql = unitOfWork.Runtime.KeyListStatements.GetOrAdd((plan, column), static (key, dialect) => Sql(key.Plan, key.Column, dialect), unitOfWork.Runtime.Provider.Dialect);
        foreach (var chunk in values.Chunk(ChunkSize))
        {
            var parameters = new QueryParameters();
            parameters.Add("@keys", chunk.Select(column.ToDatabase).ToList(), column.IsSensitive);
            var command = new Command(operation, plan.Entity.Name, sql, parameters);
            rows.AddRange(await unitOfWork.Executor.ReadRowsAsync<object>(true, unitOfWork, command, plan.Rows, int.MaxValue, cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    private static string Sql(EntityPlan plan, ParameterBinding column, Providers.ISqlDialect dialect) =>
        $"SELECT {plan.SelectList} FROM {plan.TableSql} WHERE {dialect.QuoteIdentifier(column.Property.Column)} IN @keys"
        + (plan.NotDeletedSql is null ? string.Empty : " AND " + plan.NotDeletedSql);
}
