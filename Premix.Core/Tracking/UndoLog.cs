namespace Premix.Tracking;

/// <summary>The property values a commit changed on the user's objects (generated keys, foreign keys, versions), so a failed commit can put them back.</summary>
internal sealed class UndoLog
{
    private readonly List<(Action<object, object?> Set, object Entity, object? Old)> _changes = [];

    public void Set(Action<object, object?> set, object entity, object? old, object? value)
    {
        _changes.Add((set, entity, old));
        set(entity, value);
    }

    /// <summary>Makes room for <paramref name="changes"/> more changes at once (a many-row write records one per row).</summary>
    public void EnsureRoomFor(int changes) => _changes.EnsureCapacity(_changes.Count + changes);

    public void Revert()
    {
        for (var i = _changes.Count - 1; i >= 0; i--)
        {
            var (set, entity, old) = _changes[i];
            set(entity, old);
        }
    }
}
