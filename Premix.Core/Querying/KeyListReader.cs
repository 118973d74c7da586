using Premix.Execution;
using Premix.Plans;
using Premix.Providers;
using Premix.Tracking;

namespace Premix.Querying;

/// <summary>
/// Reads the visible rows of an entity whose column holds one of many values: how includes and the refresh after a bulk
/// statement avoid a query per row. One statement for all the values where the dialect binds a list as one parameter
/// (<see cref="ISqlDialect.InList"/>); otherwise one <c>IN</c> statement per <see cref="ChunkSize"/> values.
/// </summary>
internal static class KeyListReader
{
    /// <summary>Values per statement when the list is expanded into one parameter per value.</summary>
    public const int ChunkSize = 2000;

    /// <summary>The rows, untracked, in the unit of work's connection and transaction; <paramref name="operation"/> names the statements in logs.</summary>
    public static async Task<List<object>> ReadAsync(string operation, UnitOfWork unitOfWork, EntityPlan plan, ParameterBinding column, IReadOnlyCollection<object> values, CancellationToken cancellationToken)
    {
        var rows = new List<object>();
        if (values.Count == 0)
        {
            return rows;
        }

        var statement = StatementFor(unitOfWork.Runtime, plan, column);
        foreach (var chunk in values.Chunk(statement.List is null ? ChunkSize : values.Count))
        {
            var parameters = new QueryParameters();
            parameters.Add(Statement.Keys, new ListValue(Array.ConvertAll(chunk, column.ToDatabase), statement.List), column.IsSensitive);
            var command = new Command(operation, plan.Entity.Name, statement.Sql, parameters);
            rows.AddRange(await unitOfWork.Executor.ReadRowsAsync<object>(true, unitOfWork, command, plan.Rows, int.MaxValue, cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    /// <summary>The statement that reads <paramref name="plan"/>'s rows by <paramref name="column"/>, built on first use.</summary>
    public static Statement StatementFor(PremixRuntime runtime, EntityPlan plan, ParameterBinding column) =>
        runtime.KeyListStatements.GetOrAdd((plan, column), static (key, dialect) => Statement.Create(key.Plan, key.Column, dialect), runtime.Provider.Dialect);

    /// <summary>The SELECT of one entity by the values of one column, built once per entity and column.</summary>
    internal sealed record Statement(string Sql, ListCondition? List)
    {
        public const string Keys = "@keys";

        public static Statement Create(EntityPlan plan, ParameterBinding column, ISqlDialect dialect)
        {
            var columnSql = dialect.QuoteIdentifier(column.Property.Column);
            var list = dialect.InList(columnSql, column.Property, Keys);
            return new Statement(
                $"SELECT {plan.SelectList} FROM {plan.TableSql} WHERE {list?.Sql ?? columnSql + " IN " + Keys}"
                + (plan.TypeFilterSql is null ? string.Empty : " AND " + plan.TypeFilterSql)
                + (plan.NotDeletedSql is null ? string.Empty : " AND " + plan.NotDeletedSql),
                list);
        }
    }
}
