using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Premix.Execution;

namespace Premix;

/// <summary>
/// A hand-written SQL statement, mapped onto any class or record (by settable properties or by constructor), unrelated
/// to the mapping. Values always travel as parameters.
/// </summary>
/// <remarks>
/// <para>
/// A raw statement is a write unless it is marked <see cref="ReadOnly"/>: in a unit of work it runs in the unit of
/// work's transaction (it lands with the commit, or not at all), and it is never retried on its own, because after a
/// lost connection nobody knows whether it ran. A read-only statement is retried after a transient failure, like the
/// reads of repositories.
/// </para>
/// <para>
/// Columns are matched to properties as the model names columns (with snake_case, <c>payment_id</c> fills
/// <c>PaymentId</c>); columns that fit no property are ignored and properties with no column keep their default, as in
/// Dapper. Call <see cref="Strict"/> to have unmatched columns reported instead.
/// </para>
/// </remarks>
public sealed class RawQuery
{
    private static readonly IReadOnlySet<string> EmptyNames = new HashSet<string>();

    private readonly ISqlSession _session;
    private readonly PremixRuntime _runtime;
    private readonly string _sql;
    private readonly object? _args;
    private readonly bool _strict;
    private readonly bool _readOnly;
    private readonly IReadOnlySet<string> _sensitive;

    // Set for a statement a fake records and answers (Premix.Testing), which then has no session.
    private readonly IRawRunner? _runner;

    internal RawQuery(ISqlSession session, PremixRuntime runtime, string sql, object? args, bool strict = false, bool readOnly = false, IReadOnlySet<string>? sensitive = null, IRawRunner? runner = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        _session = session;
        _runtime = runtime;
        _sql = sql;
        _args = args;
        _strict = strict;
        _readOnly = readOnly;
        _sensitive = sensitive ?? EmptyNames;
        _runner = runner;
    }

    /// <summary>The arguments object, or the parameters of an interpolated string's holes.</summary>
    internal object? Arguments => _args;

    /// <summary>The argument names marked sensitive, without their prefix.</summary>
    internal IReadOnlySet<string> SensitiveNames => _sensitive;

    /// <summary>Whether the statement was marked <see cref="ReadOnly"/>.</summary>
    internal bool IsReadOnly => _readOnly;

    /// <summary>A statement that <paramref name="runner"/> runs instead of a database, built as <see cref="Interpolated"/> builds one.</summary>
    internal static RawQuery Served(IRawRunner runner, PremixRuntime runtime, RawSql sql)
    {
        var (text, parameters, sensitive) = sql.Build(runtime.Provider.Dialect);
        return new RawQuery(null!, runtime, text, parameters, sensitive: sensitive, runner: runner);
    }

    /// <summary>A verbatim statement that <paramref name="runner"/> runs instead of a database.</summary>
    internal static RawQuery Served(IRawRunner runner, PremixRuntime runtime, string sql, object? args) => new(null!, runtime, sql, args, runner: runner);

    /// <summary>Builds the query of an interpolated string: holes become parameters, identifiers are quoted for the engine.</summary>
    internal static RawQuery Interpolated(ISqlSession session, PremixRuntime runtime, RawSql sql)
    {
        var (text, parameters, sensitive) = sql.Build(runtime.Provider.Dialect);
        return new RawQuery(session, runtime, text, parameters, sensitive: sensitive);
    }

    /// <summary>What the overload mixing an interpolated string with an arguments object throws, if reached by reflection.</summary>
    internal static NotSupportedException MixedArguments() => new(
        "Raw($\"...\") takes its values from the holes of the interpolated string; an arguments object cannot be added. Put every value in a hole, or write a constant SQL string with @name parameters and pass the arguments object.");

    /// <summary>Returns the same query in strict mode: a column that matches no property or constructor parameter of the target type throws <see cref="RawMappingException"/>.</summary>
    public RawQuery Strict() => new(_session, _runtime, _sql, _args, strict: true, _readOnly, _sensitive, _runner);

    /// <summary>
    /// Returns the same query marked as one that only reads: it is retried after a transient failure, and in a unit of
    /// work it does not begin the unit of work's transaction. Only for statements that change nothing: a write marked
    /// read-only could run twice.
    /// </summary>
    public RawQuery ReadOnly() => new(_session, _runtime, _sql, _args, _strict, readOnly: true, _sensitive, _runner);

    /// <summary>
    /// Returns the same query with the named arguments marked sensitive: their values show as <c>***</c> in logs (even
    /// with parameter logging on) and are scrubbed from error messages, as the values of <c>Sensitive()</c> columns are.
    /// </summary>
    /// <param name="parameterNames">Argument names, with or without their <c>@</c>.</param>
    public RawQuery Sensitive(params string[] parameterNames)
    {
        ArgumentNullException.ThrowIfNull(parameterNames);
        var names = new HashSet<string>(_sensitive, StringComparer.OrdinalIgnoreCase);
        names.UnionWith(parameterNames.Select(n => n.TrimStart('@', ':', '$')));
        return new(_session, _runtime, _sql, _args, _strict, _readOnly, names, _runner);
    }

    /// <summary>The SQL text, exactly as it is sent.</summary>
    public string ToSql() => _sql;

    /// <summary>Runs the query and maps every row onto <typeparamref name="T"/>.</summary>
    /// <exception cref="RawMappingException">In strict mode, a column fits nothing in <typeparamref name="T"/>.</exception>
    public async Task<IReadOnlyList<T>> FetchAs<[DynamicallyAccessedMembers(RawTarget.Members)] T>(CancellationToken cancellationToken = default) =>
        await RowsAsync<T>(int.MaxValue, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs the query and maps its first row, or returns <see langword="null"/> when there is none.</summary>
    /// <exception cref="RawMappingException">In strict mode, a column fits nothing in <typeparamref name="T"/>.</exception>
    public async Task<T?> FetchOneAs<[DynamicallyAccessedMembers(RawTarget.Members)] T>(CancellationToken cancellationToken = default)
    {
        var rows = await RowsAsync<T>(1, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? default : rows[0];
    }

    /// <summary>Runs the query, which must return exactly one row, and maps it.</summary>
    /// <exception cref="PremixException">The query returned no row or more than one.</exception>
    /// <exception cref="RawMappingException">In strict mode, a column fits nothing in <typeparamref name="T"/>.</exception>
    public async Task<T> FetchSingleAs<[DynamicallyAccessedMembers(RawTarget.Members)] T>(CancellationToken cancellationToken = default)
    {
        var rows = await RowsAsync<T>(2, cancellationToken).ConfigureAwait(false);
        return rows.Count == 1
            ? rows[0]
            : throw new PremixException($"FetchSingleAs<{typeof(T).Name}> expected exactly one row but the query returned {(rows.Count == 0 ? "none" : "more than one")}. Use FetchOneAs when the row may be absent, or FetchAs for many.{Environment.NewLine}SQL: {_sql}");
    }

    /// <summary>Runs the query and returns the first column of the first row, converted to <typeparamref name="T"/> (<see langword="default"/> when there is no row or it is NULL).</summary>
    public async Task<T?> ScalarAs<T>(CancellationToken cancellationToken = default)
    {
        if (_runner is not null)
        {
            return await _runner.ScalarAsync<T>(this, cancellationToken).ConfigureAwait(false);
        }

        // Native AOT cannot run Dapper's parsers (code generated at run time): there the driver's value is converted by
        // FirstColumnReader. The fork is on the switch alone, which the AOT compiler reads as a constant, so RawRowReader
        // and Dapper's type deserializer behind it are left out of the binary.
        RowReader reader = RuntimeFeature.IsDynamicCodeSupported ? RawRowReader<T>.Scalar : FirstColumnReader<T>.Scalar;
        var rows = await RowsAsync<object?>(1, cancellationToken, reader).ConfigureAwait(false);
        return rows.Count == 0 || rows[0] is null ? default : (T)rows[0]!;
    }

    /// <summary>
    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL) and returns the number of rows it affected.
    /// In a unit of work it runs in the unit of work's transaction: it lands with the next commit, and is rolled back
    /// if the unit of work is disposed without one.
    /// </summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (_runner is not null)
        {
            return await _runner.ExecuteAsync(this, cancellationToken).ConfigureAwait(false);
        }

        var command = Command();
        using var usage = _session.Enter();
        return _readOnly
            ? await _session.Executor.ReadAsync(true, _session, command, static (executor, async, connection, transaction, command, token) => executor.ExecuteAsync(async, connection, transaction, command, token), cancellationToken).ConfigureAwait(false)
            : await _session.Executor.ExecuteAsync(true, _session, command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => _sql;

    // A write joins the session's write transaction and runs once; a read-only statement is a retried read.
    private async Task<List<T>> RowsAsync<[DynamicallyAccessedMembers(RawTarget.Members)] T>(int limit, CancellationToken cancellationToken, RowReader? rows = null)
    {
        if (_runner is not null)
        {
            return await _runner.FetchAsync<T>(this, limit, cancellationToken).ConfigureAwait(false);
        }

        var state = (Command: Command(), Rows: rows ?? _runtime.RawRows<T>(_strict), Limit: limit);
        using var usage = _session.Enter();
        return _readOnly
            ? await _session.Executor.ReadAsync(true, _session, state, static (executor, async, connection, transaction, s, token) => executor.ReadRowsAsync<T>(async, connection, transaction, s.Command, s.Rows, s.Limit, token), cancellationToken).ConfigureAwait(false)
            : await _session.Executor.WriteAsync(true, _session, state, static (executor, async, connection, transaction, s, token) => executor.ReadRowsAsync<T>(async, connection, transaction, s.Command, s.Rows, s.Limit, token), cancellationToken).ConfigureAwait(false);
    }

    private Command Command() => new("Raw", null, _sql, _args is null && _sensitive.Count == 0 ? null : new RawArguments(_args, _sensitive));
}
