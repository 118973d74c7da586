using System.Text;

namespace Premix.Testing;

/// <summary>One statement Premix sent while a <see cref="QueryRecorder"/> listened, as its logs describe it.</summary>
public sealed class RecordedStatement
{
    internal RecordedStatement(
        string sql, StatementKind kind, string operation, string? entity, IReadOnlyList<string> tables, IReadOnlyList<KeyValuePair<string, object?>> parameters,
        string parametersText, StatementCallSite? callSite, IUnitOfWork? unitOfWork, int roundTrip, long rows, TimeSpan elapsed, Exception? error)
    {
        Sql = sql;
        Kind = kind;
        Operation = operation;
        Entity = entity;
        Tables = tables;
        Parameters = parameters;
        ParametersText = parametersText;
        CallSite = callSite;
        UnitOfWork = unitOfWork;
        RoundTrip = roundTrip;
        Rows = rows;
        Elapsed = elapsed;
        Error = error;
    }

    /// <summary>The SQL text, as logs and traces show it and as <c>ToSqlStatements()</c> predicts it.</summary>
    /// <remarks>On MySQL and MariaDB a list parameter (<c>IN @keys</c>) is expanded into one placeholder per value when bound.</remarks>
    public string Sql { get; }

    /// <summary>SELECT, INSERT, UPDATE, DELETE or other, from the statement's first keyword.</summary>
    public StatementKind Kind { get; }

    /// <summary>
    /// What Premix sent it for, as its log lines name it: <c>SelectByKey</c>, <c>SelectAll</c>, <c>Query Rows</c>,
    /// <c>Include</c>, <c>Insert</c>, <c>Update</c>, <c>Raw</c>, ...
    /// </summary>
    public string Operation { get; }

    /// <summary>Whether it came from <c>Raw(...)</c>.</summary>
    public bool IsRaw => Operation == "Raw";

    /// <summary>The mapped entity the statement is about, or <see langword="null"/> (raw SQL, schema statements).</summary>
    public string? Entity { get; }

    /// <summary>The tables it names: the entity's table, or for raw SQL those after FROM, JOIN, INTO and UPDATE, as written.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>
    /// Its parameters by name (without <c>@</c>), masked as the logs mask them: values of sensitive columns are <c>***</c>
    /// and a list shows its first values and its length.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }

    /// <summary>The parameters as one log line shows them: <c>@p0=42, @p1=***</c>.</summary>
    public string ParametersText { get; }

    /// <summary>The caller's code that started the operation (a loop's <c>GetAsync</c>, a <c>CommitAsync</c>), or <see langword="null"/> when no frame outside Premix was on the stack.</summary>
    public StatementCallSite? CallSite { get; }

    /// <summary>The unit of work that sent it, or <see langword="null"/> for <c>premix.Raw(...)</c> and migrations.</summary>
    public IUnitOfWork? UnitOfWork { get; }

    /// <summary>The round trip it was sent in, counted from 1 per recorder: statements of one batch share one.</summary>
    public int RoundTrip { get; }

    /// <summary>Rows read or affected; negative when unknown (a statement of a batch, a failure).</summary>
    public long Rows { get; }

    /// <summary>How long it took (for a statement of a batch, the whole batch).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The exception the statement ended with (already scrubbed of sensitive values), or <see langword="null"/>.</summary>
    public Exception? Error { get; }

    /// <summary>One line of description, then the SQL, then the parameters: how failure messages list a statement.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Kind.ToString().ToUpperInvariant());
        if (Tables.Count > 0)
        {
            text.Append(' ').AppendJoin(", ", Tables);
        }

        text.Append(" (").Append(Operation).Append(Entity is null ? string.Empty : " " + Entity).Append(')');
        if (CallSite is not null)
        {
            text.Append(" at ").Append(CallSite);
        }

        if (Error is not null)
        {
            text.Append(" failed: ").Append(Error.Message);
        }

        text.AppendLine().Append("     ").Append(Sql);
        if (ParametersText.Length > 0)
        {
            text.AppendLine().Append("     ").Append(ParametersText);
        }

        return text.ToString();
    }
}
