using System.Data.Common;
using Dapper;
using Premix.Execution;

namespace Premix;

/// <summary>
/// A hand-written SQL statement, mapped onto any class or record (by settable properties or by constructor), unrelated
/// to the mapping. Values always travel as parameters.
/// </summary>
/// <remarks>
/// Columns that fit no property are ignored and properties with no column keep their default, as in Dapper; call
/// <see cref="Strict"/> to have unmatched columns reported instead.
/// </remarks>
public sealed class RawQuery
{
    private static readonly IReadOnlySet<string> EmptyNames = new HashSet<string>();

    private readonly ISqlSession _session;
    private readonly string _sql;
    private readonly object? _args;
    private readonly bool _strict;
    private readonly IReadOnlySet<string> _sensitive;

    internal RawQuery(ISqlSession session, string sql, object? args, bool strict = false, IReadOnlySet<string>? sensitive = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        _session = session;
        _sql = sql;
        _args = args;
        _strict = strict;
        _sensitive = sensitive ?? EmptyNames;
    }

    /// <summary>Returns the same query in strict mode: a column that matches no property or constructor parameter of the target type throws <see cref="RawMappingException"/>.</summary>
    public RawQuery Strict() => new(_session, _sql, _args, strict: true, _sensitive);

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
        return new(_session, _sql, _args, _strict, names);
    }

    /// <summary>The SQL text, exactly as it is sent.</summary>
    public string ToSql() => _sql;

    /// <summary>Runs the query and maps every row onto <typeparamref name="T"/>.</summary>
    /// <exception cref="RawMappingException">In strict mode, a column fits nothing in <typeparamref name="T"/>.</exception>
    public Task<IReadOnlyList<T>> FetchAs<T>(CancellationToken cancellationToken = default) =>
        _strict
            ? RunAsync(static (c, d) => StrictRows<T>(c, d, int.MaxValue), cancellationToken)
            : RunAsync(static async (c, d) => (IReadOnlyList<T>)(await c.QueryAsync<T>(d).ConfigureAwait(false)).AsList(), cancellationToken);

    /// <summary>Runs the query and maps its first row, or returns <see langword="null"/> when there is none.</summary>
    public async Task<T?> FetchOneAs<T>(CancellationToken cancellationToken = default) =>
        _strict
            ? (await RunAsync(static (c, d) => StrictRows<T>(c, d, 1), cancellationToken).ConfigureAwait(false)).FirstOrDefault()
            : await RunAsync(static (c, d) => c.QueryFirstOrDefaultAsync<T>(d), cancellationToken).ConfigureAwait(false);

    /// <summary>Runs the query, which must return exactly one row, and maps it.</summary>
    /// <exception cref="PremixException">The query returned no row or more than one.</exception>
    public async Task<T> FetchSingleAs<T>(CancellationToken cancellationToken = default)
    {
        var rows = _strict
            ? await RunAsync(static (c, d) => StrictRows<T>(c, d, 2), cancellationToken).ConfigureAwait(false)
            : await RunAsync(static async (c, d) => (IReadOnlyList<T>)(await c.QueryAsync<T>(d).ConfigureAwait(false)).Take(2).ToList(), cancellationToken).ConfigureAwait(false);
        return rows.Count == 1
            ? rows[0]
            : throw new PremixException($"FetchSingleAs<{typeof(T).Name}> expected exactly one row but the query returned {(rows.Count == 0 ? "none" : "more than one")}. Use FetchOneAs when the row may be absent, or FetchAs for many.{Environment.NewLine}SQL: {_sql}");
    }

    /// <summary>Runs the query and returns the first column of the first row, converted to <typeparamref name="T"/> (<see langword="default"/> when there is no row or it is NULL).</summary>
    public Task<T?> ScalarAs<T>(CancellationToken cancellationToken = default) =>
        RunAsync(static (c, d) => c.ExecuteScalarAsync<T>(d), cancellationToken);

    /// <summary>
    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL) and returns the number of rows it affected.
    /// In a unit of work it runs in the unit of work's transaction: it lands with the next commit, and is rolled back
    /// if the unit of work is disposed without one.
    /// </summary>
    public Task<int> ExecuteAsync(CancellationToken cancellationToken = default) =>
        RunAsync(static (c, d) => c.ExecuteAsync(d), cancellationToken, writes: true);

    /// <inheritdoc />
    public override string ToString() => _sql;

    // A read runs through the executor's retrying read; a write joins the session's transaction and is never retried
    // on its own (a unit of work's commit is, as a whole).
    private async Task<TResult> RunAsync<TResult>(Func<DbConnection, CommandDefinition, Task<TResult>> run, CancellationToken cancellationToken, bool writes = false)
    {
        var command = new Command("Raw", null, _sql, _sensitive.Count == 0 ? _args : new SensitiveArguments(_args, _sensitive));
        if (!writes)
        {
            return await _session.Executor.ReadAsync(
                true, _session, (Command: command, Run: run), static (executor, async, connection, transaction, s, token) => executor.RunAsync(async, connection, transaction, s.Command, runSync: null, s.Run, token), cancellationToken).ConfigureAwait(false);
        }

        var connection = await _session.AcquireAsync(true, cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await _session.WriteTransactionAsync(true, cancellationToken).ConfigureAwait(false);
            return await _session.Executor.RunAsync(true, connection, transaction, command, runSync: null, run, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _session.ReleaseAsync(true, connection).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<T>> StrictRows<T>(DbConnection connection, CommandDefinition definition, int limit)
    {
        var reader = await connection.ExecuteReaderAsync(definition).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            RawTarget<T>.ThrowIfUnmatched(reader, definition.CommandText);
            var parse = reader.GetRowParser<T>();
            var rows = new List<T>();
            while (rows.Count < limit && await reader.ReadAsync(definition.CancellationToken).ConfigureAwait(false))
            {
                rows.Add(parse(reader));
            }

            return rows;
        }
    }
}
