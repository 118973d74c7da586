using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// The identity map of one unit of work: at most one entry per <see cref="EntityKey"/> (identity type and key value).
/// </summary>
/// <remarks>
/// Keyed by the key's value alone, in a <c>Dictionary&lt;object, EntityEntry&gt;</c>: that is code every reference type
/// shares, which CoreLib's ReadyToRun image holds, where a dictionary keyed by a Premix struct is compiled by the JIT at
/// every start (ReadyToRun cannot put CoreLib's generic code into Premix's image; docs/performance.md). Entries of
/// different types with equal key values (customer 1, order 1) hang from one another through
/// <see cref="EntityEntry.SameKeyValue"/>, told apart by their plan's identity type, which is the key's type: an entry
/// is keyed by <c>entry.Plan.KeyOf(entry.Entity)</c>, and every plan of a hierarchy has the hierarchy's root as identity type.
/// </remarks>
internal sealed class IdentityMap
{
    private readonly Dictionary<object, EntityEntry> _byValue = [];

    public EntityEntry? Find(EntityKey key) => Find(key, out _);

    /// <summary>
    /// The entry with <paramref name="key"/>, or null; <paramref name="sameValue"/> is the first entry whose key has the
    /// same value (null when none has), which <see cref="Add"/> takes so that adding after a miss looks nothing up again.
    /// </summary>
    public EntityEntry? Find(EntityKey key, out EntityEntry? sameValue)
    {
        if (!_byValue.TryGetValue(key.Value, out sameValue))
        {
            return null;
        }

        var entry = sameValue;
        while (entry is not null && entry.Plan.IdentityType != key.Type)
        {
            entry = entry.SameKeyValue;
        }

        return entry;
    }

    public bool ContainsKey(EntityKey key) => Find(key, out _) is not null;

    /// <summary>Adds <paramref name="entry"/>, whose key <see cref="Find(EntityKey, out EntityEntry?)"/> just did not find, giving <paramref name="sameValue"/> as it found it.</summary>
    public void Add(EntityKey key, EntityEntry entry, EntityEntry? sameValue)
    {
        if (sameValue is null)
        {
            entry.SameKeyValue = null; // never enters the map with a stale link
            _byValue.Add(key.Value, entry);
            return;
        }

        entry.SameKeyValue = sameValue.SameKeyValue; // after the first: the dictionary is not written again
        sameValue.SameKeyValue = entry;
    }

    /// <summary>Adds <paramref name="entry"/> under <paramref name="key"/> unless an entry has that key already.</summary>
    public bool TryAdd(EntityKey key, EntityEntry entry)
    {
        if (Find(key, out var sameValue) is not null)
        {
            return false;
        }

        Add(key, entry, sameValue);
        return true;
    }

    /// <summary>Adds <paramref name="entry"/> under <paramref name="key"/>, in place of the entry that had that key.</summary>
    public void Set(EntityKey key, EntityEntry entry)
    {
        Remove(key);
        TryAdd(key, entry);
    }

    public void Remove(EntityKey key)
    {
        if (!_byValue.TryGetValue(key.Value, out var first))
        {
            return;
        }

        if (first.Plan.IdentityType == key.Type)
        {
            if (first.SameKeyValue is { } next)
            {
                _byValue[key.Value] = next;
            }
            else
            {
                _byValue.Remove(key.Value);
            }

            first.SameKeyValue = null;
            return;
        }

        for (var previous = first; previous.SameKeyValue is { } other; previous = other)
        {
            if (other.Plan.IdentityType == key.Type)
            {
                previous.SameKeyValue = other.SameKeyValue;
                other.SameKeyValue = null;
                return;
            }
        }
    }

    /// <summary>Makes room for <paramref name="more"/> entries: when many inserts join at once, grown once, not entry by entry.</summary>
    public void Grow(int more) => _byValue.EnsureCapacity(_byValue.Count + more);

    public void Clear() => _byValue.Clear(); // the entries are dropped with their links
}
