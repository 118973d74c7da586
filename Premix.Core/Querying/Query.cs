using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Premix.Execution;
using Premix.Mapping;
using Premix.Plans;
using Premix.Querying;
using Premix.Tracking;

namespace Premix;

/// <summary>
/// A typed query over one entity, translated to the SQL you would write by hand: <c>Where</c>, ordering, paging and the
/// usual terminal operators. Immutable: every method returns a new query. Translation is cached by the shape of the
/// expressions, so running the same query again with other values translates nothing.
/// </summary>
/// <typeparam name="T">A mapped entity.</typeparam>
public class Query<T>
    where T : class
{
    private readonly UnitOfWork _unitOfWork;
    private readonly EntityPlan _plan;
    private readonly QueryModel _model;

    // Set for a query served from memory (Premix.Testing's fake), which then has no unit of work: every member that would
    // use the unit of work hands the translated query to the runner first.
    private readonly IQueryRunner? _runner;

    // Set for one call of a compiled query (PremixQuery): its translations and its values, computed from the call's
    // arguments, so Prepare neither walks nor hashes expressions.
    private readonly CompiledModels? _compiled;
    private readonly object?[]? _values;

    // The query's last Where, after _model's filters and not in them: Where copies neither the model nor its array of
    // filters (issue 17 item 1: a query written in place runs it on every call), and an operator after it copies the model
    // without it and carries it along (the copy constructor); only the next Where moves it into the model's filters.
    // Folded is the model with it; the runs (Prepare) read the model and it where they are.
    private readonly LambdaExpression? _filter;

    internal Query(UnitOfWork unitOfWork, EntityPlan plan, QueryModel model, IQueryRunner? runner = null, CompiledModels? compiled = null, object?[]? values = null, LambdaExpression? filter = null)
    {
        _unitOfWork = unitOfWork;
        _plan = plan;
        _model = model;
        _runner = runner;
        _compiled = compiled;
        _values = values;
        _filter = filter;
    }

    /// <summary>
    /// The one way an operator copies a query: <paramref name="model"/> (the query's model, edited), with the query's unit of
    /// work, plan, runner and last <c>Where</c>, which stays apart from the model (see <c>_filter</c>). A call of a compiled
    /// query is not copied as one: its values belong to the call, and a copy is an uncompiled query.
    /// </summary>
    private protected Query(Query<T> query, QueryModel model)
        : this(query._unitOfWork, query._plan, model, query._runner, filter: query._filter)
    {
    }

    // The tenant bound to a tenant column's filter; a query served by a runner (the in-memory fake) has no unit of work: the runner binds it.
    private string? ColumnTenant => _runner is not null ? _runner.ColumnTenant : _unitOfWork?.Executor.ColumnTenant;

    /// <summary>A query whose rows <paramref name="runner"/> serves instead of a database.</summary>
    internal Query(IQueryRunner runner, EntityPlan plan, QueryModel model)
        : this(null!, plan, model, runner)
    {
    }

    /// <summary>
    /// Keeps the rows matching <paramref name="predicate"/>: comparisons, <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, null checks,
    /// <c>list.Contains(x.P)</c> (IN) and <c>StartsWith</c>/<c>EndsWith</c>/<c>Contains</c> on strings (LIKE, with <c>%</c> and
    /// <c>_</c> in the value matched literally). Values become parameters.
    /// </summary>
    /// <exception cref="NotSupportedException">When run: the predicate uses something else; use <c>Raw(...)</c> for it.</exception>
    // Keeps decimal's operators for the lambda's factory under native AOT (DecimalOperators).
    [DynamicDependency(nameof(DecimalOperators.Keep), typeof(DecimalOperators))]
    public Query<T> Where(Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);

        // The one operator that changes the last Where: the one before it goes into the model's filters, in call order.
        return new(_unitOfWork, _plan, Folded, _runner, filter: predicate);
    }

    /// <summary>Orders by <paramref name="key"/>, ascending, replacing any earlier ordering.</summary>
    public Query<T> OrderBy<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: false, then: false);

    /// <summary>Orders by <paramref name="key"/>, descending, replacing any earlier ordering.</summary>
    public Query<T> OrderByDescending<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: true, then: false);

    /// <summary>Adds an ascending ordering key after the earlier ones.</summary>
    public Query<T> ThenBy<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: false, then: true);

    /// <summary>Adds a descending ordering key after the earlier ones.</summary>
    public Query<T> ThenByDescending<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: true, then: true);

    /// <summary>Skips the first <paramref name="count"/> rows (order the query for a stable page).</summary>
    public Query<T> Skip(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return With(_model with { Skip = count });
    }

    /// <summary>Returns at most <paramref name="count"/> rows.</summary>
    public Query<T> Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return With(_model with { Take = count });
    }

    /// <summary>
    /// Loads a relation of every row, a collection (<c>HasMany</c>), a child (<c>HasOne</c>) or a parent (<c>BelongsTo</c>), with one extra query
    /// for the whole result set, and stitches the other direction too when the mapping declares it. Follow with
    /// <c>ThenInclude</c> for the next level.
    /// </summary>
    public IncludeQuery<T, TProperty> Include<TProperty>(Expression<Func<T, TProperty>> navigation) =>
        new(this, _model with { Includes = [.. _model.Includes, [Navigation(navigation)]] });

    /// <summary>Adds a navigation to the last Include path (used by ThenInclude).</summary>
    internal IncludeQuery<T, TNext> ThenIncludeNavigation<TNext>(LambdaExpression navigation)
    {
        var paths = _model.Includes.ToArray();
        paths[^1] = [.. paths[^1], Navigation(navigation)];
        return new(this, _model with { Includes = paths });
    }

    /// <summary>
    /// Reads only the columns <paramref name="selector"/> uses into a DTO, a record or a single value:
    /// <c>Select(c =&gt; new CustomerRow(c.Id, c.Name))</c>. Projected rows are not tracked.
    /// </summary>
    [DynamicDependency(nameof(DecimalOperators.Keep), typeof(DecimalOperators))]
    public ProjectedQuery<T, TResult> Select<TResult>(Expression<Func<T, TResult>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new ProjectedQuery<T, TResult>(this, selector);
    }

    /// <summary>Runs a projection of this query.</summary>
    internal async Task<List<TResult>> ReadProjectedAsync<TResult>(LambdaExpression selector, int? take, CancellationToken cancellationToken)
    {
        take = take is { } rows ? FirstRows(rows) : null;
        if (_runner is not null)
        {
            return await _runner.ProjectAsync<T, TResult>(Translated(QueryOperation.Project, Folded, selector, take), take, selector, cancellationToken).ConfigureAwait(false);
        }

        using var usage = _unitOfWork.Enter(runsSql: true);
        var (command, compiled) = Prepare(QueryOperation.Project, _model, selector, take, lastFilter: _filter);
        return await _unitOfWork.Executor.ReadRowsAsync<TResult>(true, _unitOfWork, command, compiled.Projection!.Rows, take ?? int.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SQL of a projection of this query.</summary>
    internal string ProjectionSql(LambdaExpression selector) => Prepare(QueryOperation.Project, _model, selector, lastFilter: _filter).Command.Sql;

    /// <summary>Reads new instances the unit of work neither de-duplicates nor watches for changes.</summary>
    public Query<T> AsNoTracking() => With(_model with { Tracking = false });

    /// <summary>Includes soft-deleted rows, which queries of an entity with a soft-delete marker otherwise hide.</summary>
    public Query<T> WithDeleted() => With(_model with { Deleted = DeletedRows.Included });

    /// <summary>Returns only soft-deleted rows (to review or <c>Restore</c> them).</summary>
    public Query<T> OnlyDeleted() => With(_model with { Deleted = DeletedRows.Only });

    /// <summary>
    /// Lifts the entity's query filter named <paramref name="name"/> (<c>HasQueryFilter</c>) for this query; the others stay.
    /// <c>"soft-delete"</c> lifts soft delete, as <see cref="WithDeleted"/> does. The only way to lift a filter declared with
    /// <c>LiftOnlyExplicitly()</c>. Applies to this entity's rows, not to those an <c>Include</c> loads.
    /// </summary>
    /// <exception cref="ArgumentException">The entity has no filter of that name (compared exactly).</exception>
    /// <exception cref="InvalidOperationException">The name is the tenant column's filter's (<c>"tenant"</c>): only <see cref="AcrossTenants"/> lifts it.</exception>
    public Query<T> IgnoreQueryFilter(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (string.Equals(name, Mapping.QueryFilterModel.TenantName, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"IgnoreQueryFilter(\"{name}\") is refused: the tenant column's filter keeps other tenants' rows out, so lifting it takes the visible call AcrossTenants(), which reads every tenant's rows (an admin report, a migration job).");
        }

        if (_plan is not null)
        {
            _plan.Filters.IndexOf(_plan, name); // a wrong name fails here; in a compiled query, at its first call
        }

        var model = _model with { LiftedFilters = [.. _model.LiftedFilters, name] };
        return With(name == Mapping.QueryFilterModel.SoftDeleteName ? model with { Deleted = LiftSoftDelete(model.Deleted) } : model);
    }

    /// <summary>
    /// Lifts the tenant column's filter (<c>HasTenantColumn</c>) for this query: it reads or bulk-updates the rows of
    /// every tenant, not only the unit of work's. The only way to lift it; other filters stay.
    /// </summary>
    /// <exception cref="ArgumentException">The entity has no tenant column.</exception>
    public Query<T> AcrossTenants()
    {
        if (_plan is not null)
        {
            _plan.Filters.IndexOf(_plan, Mapping.QueryFilterModel.TenantName); // an entity without a tenant column fails here
        }

        // Once in the lifted names, however often it is called: the names are part of the query's cache key.
        return _model.LiftedFilters.Contains(Mapping.QueryFilterModel.TenantName) ? this
            : With(_model with { LiftedFilters = [.. _model.LiftedFilters, Mapping.QueryFilterModel.TenantName] });
    }

    /// <summary>
    /// Lifts every query filter of the entity, soft delete included, except those declared with <c>LiftOnlyExplicitly()</c>
    /// (a tenant's): only <see cref="IgnoreQueryFilter"/> naming them lifts those.
    /// </summary>
    public Query<T> IgnoreQueryFilters() => With(_model with { LiftsAllFilters = true, Deleted = LiftSoftDelete(_model.Deleted) });

    // Lifting soft delete shows deleted rows too; after OnlyDeleted() the query asked for those alone, and keeps doing so.
    private static DeletedRows LiftSoftDelete(DeletedRows deleted) => deleted == DeletedRows.Only ? DeletedRows.Only : DeletedRows.Included;

    /// <summary>Allows <see cref="DeleteAllAsync"/> without a filter: you mean every row.</summary>
    public Query<T> AllowUnsafe() => With(_model with { AllowUnsafe = true });

    /// <summary>
    /// The SQL this query sends, with <c>@pN</c> placeholders for its values: the root <c>SELECT</c>, then for a query with
    /// <c>Include</c> the statement of each relation, in the order they are sent, separated by <c>;</c> and a blank line.
    /// </summary>
    /// <exception cref="NotSupportedException">A predicate cannot be translated, or an Include names no relation.</exception>
    public string ToSql() => string.Join(";" + Environment.NewLine + Environment.NewLine, ToSqlStatements());

    /// <summary>
    /// Every statement this query sends, in order, each exactly as sent and as a query recorder records it: the root
    /// <c>SELECT</c>, then one per included relation (depth first, as <c>Include</c>/<c>ThenInclude</c> name them), whose
    /// <c>@keys</c> parameter holds the keys the statement before it read.
    /// </summary>
    /// <remarks>
    /// A relation's statement is sent only when the level above it read rows. On MySQL and MariaDB, which take a list as
    /// one parameter per value, the list is expanded when bound, and a level with more than 2000 keys sends its statement
    /// once per 2000.
    /// </remarks>
    /// <exception cref="NotSupportedException">A predicate cannot be translated, or an Include names no relation.</exception>
    public IReadOnlyList<string> ToSqlStatements() =>
        [Prepare(QueryOperation.Rows, _model, lastFilter: _filter).Command.Sql, .. IncludeLoader.Statements(Runtime, _plan, _model.Includes)];

    /// <summary>The SQL and, below it, its parameters and their values (values of sensitive columns as <c>***</c>).</summary>
    public string ToSqlWithParameters()
    {
        var command = Prepare(QueryOperation.Rows, _model, lastFilter: _filter).Command;
        var text = new StringBuilder(command.Sql);
        foreach (var (name, value) in ((QueryParameters)command.Parameters!).Describe())
        {
            text.AppendLine().Append("-- @").Append(name).Append(" = ").Append(value switch
            {
                null => "NULL",
                string s when s == "***" => s,
                string s => "'" + s + "'",
                ParameterDescription.Verbatim list => list.Text,
                _ => value,
            });
        }

        return text.ToString();
    }

    /// <summary>Runs the query and returns every row.</summary>
    public async Task<IReadOnlyList<T>> ToListAsync(CancellationToken cancellationToken = default)
    {
        if (_runner is not null)
        {
            return await _runner.RowsAsync<T>(Translated(QueryOperation.Rows, Folded), null, cancellationToken).ConfigureAwait(false);
        }

        using var usage = _unitOfWork.Enter(runsSql: true);
        return await ReadIncludingAsync(null, int.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the first row.</summary>
    /// <exception cref="InvalidOperationException">There is no row.</exception>
    public async Task<T> FirstAsync(CancellationToken cancellationToken = default) =>
        await FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"The query on {_plan.Entity.Name} returned no row; use FirstOrDefaultAsync when none may match.");

    /// <summary>Returns the first row, or <see langword="null"/>.</summary>
    // Three methods, so the Task a read allocates when it waits on the network holds one awaiter, not three.
    public Task<T?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) =>
        _runner is not null ? FirstServedAsync(cancellationToken)
        : _model.Includes.Length == 0 ? FirstReadAsync(cancellationToken)
        : FirstIncludingAsync(cancellationToken);

    private async Task<T?> FirstServedAsync(CancellationToken cancellationToken)
    {
        var take = FirstRows(1);
        var first = await _runner!.RowsAsync<T>(Translated(QueryOperation.Rows, Folded, take: take), take, cancellationToken).ConfigureAwait(false);
        return first.Count == 0 ? null : first[0];
    }

    // Without Include: the executor's read straight away, one async layer fewer than ReadIncludingAsync.
    private async Task<T?> FirstReadAsync(CancellationToken cancellationToken)
    {
        using var usage = _unitOfWork.Enter(runsSql: true);
        var rows = await ReadAsync(FirstRows(1), 1, cancellationToken, FirstRowBuffer<T>.Rent()).ConfigureAwait(false);
        var row = FirstRowBuffer<T>.TakeFirst(rows);
        return row is null ? null : _model.Tracking ? _unitOfWork.Tracker.Track(row, _plan) : row;
    }

    private async Task<T?> FirstIncludingAsync(CancellationToken cancellationToken)
    {
        using var usage = _unitOfWork.Enter(runsSql: true);
        var rows = await ReadIncludingAsync(FirstRows(1), 1, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Returns the only row.</summary>
    /// <exception cref="InvalidOperationException">There is no row, or more than one.</exception>
    public async Task<T> SingleAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<T> rows;
        if (_runner is not null)
        {
            var take = FirstRows(2);
            rows = await _runner.RowsAsync<T>(Translated(QueryOperation.Rows, Folded, take: take), take, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var usage = _unitOfWork.Enter(runsSql: true);
            rows = await ReadIncludingAsync(FirstRows(2), 2, cancellationToken).ConfigureAwait(false);
        }

        return rows.Count == 1
            ? rows[0]
            : throw new InvalidOperationException($"The query on {_plan.Entity.Name} returned {(rows.Count == 0 ? "no row" : "more than one row")}; SingleAsync expects exactly one.");
    }

    /// <summary>Counts the rows the query would return.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        if (_runner is not null)
        {
            return await _runner.CountAsync<T>(Translated(QueryOperation.Count, Folded), cancellationToken).ConfigureAwait(false);
        }

        using var usage = _unitOfWork.Enter(runsSql: true);
        var (command, _) = Prepare(QueryOperation.Count, _model, lastFilter: _filter);
        return Convert.ToInt64(await _unitOfWork.Executor.ScalarAsync(true, _unitOfWork, command, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Tells whether any row matches.</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        if (_runner is not null)
        {
            return await _runner.CountAsync<T>(Translated(QueryOperation.Any, Folded) with { Skip = null, Take = null }, cancellationToken).ConfigureAwait(false) > 0; // EXISTS has no paging
        }

        using var usage = _unitOfWork.Enter(runsSql: true);
        var (command, _) = Prepare(QueryOperation.Any, _model, lastFilter: _filter);
        return Convert.ToInt64(await _unitOfWork.Executor.ScalarAsync(true, _unitOfWork, command, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Streams the rows as they arrive, without buffering them all.</summary>
    /// <exception cref="NotSupportedException">The query has an Include: relations are loaded for a whole result set, which a stream does not have.</exception>
    public async IAsyncEnumerable<T> AsAsyncEnumerable([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_model.Includes.Length > 0)
        {
            throw new NotSupportedException($"AsAsyncEnumerable cannot Include: relations are loaded with one query for the whole result set, which a stream does not have. Use ToListAsync, or page with Skip/Take.");
        }

        if (_runner is not null)
        {
            foreach (var row in await _runner.RowsAsync<T>(Translated(QueryOperation.Rows, Folded), null, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }

            yield break;
        }

        var (command, _) = Prepare(QueryOperation.Rows, _model, lastFilter: _filter);
        using var stream = _unitOfWork.OpenStream();
        _unitOfWork.Hold(); // the connection stays with the stream until it ends or is disposed
        try
        {
            var connection = await _unitOfWork.AcquireAsync(true, cancellationToken).ConfigureAwait(false);
            await foreach (var row in _unitOfWork.Executor.StreamRowsAsync<T>(connection, _unitOfWork.CommandTransaction, command, _plan.Rows, cancellationToken).ConfigureAwait(false))
            {
                yield return _model.Tracking ? TrackStreamed(row) : row;
            }
        }
        finally
        {
            await _unitOfWork.LetGoAsync(true).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes every matching row with one statement, in the unit of work's transaction (it lands with the next commit),
    /// and returns how many rows it deleted. Tracked entities of this type are refreshed so a later commit cannot
    /// resurrect or overwrite what the statement did.
    /// </summary>
    /// <exception cref="DestructiveOperationException">The query has no filter, or only filters that are always true, and <see cref="AllowUnsafe"/> was not called.</exception>
    public async Task<int> DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        if (_runner is not null)
        {
            ThrowIfUnfiltered(nameof(DeleteAllAsync));
            return await _runner.BulkAsync<T>(QueryOperation.Delete, Translated(QueryOperation.Delete, Folded), null, cancellationToken).ConfigureAwait(false);
        }

        using var usage = _unitOfWork.Enter(runsSql: true);
        ThrowIfUnfiltered(nameof(DeleteAllAsync));
        var (command, _) = Prepare(QueryOperation.Delete, _model, lastFilter: _filter);
        return await _unitOfWork.ExecuteBulkAsync(_plan, command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes every matching row, soft-deleted or not, even for an entity with a soft-delete marker (where
    /// <see cref="DeleteAllAsync"/> only sets the marker). Guarded and transactional like <see cref="DeleteAllAsync"/>.
    /// </summary>
    /// <exception cref="DestructiveOperationException">The query has no filter and <see cref="AllowUnsafe"/> was not called.</exception>
    public async Task<int> HardDeleteAllAsync(CancellationToken cancellationToken = default)
    {
        if (_runner is not null)
        {
            ThrowIfUnfiltered(nameof(HardDeleteAllAsync));
            return await _runner.BulkAsync<T>(QueryOperation.HardDelete, Translated(QueryOperation.HardDelete, Folded), null, cancellationToken).ConfigureAwait(false);
        }

        using var usage = _unitOfWork.Enter(runsSql: true);
        ThrowIfUnfiltered(nameof(HardDeleteAllAsync));
        var (command, _) = Prepare(QueryOperation.HardDelete, _model, lastFilter: _filter);
        return await _unitOfWork.ExecuteBulkAsync(_plan, command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates every matching row with one statement, in the unit of work's transaction (it lands with the next commit),
    /// and returns how many rows it changed. Tracked entities of this type are refreshed from the database afterwards,
    /// so a later commit never silently overwrites the bulk change.
    /// </summary>
    /// <param name="set">The assignments: <c>s =&gt; s.Set(x =&gt; x.Status, "archived").Set(x =&gt; x.Count, x =&gt; x.Count + 1)</c>.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <exception cref="DestructiveOperationException">The query has no filter, or only filters that are always true, and <see cref="AllowUnsafe"/> was not called.</exception>
    public async Task<int> UpdateAllAsync(Action<BulkUpdate<T>> set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (_runner is not null)
        {
            var served = UpdateLambda(set);
            return await _runner.BulkAsync<T>(QueryOperation.Update, Translated(QueryOperation.Update, Folded, served), served, cancellationToken).ConfigureAwait(false);
        }

        using var usage = _unitOfWork.Enter(runsSql: true);
        var lambda = UpdateLambda(set);
        var (command, _) = Prepare(QueryOperation.Update, _model, lambda, lastFilter: _filter);
        return await _unitOfWork.ExecuteBulkAsync(_plan, command, cancellationToken).ConfigureAwait(false);
    }

    private LambdaExpression UpdateLambda(Action<BulkUpdate<T>> set)
    {
        var assignments = new BulkUpdate<T>();
        set(assignments);
        var lambda = assignments.ToLambda();
        ThrowIfUnfiltered(nameof(UpdateAllAsync));
        return lambda;
    }

    private void ThrowIfUnfiltered(string operation)
    {
        var filtered = FoldedFilters.Any(f => !CapturedValues.IsEvaluable(f.Body) || CapturedValues.Evaluate(f.Body) is not true);
        if (!filtered && !_model.AllowUnsafe)
        {
            throw new DestructiveOperationException(operation, typeof(T));
        }
    }

    // Reached by OrderBy, OrderByDescending, ThenBy and ThenByDescending: their keys may compute with decimals.
    [DynamicDependency(nameof(DecimalOperators.Keep), typeof(DecimalOperators))]
    private Query<T> Order(LambdaExpression key, bool descending, bool then)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ordering = new Ordering(key, descending);
        return With(_model with { Orderings = then ? [.. _model.Orderings, ordering] : [ordering] });
    }

    // An operator's copy of this query: the model it edited, the last Where carried along apart.
    private Query<T> With(QueryModel model) => new(this, model);

    // The rows First (1) and Single (2) read: no more than the query's own Take (Take(0).FirstOrDefault() reads none, and
    // Take(1).Single() one).
    private int FirstRows(int count) => _model.Take is { } take && take < count ? take : count;

    /// <summary>
    /// One call of a compiled query on this (a repository's new) query: <paramref name="tracked"/> or, when this query does
    /// not track, <paramref name="untracked"/>, with the call's values. A query served from memory gets the values written
    /// into its lambdas instead, since its runner evaluates them.
    /// </summary>
    internal Query<T> WithArguments(QueryModel tracked, QueryModel untracked, in QueryArguments arguments)
    {
        var model = _model.Tracking ? tracked : untracked;
        return _runner is null ? new(_unitOfWork, _plan, arguments.Paged(model), null, arguments.Compiled, arguments.Values) : new(_unitOfWork, _plan, arguments.Inlined(model), _runner);
    }

    private PremixRuntime Runtime => _runner?.Runtime ?? _unitOfWork.Runtime;

    // Translates as for the database, so a query served from memory refuses exactly what SQL translation refuses and a
    // bulk update checks its values the same way; returns the model for the runner (take: its Take replaced, see Prepare).
    private QueryModel Translated(QueryOperation operation, QueryModel model, LambdaExpression? extra = null, int? take = null)
    {
        Prepare(operation, model, extra, take);
        return model;
    }

    internal QueryModel Model => Folded;

    // The model with the last Where in its filters (a copy when there is one): for the next Where and for what is not on a
    // query call's hot path.
    private QueryModel Folded => _filter is null ? _model : _model with { Filters = FoldedFilters };

    // The filters with the last Where.
    private LambdaExpression[] FoldedFilters => _filter is null ? _model.Filters : [.. _model.Filters, _filter];

    private static PropertyInfo Navigation(LambdaExpression navigation) =>
        navigation.Body is MemberExpression { Member: PropertyInfo property } member && member.Expression == navigation.Parameters[0]
            ? property
            : throw new ArgumentException($"Include({navigation}) must name a navigation property, as in Include(c => c.Orders).", nameof(navigation));

    // The rows, tracked, with their relations: a query with Include reads them all on one connection, taken once.
    // Pooled, as the executor's methods are: a read that waits on the network allocates no state machine box here, only
    // in the public method's Task. take: the first rows only (see Prepare).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<IReadOnlyList<T>> ReadIncludingAsync(int? take, int limit, CancellationToken cancellationToken)
    {
        if (_model.Includes.Length == 0)
        {
            return Track(await ReadAsync(take, limit, cancellationToken).ConfigureAwait(false));
        }

        _unitOfWork.Hold();
        try
        {
            var rows = Track(await ReadAsync(take, limit, cancellationToken).ConfigureAwait(false));
            if (rows.Count > 0)
            {
                await _unitOfWork.Includes(_model.Tracking).LoadAsync(_plan, rows, _model.Includes, cancellationToken).ConfigureAwait(false);
            }

            return rows;
        }
        finally
        {
            await _unitOfWork.LetGoAsync(true).ConfigureAwait(false);
        }
    }

    // A streamed row is tracked between the caller's steps, which may use the unit of work in memory meanwhile.
    private T TrackStreamed(T row)
    {
        using var usage = _unitOfWork.Enter(runsSql: false);
        return _unitOfWork.Tracker.Track(row, _plan);
    }

    private IReadOnlyList<T> Track(List<T> rows)
    {
        if (_model.Tracking)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i] = _unitOfWork.Tracker.Track(rows[i], _plan);
            }
        }

        return rows;
    }

    private ValueTask<List<T>> ReadAsync(int? take, int limit, CancellationToken cancellationToken, List<T>? into = null) =>
        _unitOfWork.Executor.ReadRowsAsync(true, _unitOfWork, Prepare(QueryOperation.Rows, take).Command, _plan.Rows, limit, cancellationToken, into);

    /// <summary>The command of <paramref name="operation"/> on this query, as a call of it prepares it (the model not copied).</summary>
    internal (Command Command, CompiledQuery Compiled) Prepare(QueryOperation operation, int? take = null) => Prepare(operation, _model, take: take, lastFilter: _filter);

    /// <summary>The command of <paramref name="operation"/> on <paramref name="model"/> and its translation, looked up or made.</summary>
    /// <param name="operation">What the SQL does.</param>
    /// <param name="model">The query.</param>
    /// <param name="assignments">A bulk update's assignments, or a projection's selector.</param>
    /// <param name="take">
    /// The model's Take replaced, without a copy of the model: the 1 row of FirstOrDefault, the 2 of Single (a copy is made
    /// only to translate a query not seen before).
    /// </param>
    /// <param name="lastFilter">A filter after the model's own (the query's last <c>Where</c>, see <c>_filter</c>).</param>
    internal (Command Command, CompiledQuery Compiled) Prepare(QueryOperation operation, QueryModel model, LambdaExpression? assignments = null, int? take = null, LambdaExpression? lastFilter = null)
    {
        // The entity's named filters (all but those the query lifts) are part of the shape; their values follow the query's own.
        var filters = _plan.Filters;
        var active = filters.IsEmpty && model.LiftedFilters.Length == 0 ? 0 : filters.Active(_plan, model); // Active checks each lifted name
        if (_compiled is not null)
        {
            if (lastFilter is not null)
            {
                // Never taken (WithArguments sets no last filter, and a copy of a bound query is an uncompiled one): a check that
                // stays in Release, as a filter dropped here would widen a bulk update or delete.
                throw new UnreachableException("A compiled query's call has its filters in its model, not a last filter apart; please report it.");
            }

            var values = _values!;
            if (active != 0)
            {
                values = new object?[_values!.Length + filters.Nodes(active).Count];
                _values.CopyTo(values, 0);
                filters.ReadValues(active, values, _values.Length, ColumnTenant);
            }

            if (take is { } rows)
            {
                model = _compiled.Limited(model, rows); // the compiled query's own one- or two-row model: no copy
            }

            var translated = _compiled.Translations.Get(Runtime, _plan, operation, model, values, assignments, active);
            return (new Command(OperationNames[(int)operation], _plan.Entity.Name, translated.Sql, Bind(translated, values, model.Skip, model.Take)), translated);
        }

        // A projection's selector holds no values (Projection refuses them), so only bulk assignments add slots. The walker
        // is this thread's, given back before anything awaits; its values are this call's own array.
        var slots = QuerySlots.Rent(model, lastFilter, operation == QueryOperation.Project ? null : assignments, filters, active, ColumnTenant);
        var callValues = slots.Values;
        CompiledQuery? compiled;
        var reused = true; // its text, by later calls (a translation the cache keeps)
        try
        {
            var runtime = Runtime;
            var cached = slots.Nodes.Count <= 64; // past 64 values the null mask cannot tell shapes apart
            var key = cached ? new QueryKey(typeof(T), operation, model, (take ?? model.Take).HasValue, slots.NullMask, assignments, active, lastFilter) : default;
            if (!cached || !runtime.Queries.TryGet(key, out compiled))
            {
                var whole = lastFilter is null ? model : model with { Filters = [.. model.Filters, lastFilter] };
                compiled = CompiledQuery.Compile(_plan, runtime.Provider.Dialect, operation, take is null ? whole : whole with { Take = take }, slots, assignments, active);
                reused = cached && key.IsReusable; // checked on a miss only: a lookup that hits has a reusable key
                if (reused)
                {
                    compiled = runtime.Queries.Add(key, compiled);
                }
            }
        }
        finally
        {
            slots.Return();
        }

        if (operation == QueryOperation.Update)
        {
            compiled.RoundAssigned(callValues);
            EntityValidator.ThrowIfInvalid(_plan, compiled.Assignments(callValues));
        }

        // The values are this call's: the parameters convert them in their array rather than into a new one.
        var parameters = new QueryParameters(compiled.Slots, callValues, model.Skip, take ?? model.Take, convertInPlace: true, compiled.Names) { TextIsReused = reused };
        if (operation == QueryOperation.Delete && _plan.Entity.SoftDeleteMarker is not null)
        {
            parameters.Add("@__deleted", _plan.Properties.First(p => p.Property.IsSoftDeleteMarker).ToDatabase(_plan.DeletedMarker()), sensitive: false);
        }

        return (new Command(OperationNames[(int)operation], _plan.Entity.Name, compiled.Sql, parameters), compiled);
    }

    // The command names ("Query Rows", ...), made once rather than formatted on every call.
    private static readonly string[] OperationNames = Enum.GetValues<QueryOperation>().Select(o => $"Query {o}").ToArray();

    private static QueryParameters Bind(CompiledQuery compiled, object?[] values, int? skip, int? take) => new(compiled.Slots, values, skip, take, names: compiled.Names);
}
