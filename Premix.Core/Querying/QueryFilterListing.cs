using System.Text;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>The named query filters of a plan as <c>premix plans</c> (<c>DescribePlans</c>) lists them: one line each, with the condition every read adds.</summary>
internal static class QueryFilterListing
{
    /// <summary>
    /// Lines such as <c>QueryFilter "active": "IsActive" = TRUE</c> (<c>, lifted only explicitly</c> when so), and soft delete's
    /// under its name; nothing for an entity without filters.
    /// </summary>
    public static string Describe(EntityPlan plan, ISqlDialect dialect)
    {
        var text = new StringBuilder();
        for (var i = 0; i < plan.Filters.Filters.Count; i++)
        {
            var filter = plan.Filters.Filters[i];
            var sql = plan.Filters.Sql(i, plan, dialect); // as for values that are not null, without reading the captured ones
            text.Append("QueryFilter \"").Append(filter.Name).Append("\": ").Append(sql).AppendLine(filter.LiftsOnlyExplicitly ? " (lifted only explicitly)" : string.Empty);
        }

        if (plan.NotDeletedSql is not null)
        {
            text.Append("QueryFilter \"").Append(QueryFilterModel.SoftDeleteName).Append("\": ").AppendLine(plan.NotDeletedSql);
        }

        return text.ToString();
    }
}
