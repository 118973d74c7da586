namespace Premix.Testing;

/// <summary>One call of <c>CommitAsync</c> that had something to write: its writes in the order a database would get them, and its error if it failed.</summary>
/// <param name="Writes">The writes, parents inserted first and children deleted first.</param>
/// <param name="Error">Why it failed (scripted, a stale version, a unique key, a validation rule), or null when it succeeded.</param>
public sealed record RecordedCommit(IReadOnlyList<RecordedWrite> Writes, Exception? Error)
{
    /// <summary>Whether the commit landed.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The entities of <typeparamref name="T"/> written with <paramref name="kind"/>, as copies taken at the commit.</summary>
    public IReadOnlyList<T> Of<T>(RecordedWriteKind kind)
        where T : class => Writes.Where(w => w.Kind == kind && w.Entity is T).Select(w => (T)w.Entity).ToList();

    /// <inheritdoc />
    public override string ToString() => (Succeeded ? "Commit: " : $"Failed commit ({Error!.GetType().Name}): ") + string.Join("; ", Writes);
}
