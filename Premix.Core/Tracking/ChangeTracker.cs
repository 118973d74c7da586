using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// The identity map and change tracker of one unit of work: one instance per key, a snapshot per loaded entity, and the
/// state of every entity the unit of work will write.
/// </summary>
internal sealed class ChangeTracker
{
    private readonly IdentityMap _byKey = new();
    private readonly Dictionary<object, EntityEntry> _byInstance = new(ReferenceEqualityComparer.Instance);

    public IEnumerable<EntityEntry> Entries => _byInstance.Values;

    public int Count => _byInstance.Count;

    public EntityEntry? Find(object entity) => _byInstance.GetValueOrDefault(entity);

    public EntityEntry? Find(EntityKey key) => _byKey.Find(key);

    /// <summary>Returns the tracked instance with the loaded row's key, or starts tracking the loaded instance.</summary>
    /// <remarks>An entity of a table-per-hierarchy mapping is tracked with the plan of its own class, whatever plan read it.</remarks>
    public T Track<T>(T loaded, EntityPlan plan)
        where T : class
    {
        var key = plan.KeyOf(loaded);
        if (_byKey.Find(key, out var sameValue) is { } existing)
        {
            return (T)existing.Entity;
        }

        plan = plan.For(loaded);

        var entry = new EntityEntry(loaded, plan, EntityState.Unchanged, plan.Copy(loaded));
        _byKey.Add(key, entry, sameValue);
        _byInstance.Add(loaded, entry);
        return loaded;
    }

    public void Add(object entity, EntityPlan plan)
    {
        if (_byInstance.TryGetValue(entity, out var entry))
        {
            if (entry.State == EntityState.Deleted)
            {
                entry.State = entry.Snapshot is null ? EntityState.Modified : EntityState.Unchanged; // Add after Remove undoes the Remove
            }

            return;
        }

        plan = plan.For(entity);
        plan.Inheritance?.MarkForInsert(entity);
        _byInstance.Add(entity, new EntityEntry(entity, plan, EntityState.Added, null));
    }

    /// <summary>Marks an entity this unit of work does not know for an upsert or insert-or-ignore on commit, once <see cref="CheckUpsert"/> accepted it.</summary>
    /// <remarks>
    /// It joins the identity map after the commit with the key of the row it wrote (read back when the conflict target is a
    /// unique index, whose row may have another key than the one given); an ignored one is not tracked.
    /// </remarks>
    public void Upsert(object entity, EntityPlan plan, UpsertRequest request) =>
        _byInstance.Add(entity, new EntityEntry(entity, plan.For(entity), EntityState.Added, null) { Upsert = request });

    /// <summary>Throws if <paramref name="entity"/> cannot be marked for an upsert on <paramref name="target"/>; marks nothing.</summary>
    /// <exception cref="InvalidOperationException">The entity, or another instance with its key when the target is the key, is already tracked.</exception>
    public void CheckUpsert(object entity, EntityPlan plan, int target)
    {
        if (_byInstance.ContainsKey(entity))
        {
            throw new InvalidOperationException(
                $"This {plan.Entity.Name} is already tracked by this unit of work (loaded, added or updated here); Upsert and InsertOrIgnore are for entities it does not know. Change the tracked instance instead.");
        }

        plan = plan.For(entity);
        if (Plans.UpsertStatements.IsKey(target) && _byKey.ContainsKey(plan.KeyOf(entity)))
        {
            throw new InvalidOperationException(
                $"Another {plan.Entity.Name} instance with the same key is already tracked by this unit of work. Change the loaded instance instead of upserting a new one with the same key.");
        }
    }

    /// <summary>Marks an entity that was not loaded here for a full update; tracked entities need no call, their changes are detected.</summary>
    public void Update(object entity, EntityPlan plan)
    {
        if (_byInstance.TryGetValue(entity, out var entry))
        {
            if (entry.State == EntityState.Deleted)
            {
                throw new InvalidOperationException($"This {plan.Entity.Name} was removed in this unit of work; it cannot be updated.");
            }

            return;
        }

        Attach(entity, plan, EntityState.Modified);
    }

    public void Remove(object entity, EntityPlan plan, bool hard)
    {
        if (!_byInstance.TryGetValue(entity, out var entry))
        {
            Attach(entity, plan, EntityState.Deleted);
            _byInstance[entity].HardDelete = hard;
        }
        else if (entry.State == EntityState.Added)
        {
            _byInstance.Remove(entity); // never written: nothing to delete
        }
        else
        {
            entry.State = EntityState.Deleted;
            entry.HardDelete = hard;
        }
    }

    /// <summary>
    /// After a successful commit: what was written becomes the new snapshot. Takes out of <paramref name="written"/> the
    /// insert-or-ignores that met an existing row and wrote nothing, so no AfterInsert hook runs and no insert is counted for them.
    /// </summary>
    public void AcceptChanges(List<WriteOperation> written)
    {
        GrowForInserts(written);
        HashSet<EntityEntry>? ignored = null;
        foreach (var operation in written)
        {
            var entry = operation.Entry;
            if (entry.State == EntityState.Deleted)
            {
                _byInstance.Remove(entry.Entity);
                _byKey.Remove(entry.Plan.KeyOf(entry.Entity));
                continue;
            }

            if (entry.Upsert is { } upsert)
            {
                upsert.Outcome.Publish(upsert.Inserted);
                entry.Upsert = null;
                if (!upsert.Written)
                {
                    (ignored ??= new(ReferenceEqualityComparer.Instance)).Add(entry);
                }

                if (!upsert.Written || !_byKey.TryAdd(entry.Plan.KeyOf(entry.Entity), entry))
                {
                    _byInstance.Remove(entry.Entity); // its row is not known to be its own, or another instance already stands for it
                    continue;
                }
            }
            else if (entry.State == EntityState.Added)
            {
                _byKey.Set(entry.Plan.KeyOf(entry.Entity), entry);
            }

            entry.State = EntityState.Unchanged;
            entry.Snapshot = entry.Plan.Copy(entry.Entity);
        }

        if (ignored is not null)
        {
            written.RemoveAll(o => ignored.Contains(o.Entry));
        }
    }

    /// <summary>Stops tracking an entity (its row is gone).</summary>
    // The identity map takes every inserted entity: grown once for all of them, not entry by entry.
    private void GrowForInserts(List<WriteOperation> written)
    {
        var inserted = 0;
        foreach (var operation in written)
        {
            inserted += operation.Kind == WriteKind.Insert ? 1 : 0;
        }

        if (inserted > 1)
        {
            _byKey.Grow(inserted);
        }
    }

    public void Detach(EntityEntry entry)
    {
        _byInstance.Remove(entry.Entity);
        _byKey.Remove(entry.Plan.KeyOf(entry.Entity));
    }

    public void Clear()
    {
        _byKey.Clear();
        _byInstance.Clear();
    }

    private void Attach(object entity, EntityPlan plan, EntityState state)
    {
        plan = plan.For(entity);
        var key = plan.KeyOf(entity);
        if (_byKey.Find(key, out var sameValue) is not null)
        {
            throw new InvalidOperationException(
                $"Another {plan.Entity.Name} instance with the same key is already tracked by this unit of work. Change the loaded instance instead of a new one with the same key.");
        }

        var entry = new EntityEntry(entity, plan, state, null);
        _byKey.Add(key, entry, sameValue);
        _byInstance.Add(entity, entry);
    }
}
