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
    /// <remarks>The rows are read into <paramref name="into"/> when given (emptied first), which is then the result.</remarks>
    public static ValueTask<List<object>> ReadAsync(string operation, UnitOfWork unitOfWork, EntityPlan plan, ParameterBinding column, IReadOnlyCollection<object> values, CancellationToken cancellationToken, List<object>? into = null) =>
        ReadAsync(operation, unitOfWork, plan, column, values, queryFilters: true, cancellationToken, into);

    /// <summary>
    /// The rows, untracked; with <paramref name="queryFilters"/> false, every row not soft-deleted whatever the entity's named
    /// filters say (the refresh after a bulk statement: a row loaded with a filter lifted, or under another captured value,
    /// stays tracked), except the tenant column's: another tenant's row is never read into the unit of work.
    /// </summary>
    /// <remarks>
    /// Not an async method: the usual single statement returns the executor's own (pooled) read, so a read that waits on the
    /// network suspends no state machine of this method (an include's read sits under the query's and the level's already).
    /// </remarks>
    public static ValueTask<List<object>> ReadAsync(string operation, UnitOfWork unitOfWork, EntityPlan plan, ParameterBinding column, IReadOnlyCollection<object> values, bool queryFilters, CancellationToken cancellationToken, List<object>? into = null)
    {
        into?.Clear();
        if (values.Count == 0)
        {
            return ValueTask.FromResult(into ?? []);
        }

        var tenant = unitOfWork.Executor.ColumnTenant;
        var (statement, filters) = queryFilters ? Prepared(unitOfWork.Runtime, plan, column, tenant) : (InTenant(unitOfWork.Runtime, plan, column), null);
        var tenantOnly = queryFilters ? null : tenant;
        return statement.List is not null || values.Count <= ChunkSize
            ? ReadChunkAsync(operation, unitOfWork, plan, column, statement, filters, tenantOnly, ToDatabase(column, values), cancellationToken, into) // one statement: its rows are the result, the keys not copied first
            : ReadChunksAsync(operation, unitOfWork, plan, column, statement, filters, tenantOnly, values, cancellationToken, into);
    }

    // A list the dialect expands into one parameter per value, past ChunkSize values: one statement per chunk.
    private static async ValueTask<List<object>> ReadChunksAsync(string operation, UnitOfWork unitOfWork, EntityPlan plan, ParameterBinding column, Statement statement, FilterValues? filters, string? tenantOnly, IReadOnlyCollection<object> values, CancellationToken cancellationToken, List<object>? into)
    {
        var rows = into ?? [];
        foreach (var chunk in values.Chunk(ChunkSize))
        {
            rows.AddRange(await ReadChunkAsync(operation, unitOfWork, plan, column, statement, filters, tenantOnly, ToDatabase(column, chunk), cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    // tenantOnly: the tenant bound to the statement of InTenant (filters is then null).
    private static ValueTask<List<object>> ReadChunkAsync(string operation, UnitOfWork unitOfWork, EntityPlan plan, ParameterBinding column, Statement statement, FilterValues? filters, string? tenantOnly, IReadOnlyList<object> keys, CancellationToken cancellationToken, List<object>? into = null)
    {
        var parameters = new QueryParameters();
        var list = statement.List is null ? new ListValue(keys, null, statement.Placeholders(keys.Count), statement.ExpandedSql(keys.Count)) : new ListValue(keys, statement.List);
        parameters.Add(Statement.Keys, list, column.IsSensitive);
        filters?.BindTo(parameters);
        if (filters is null)
        {
            plan.BindTenant(parameters, tenantOnly);
        }
        var command = new Command(operation, plan.Entity.Name, statement.Sql, parameters);
        return unitOfWork.Executor.ReadRowsAsync(true, unitOfWork, command, plan.Rows, int.MaxValue, cancellationToken, into);
    }

    // The values as the driver takes them. A column that sends its values as they are takes the list itself: an include's
    // typed keys (ParentSlots) then reach the dialect unboxed, and no array is copied.
    private static IReadOnlyList<object> ToDatabase(ParameterBinding column, IReadOnlyCollection<object> values)
    {
        if (column.SendsValuesAsTheyAre && values is IReadOnlyList<object> list)
        {
            return list;
        }

        var converted = new object[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            converted[i++] = column.ToDatabase(value);
        }

        return converted;
    }

    /// <summary>
    /// The rows, untracked, whose <paramref name="columns"/> hold one of <paramref name="keys"/> (<see cref="CompositeKey"/>s):
    /// one row-value <c>(a, b) IN ((@k0_0, @k0_1), ...)</c> statement per <see cref="ChunkSize"/> keys, which PostgreSQL,
    /// MySQL/MariaDB and SQLite (3.15 and later) all accept. Its text depends on the number of keys, like an expanded list's.
    /// </summary>
    public static async Task<List<object>> ReadByRowsAsync(string operation, UnitOfWork unitOfWork, EntityPlan plan, IReadOnlyList<ParameterBinding> columns, IReadOnlyCollection<object> keys, CancellationToken cancellationToken, List<object>? into = null)
    {
        var rows = into ?? [];
        rows.Clear();
        var sensitive = columns.Any(c => c.IsSensitive);
        var filters = plan.Filters.IsEmpty ? null : new FilterValues(plan.Filters, plan.Filters.Condition(plan, unitOfWork.Runtime.Provider.Dialect, unitOfWork.Executor.ColumnTenant));
        foreach (var chunk in keys.Chunk(ChunkSize))
        {
            var parameters = new QueryParameters { TextIsReused = false }; // a text made per chunk
            filters?.BindTo(parameters);
            for (var row = 0; row < chunk.Length; row++)
            {
                var values = ((CompositeKey)chunk[row]).Values;
                for (var column = 0; column < columns.Count; column++)
                {
                    parameters.Add(RowValueParameter(row, column), columns[column].ToDatabase(values[column]!), sensitive);
                }
            }

            var command = new Command(operation, plan.Entity.Name, RowValueSql(unitOfWork.Runtime.Provider.Dialect, plan, columns, chunk.Length, filters?.Sql), parameters);
            rows.AddRange(await unitOfWork.Executor.ReadRowsAsync<object>(true, unitOfWork, command, plan.Rows, int.MaxValue, cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    /// <summary>The SELECT of <paramref name="plan"/>'s visible rows whose <paramref name="columns"/> match one of <paramref name="count"/> rows of parameters.</summary>
    /// <param name="dialect">The engine's SQL.</param>
    /// <param name="plan">The entity read.</param>
    /// <param name="columns">The columns matched.</param>
    /// <param name="count">How many rows of values.</param>
    /// <param name="filters">The condition of the entity's named query filters, if it has any.</param>
    public static string RowValueSql(ISqlDialect dialect, EntityPlan plan, IReadOnlyList<ParameterBinding> columns, int count, string? filters = null)
    {
        var sql = new System.Text.StringBuilder($"SELECT {plan.SelectList} FROM {plan.TableSql} WHERE (");
        sql.AppendJoin(", ", columns.Select(c => dialect.QuoteIdentifier(c.Property.Column))).Append(") IN (");
        for (var row = 0; row < count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (").AppendJoin(", ", columns.Select((_, column) => RowValueParameter(row, column))).Append(')');
        }

        return sql.Append(')').Append(plan.NotDeletedSql is null ? string.Empty : " AND " + plan.NotDeletedSql).Append(filters is null ? string.Empty : " AND " + filters).ToString();
    }

    /// <summary>The statement and, for an entity with named query filters, their condition's values read now.</summary>
    private static (Statement Statement, FilterValues? Filters) Prepared(PremixRuntime runtime, EntityPlan plan, ParameterBinding column, string? tenant)
    {
        if (plan.Filters.IsEmpty)
        {
            return (Unfiltered(runtime, plan, column), null);
        }

        var filters = new FilterValues(plan.Filters, plan.Filters.Condition(plan, runtime.Provider.Dialect, tenant));
        return (plan.Filters.KeyListStatements.GetOrAdd((column, filters.Sql), static (key, state) => Statement.Create(state.plan, key.Column, state.dialect, key.Condition), (plan, dialect: runtime.Provider.Dialect)), filters);
    }

    /// <summary>The values of an entity's query filters for one read, and the condition they were read for.</summary>
    private sealed class FilterValues(QueryFilterSet set, (string Sql, SlotBinding?[] Bindings, object?[] Values) condition)
    {
        public string Sql => condition.Sql;

        public void BindTo(QueryParameters parameters) => set.Bind(condition.Bindings, condition.Values, parameters);
    }

    private static string RowValueParameter(int row, int column) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"@k{row}_{column}");

    /// <summary>The statement that reads <paramref name="plan"/>'s rows by <paramref name="column"/>, built on first use.</summary>
    public static Statement StatementFor(PremixRuntime runtime, EntityPlan plan, ParameterBinding column) =>
        plan.Filters.IsEmpty ? Unfiltered(runtime, plan, column) : Prepared(runtime, plan, column, QueryFilterSet.ListingTenant).Statement;

    // The statement without the named filters but the tenant's, made once per entity and column.
    private static Statement InTenant(PremixRuntime runtime, EntityPlan plan, ParameterBinding column) =>
        plan.TenantConditionSql is not { } tenant ? Unfiltered(runtime, plan, column)
        : plan.Filters.KeyListStatements.GetOrAdd((column, tenant), static (key, state) => Statement.Create(state.plan, key.Column, state.dialect, key.Condition), (plan, dialect: runtime.Provider.Dialect));

    // The statement without the named filters (soft delete and a hierarchy's type still apply), built once per entity and column.
    private static Statement Unfiltered(PremixRuntime runtime, EntityPlan plan, ParameterBinding column) =>
        runtime.KeyListStatements.GetOrAdd((plan, column), static (key, dialect) => Statement.Create(key.Plan, key.Column, dialect), runtime.Provider.Dialect);

    /// <summary>The SELECT of one entity by the values of one column, built once per entity and column.</summary>
    internal sealed record Statement(string Sql, ListCondition? List)
    {
        public const string Keys = "@keys";

        /// <summary>Lists up to this length keep their expanded text; a longer one is expanded per call (its read costs far more).</summary>
        private const int CachedLengths = 256;

        // Where the list is expanded: the text per length, made on first use, and the names @keys_0, @keys_1, ... (grown as needed).
        private readonly string?[] _expanded = new string?[List is null ? CachedLengths + 1 : 0];
        private string[] _placeholders = [];

        public static Statement Create(EntityPlan plan, ParameterBinding column, ISqlDialect dialect, string? filters = null)
        {
            var columnSql = dialect.QuoteIdentifier(column.Property.Column);
            var list = dialect.InList(columnSql, column.Property, Keys);
            var head = $"SELECT {plan.SelectList} FROM {plan.TableSql} WHERE ";
            var tail = (plan.TypeFilterSql is null ? string.Empty : " AND " + plan.TypeFilterSql)
                + (plan.NotDeletedSql is null ? string.Empty : " AND " + plan.NotDeletedSql)
                + (filters is null ? string.Empty : " AND " + filters);
            return new Statement(head + (list?.Sql ?? columnSql + " IN " + Keys) + tail, list)
            {
                ExpandedHead = head + columnSql + " IN (",
                ExpandedTail = ")" + tail,
            };
        }

        // The text of an expanded list around its placeholders.
        private string ExpandedHead { get; init; } = string.Empty;

        private string ExpandedTail { get; init; } = string.Empty;

        /// <summary>The text sent for <paramref name="count"/> values where the list is expanded: <c>IN (@keys_0, ...)</c>.</summary>
        public string ExpandedSql(int count) => count <= CachedLengths ? _expanded[count] ??= Expand(count) : Expand(count);

        /// <summary>The names of an expanded list's parameters: at least <paramref name="count"/>, the first ones used.</summary>
        public string[] Placeholders(int count)
        {
            var names = _placeholders;
            if (names.Length >= count)
            {
                return names;
            }

            names = new string[Math.Max(count, Math.Min(names.Length * 2, ChunkSize))];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = Keys + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return _placeholders = names; // a race makes equal arrays, any of which serves
        }

        private string Expand(int count)
        {
            var names = Placeholders(count);
            var sql = new System.Text.StringBuilder(ExpandedHead.Length + ExpandedTail.Length + (count * (Keys.Length + 6)));
            sql.Append(ExpandedHead).Append(names[0]);
            for (var i = 1; i < count; i++)
            {
                sql.Append(", ").Append(names[i]);
            }

            return sql.Append(ExpandedTail).ToString();
        }
    }
}
