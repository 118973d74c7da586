namespace Premix.Tracking;

/// <summary>An entity given to Upsert or InsertOrIgnore: its conflict target, its mode, and what the commit's statement answered.</summary>
internal sealed class UpsertRequest(int target, bool ignoreConflicts)
{
    /// <summary>The conflict target's place in the plan's <see cref="Plans.UpsertStatements"/> (0: the key).</summary>
    public int Target { get; } = target;

    public bool IgnoreConflicts { get; } = ignoreConflicts;

    public UpsertOutcome Outcome { get; } = new();

    /// <summary>Whether the statement wrote the row (false: an ignored conflict), set by the commit's writer.</summary>
    public bool Written { get; set; }

    /// <summary>Whether the statement inserted the row, where the engine tells; set by the commit's writer, published after the commit.</summary>
    public bool? Inserted { get; set; }
}
