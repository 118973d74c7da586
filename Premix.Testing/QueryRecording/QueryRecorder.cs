using System.Text;
using System.Text.RegularExpressions;
using Premix.Diagnostics;
using Premix.Execution;

namespace Premix.Testing;

/// <summary>
/// Records every statement a Premix instance (or one unit of work) sends in the current async flow, from its creation to
/// its disposal, and asserts on them: <c>using var queries = premix.RecordQueries(); ... queries.AssertCount(2);</c>.
/// </summary>
/// <remarks>
/// A recorder sees the statements of the flow that created it and of the flows that flow starts (awaited calls,
/// <c>Task.Run</c>, <c>Task.WhenAll</c>), never those of other tests running in parallel on the same Premix instance.
/// Statements of an in-process ASP.NET Core server reach it when the server keeps the caller's execution context
/// (<c>TestServer.PreserveExecutionContext = true</c>). BEGIN, COMMIT and ROLLBACK are not statements Premix sends through
/// its executor and are not recorded.
/// </remarks>
public sealed class QueryRecorder : IDisposable, IStatementObserver
{
    private static readonly Regex RawTables = new(
        @"\b(?:FROM|JOIN|INTO|UPDATE)\s+((?:[`""\[]?[\w$]+[`""\]]?\.)?[`""\[]?[\w$]+[`""\]]?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly SqlExecutor _executor;
    private readonly object? _session;
    private readonly Lock _lock = new();
    private readonly List<RecordedStatement> _statements = [];
    private readonly NPlusOneDetector _nPlusOne;
    private readonly IDisposable _scope;
    private int _roundTrips;

    internal QueryRecorder(SqlExecutor executor, object? session, QueryRecordingOptions options)
    {
        options.Validate();
        _executor = executor;
        _session = session;
        _nPlusOne = new NPlusOneDetector(options);
        _scope = StatementRecording.Start(this);
    }

    /// <summary>The statements recorded so far, in the order they were sent.</summary>
    public IReadOnlyList<RecordedStatement> Statements
    {
        get
        {
            lock (_lock)
            {
                return _statements.ToArray();
            }
        }
    }

    /// <summary>The round trips to the database so far: a batch of statements sent at once counts once.</summary>
    public int RoundTrips
    {
        get
        {
            lock (_lock)
            {
                return _statements.Select(s => s.RoundTrip).Distinct().Count();
            }
        }
    }

    /// <summary>How many recorded statements are of <paramref name="kind"/> and name <paramref name="table"/> (either may be left out).</summary>
    public int Count(StatementKind? kind = null, string? table = null) => Statements.Count(s => Matches(s, kind, table));

    /// <summary>Forgets what was recorded so far (after a test's arrange step, say); round trips and N+1 counts start again too.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _statements.Clear();
            _nPlusOne.Clear();
            _roundTrips = 0;
        }
    }

    /// <summary>Asserts that exactly <paramref name="expected"/> statements of <paramref name="kind"/> on <paramref name="table"/> (either may be left out) were recorded.</summary>
    /// <returns>This recorder, to chain assertions.</returns>
    /// <exception cref="QueryAssertionException">Another number was recorded; the message lists every statement.</exception>
    public QueryRecorder AssertCount(int expected, StatementKind? kind = null, string? table = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        var statements = Statements;
        var actual = statements.Count(s => Matches(s, kind, table));
        if (actual != expected)
        {
            var what = Describe(expected, kind, table);
            throw new QueryAssertionException($"Expected {what}, but {actual} {(actual == 1 ? "was" : "were")} recorded.{Environment.NewLine}{List(statements, s => Matches(s, kind, table))}");
        }

        return this;
    }

    /// <summary>Asserts that no statement of <paramref name="kind"/> on <paramref name="table"/> (either may be left out) was recorded.</summary>
    /// <returns>This recorder, to chain assertions.</returns>
    /// <exception cref="QueryAssertionException">Some were; the message lists every statement.</exception>
    public QueryRecorder AssertNone(StatementKind? kind = null, string? table = null) => AssertCount(0, kind, table);

    /// <summary>Asserts that the statements were sent in exactly <paramref name="expected"/> round trips (a batch counts once).</summary>
    /// <returns>This recorder, to chain assertions.</returns>
    /// <exception cref="QueryAssertionException">Another number; the message lists every statement with its round trip.</exception>
    public QueryRecorder AssertRoundTrips(int expected)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        var actual = RoundTrips;
        if (actual != expected)
        {
            throw new QueryAssertionException($"Expected {expected} round trip{(expected == 1 ? string.Empty : "s")}, but {actual} {(actual == 1 ? "was" : "were")} made.{Environment.NewLine}{List(Statements, null)}");
        }

        return this;
    }

    /// <summary>Stops recording; what was recorded stays readable.</summary>
    public void Dispose() => _scope.Dispose();

    void IStatementObserver.Observe(in ObservedStatement observed)
    {
        if (!ReferenceEquals(observed.Executor, _executor) || (_session is not null && !ReferenceEquals(observed.Session, _session)))
        {
            return;
        }

        var command = observed.Command;
        var parameters = command.Parameters?.Describe()
            .Select(p => new KeyValuePair<string, object?>(p.Key, p.Value is ParameterDescription.Verbatim shown ? shown.Text : p.Value)).ToArray() ?? [];
        var tables = _executor.Telemetry.Collection(command.Entity) is { } table
            ? [table]
            : RawTables.Matches(command.Sql).Select(m => m.Groups[1].Value.Replace("`", string.Empty, StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal).Trim('[', ']')).Distinct().ToArray();
        var callSite = CallSites.Find(observed.CallerStack);
        lock (_lock)
        {
            var roundTrip = observed.StartsRoundTrip || _roundTrips == 0 ? ++_roundTrips : _roundTrips;
            var statement = new RecordedStatement(
                command.Sql, Kind(command.Sql), command.Operation, command.Entity, tables, parameters, ParameterDescription.Describe(command.Parameters, includeValues: true),
                callSite, observed.Session as IUnitOfWork, roundTrip, observed.Rows, observed.Elapsed, observed.Error);
            _statements.Add(statement);
            _nPlusOne.Count(statement, observed.Session);
        }
    }

    private static StatementKind Kind(string sql) => TelemetryContext.Verb(sql) switch
    {
        "SELECT" => StatementKind.Select,
        "INSERT" => StatementKind.Insert,
        "UPDATE" => StatementKind.Update,
        "DELETE" => StatementKind.Delete,
        _ => StatementKind.Other,
    };

    private static bool Matches(RecordedStatement statement, StatementKind? kind, string? table) =>
        (kind is null || statement.Kind == kind) && (table is null || statement.Tables.Contains(table, StringComparer.OrdinalIgnoreCase));

    private static string Describe(int count, StatementKind? kind, string? table) =>
        $"{count} {(kind is null ? string.Empty : kind.Value.ToString().ToUpperInvariant() + " ")}statement{(count == 1 ? string.Empty : "s")}{(table is null ? string.Empty : " on " + table)}";

    // Every statement, those an assertion counted (when it counts some) marked with *.
    private static string List(IReadOnlyList<RecordedStatement> statements, Func<RecordedStatement, bool>? counted)
    {
        if (statements.Count == 0)
        {
            return "Recorded statements: none.";
        }

        var text = new StringBuilder().Append("Recorded statements (").Append(statements.Count).Append(counted is null ? "):" : ", * = counted):");
        for (var i = 0; i < statements.Count; i++)
        {
            text.AppendLine().Append(counted?.Invoke(statements[i]) == true ? "* " : "  ").Append(i + 1).Append(". [round trip ").Append(statements[i].RoundTrip).Append("] ").Append(statements[i]);
        }

        return text.ToString();
    }
}
