using System.Diagnostics;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Diagnostics;

/// <summary>
/// What every span and measurement of one Premix instance carries (engine, database, server), and the start of a
/// statement's <see cref="CommandTrace"/>. Built once per runtime.
/// </summary>
internal sealed class TelemetryContext(string system, DatabaseTarget target, IReadOnlyDictionary<string, string> tablesByEntity)
{
    // The keywords Premix's own statements start with: returned as these instances, so naming an operation allocates nothing.
    private static readonly string[] KnownVerbs = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP"];

    public string System => system;

    public DatabaseTarget Target => target;

    /// <summary>The same engine and tables on another server (a read replica), for its spans and measurements.</summary>
    public TelemetryContext On(DatabaseTarget server) => new(system, server, tablesByEntity);

    /// <summary>Starts timing a statement (or a batch of <paramref name="batchSize"/>), with a span when anyone listens.</summary>
    public CommandTrace Start(Command command, int batchSize = 1)
    {
        var activity = Telemetry.Source.HasListeners() ? StartActivity(command, batchSize) : null;
        return new CommandTrace(this, command, Stopwatch.GetTimestamp(), activity);
    }

    /// <summary>The table of a mapped entity, by entity name.</summary>
    public string? Collection(string? entity) => entity is not null && tablesByEntity.TryGetValue(entity, out var table) ? table : null;

    /// <summary>The measurement tags of a statement: engine, database, operation, table and server.</summary>
    public TagList Tags(Command command)
    {
        var tags = new TagList { { "db.system.name", system }, { "db.namespace", target.Namespace }, { "db.operation.name", Verb(command.Sql) } };
        if (Collection(command.Entity) is { } collection)
        {
            tags.Add("db.collection.name", collection);
        }

        if (target.ServerAddress is { } server)
        {
            tags.Add("server.address", server);
        }

        return tags;
    }

    /// <summary>The tags of measurements about the database as a whole (connections, commits): engine and database.</summary>
    public TagList DatabaseTags() => new() { { "db.system.name", system }, { "db.namespace", target.Namespace } };

    /// <summary>Starts a span for a commit; its statements become its children.</summary>
    public Activity? StartCommit()
    {
        var activity = Telemetry.Source.StartActivity("COMMIT", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            AddConnectionTags(activity);
        }

        return activity;
    }

    /// <summary>The SQL keyword a statement starts with (<c>SELECT</c>, <c>INSERT</c>, ...), as <c>db.operation.name</c>.</summary>
    internal static string Verb(string sql)
    {
        var span = sql.AsSpan().TrimStart();
        var end = 0;
        while (end < span.Length && char.IsAsciiLetter(span[end]))
        {
            end++;
        }

        var word = span[..end];
        foreach (var known in KnownVerbs)
        {
            if (word.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return word.ToString().ToUpperInvariant();
    }

    private Activity? StartActivity(Command command, int batchSize)
    {
        var verb = Verb(command.Sql);
        var operation = batchSize > 1 ? "BATCH " + verb : verb;
        var collection = Collection(command.Entity);
        var activity = Telemetry.Source.StartActivity(collection is null ? operation : operation + " " + collection, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            AddConnectionTags(activity);
            activity.SetTag("db.operation.name", operation);
            activity.SetTag("db.collection.name", collection);
            activity.SetTag("db.query.text", command.Sql); // placeholders only: values are always parameters, and parameters are never traced
            if (batchSize > 1)
            {
                activity.SetTag("db.operation.batch.size", batchSize);
            }
        }

        return activity;
    }

    private void AddConnectionTags(Activity activity)
    {
        activity.SetTag("db.system.name", system);
        activity.SetTag("db.namespace", target.Namespace);
        activity.SetTag("server.address", target.ServerAddress);
        activity.SetTag("server.port", target.ServerPort);
    }
}
