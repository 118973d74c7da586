namespace Premix.Testing;

/// <summary>The raw statements a fake recorded and the answers a test scripted for them. Thread-safe.</summary>
internal sealed class FakeRawScripts
{
    private readonly object _gate = new();
    private readonly List<RecordedRawStatement> _statements = [];
    private readonly List<FakeRawResponse> _responses = [];

    public IReadOnlyList<RecordedRawStatement> Statements
    {
        get
        {
            lock (_gate)
            {
                return _statements.ToArray();
            }
        }
    }

    /// <summary>A script for statements whose SQL is <paramref name="sql"/>, runs of whitespace compared as one space.</summary>
    public FakeRawResponse On(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var expected = Collapse(sql);
        return On(statement => Collapse(statement.Sql) == expected);
    }

    public FakeRawResponse On(Func<RecordedRawStatement, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var response = new FakeRawResponse(matches);
        lock (_gate)
        {
            _responses.Add(response);
        }

        return response;
    }

    /// <summary>Records <paramref name="query"/> and answers it from the latest script that matches; throws, naming the SQL, when none does.</summary>
    public TResult Answer<TResult>(RawQuery query, RawStatementKind kind, bool inUnitOfWork, Func<FakeRawResponse, RecordedRawStatement, TResult> answer)
    {
        var parameters = new RawArguments(query.Arguments, query.SensitiveNames).Arguments()
            .ToDictionary(p => p.Key.TrimStart('@', ':', '$'), p => p.Value);
        var statement = new RecordedRawStatement(query.ToSql(), parameters, query.SensitiveNames, kind, query.IsReadOnly, inUnitOfWork);
        FakeRawResponse? response;
        lock (_gate)
        {
            _statements.Add(statement);
            response = _responses.LastOrDefault(r => r.Matches(statement));
        }

        return response is null
            ? throw FakeRawResponse.Unscripted(statement, kind switch { RawStatementKind.Execute => "an affected-row count", RawStatementKind.Scalar => "a value", _ => "rows" }, kind == RawStatementKind.Execute ? "Affects(n)" : "Returns(...)")
            : answer(response, statement);
    }

    private static string Collapse(string sql) => string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
