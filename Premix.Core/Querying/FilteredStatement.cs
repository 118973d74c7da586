using System.Data.Common;
using Premix.Execution;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// The statements of fixed text an entity with named query filters sends (get-by-key, the repository's list and count), with every filter appended: its text made once per statement and per which filter
/// values are null, the values bound as parameters on each call.
/// </summary>
internal static class FilteredStatement
{
    /// <summary>The row of <paramref name="plan"/> with <paramref name="key"/> (normalized: the value, or a composite key's values), if the filters show it.</summary>
    public static Command ByKey(PremixRuntime runtime, EntityPlan plan, object key, string? tenant)
    {
        var statement = plan.SelectByKey;
        var filters = new QueryParameters();
        var sql = plan.Filters.Append(plan, runtime.Provider.Dialect, statement.Sql, hasWhere: true, filters, tenant);
        return new Command(statement.Name, plan.Entity.Name, sql, new Both(EntityParameters.ForKey(statement, key), filters));
    }

    /// <summary><paramref name="statement"/> (one without parameters: the plan's select-all or count) with the filters.</summary>
    public static Command Of(PremixRuntime runtime, EntityPlan plan, SqlStatement statement, string? tenant)
    {
        var filters = new QueryParameters();
        var hasWhere = plan.TypeFilterSql is not null || plan.NotDeletedSql is not null;
        return new Command(statement.Name, plan.Entity.Name, plan.Filters.Append(plan, runtime.Provider.Dialect, statement.Sql, hasWhere, filters, tenant), filters);
    }

    /// <summary>Two sets of parameters of one command.</summary>
    internal sealed class Both(IStatementParameters first, IStatementParameters second) : IStatementParameters
    {
        public bool TextIsReused => first.TextIsReused && second.TextIsReused;

        public void AddTo(DbCommand command)
        {
            first.AddTo(command);
            second.AddTo(command);
        }

        public bool SetValuesOn(DbParameterCollection parameters, ref int at) => first.SetValuesOn(parameters, ref at) && second.SetValuesOn(parameters, ref at);

        public IEnumerable<KeyValuePair<string, object?>> Describe() => first.Describe().Concat(second.Describe());

        public IEnumerable<string> SensitiveValues() => first.SensitiveValues().Concat(second.SensitiveValues());
    }
}
