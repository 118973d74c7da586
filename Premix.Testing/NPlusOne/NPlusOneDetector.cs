using System.Text;
using Microsoft.Extensions.Logging;

namespace Premix.Testing;

/// <summary>
/// Counts the executions of each SELECT per unit of work and call site, and reports the one that reaches the threshold:
/// the definition of an N+1 in docs/testing-your-app.md, kept in this one place.
/// </summary>
internal sealed partial class NPlusOneDetector(QueryRecordingOptions options)
{
    // Premix's own set reads: one statement per relation or per refreshed set (chunked past 2000 keys on MySQL), never per row.
    private static readonly HashSet<string> SetReads = ["Include", "Refresh"];

    private readonly Dictionary<(object? Session, string Sql, StatementCallSite? CallSite), List<RecordedStatement>> _repetitions = [];

    /// <summary>Forgets the counts (the recorder was cleared).</summary>
    public void Clear() => _repetitions.Clear();

    /// <summary>Counts <paramref name="statement"/> (sent by <paramref name="session"/>) and acts when it makes a case; the caller holds the recorder's lock.</summary>
    public void Count(RecordedStatement statement, object? session)
    {
        if (options.NPlusOne == NPlusOneMode.Off || statement.Kind != StatementKind.Select || statement.Error is not null
            || SetReads.Contains(statement.Operation) || options.IsAllowed(statement.Entity, statement.CallSite))
        {
            return;
        }

        var key = (session, statement.Sql, statement.CallSite);
        if (!_repetitions.TryGetValue(key, out var repeated))
        {
            _repetitions[key] = repeated = [];
        }

        repeated.Add(statement);
        if (repeated.Count != options.NPlusOneThreshold)
        {
            return; // reported once, when the threshold is reached
        }

        var message = Describe(statement, repeated);
        if (options.NPlusOne == NPlusOneMode.Throw)
        {
            throw new NPlusOneException(message, statement.CallSite, statement.Sql);
        }

        Detected(options.Logger!, message);
    }

    private static string Describe(RecordedStatement statement, List<RecordedStatement> repeated)
    {
        var on = statement.Tables.Count > 0 ? " on " + string.Join(", ", statement.Tables) : string.Empty;
        var from = statement.CallSite?.ToString() ?? "code outside any frame Premix could see";
        var entity = statement.Entity ?? "T";
        var text = new StringBuilder()
            .Append("N+1 queries: the same SELECT").Append(on).Append(" ran ").Append(repeated.Count).Append(" times in one ")
            .Append(statement.UnitOfWork is null ? "flow outside units of work" : "unit of work").Append(", from ").Append(from)
            .Append(", once per row where one statement could read every row:").AppendLine()
            .Append("  ").Append(statement.Sql).AppendLine();
        foreach (var each in repeated)
        {
            text.Append("  ").Append(each.ParametersText.Length == 0 ? "(no parameters)" : each.ParametersText).AppendLine();
        }

        text.Append("Fix: load the rows with the query that read their keys, Include(x => x.").Append(entity).Append(") or its collection (one statement for all rows), ")
            .Append("or read them at once with Query<").Append(entity).Append(">().Where(x => keys.Contains(x.Id)).");
        if (statement.CallSite is { } site)
        {
            text.AppendLine().Append("If this repetition is intended, allow it: new QueryRecordingOptions().AllowNPlusOneIn(\"").Append(site.Member).Append("\")");
            if (statement.Entity is not null)
            {
                text.Append(" or .AllowNPlusOne<").Append(statement.Entity).Append(">()");
            }

            text.Append('.');
        }

        return text.ToString();
    }

    [LoggerMessage(EventId = 1500, EventName = "NPlusOneDetected", Level = LogLevel.Warning, Message = "{Description}")]
    private static partial void Detected(ILogger logger, string description);
}
