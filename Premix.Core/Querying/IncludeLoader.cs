using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Premix.Execution;
using Premix.Plans;
using Premix.Tracking;

namespace Premix.Querying;

/// <summary>
/// Loads the relations named by Include/ThenInclude for a whole result set: one query per relation level (keys gathered
/// and sent as one IN list, chunked only past <see cref="KeyListReader.ChunkSize"/> keys; a row-value IN list for a composite key),
/// never one per row. Both directions are stitched: the parent's collection and each child's parent navigation.
/// </summary>
internal sealed class IncludeLoader(PremixRuntime runtime, IncludeLoader.ReadBy readBy)
{
    /// <summary>
    /// Reads the rows of <paramref name="plan"/> whose <paramref name="columns"/> hold one of <paramref name="keys"/> (tracked when
    /// the query tracks): values for one column, <see cref="CompositeKey"/>s of the columns' values for several.
    /// </summary>
    /// <remarks>
    /// <paramref name="into"/>, when given, is an empty list to read the rows into: a list shared between loads
    /// (<see cref="ChildRows"/>) or the list the next level (ThenInclude) loads from. A reader returns it filled, or a list
    /// of its own and leaves <paramref name="into"/> empty (the recording fake does); the loader owns the list returned
    /// either way.
    /// </remarks>
    public delegate ValueTask<List<object>> ReadBy(EntityPlan plan, IReadOnlyList<ParameterBinding> columns, IReadOnlyList<object> keys, List<object>? into, CancellationToken cancellationToken);

    /// <summary>
    /// A new loader of <paramref name="unitOfWork"/>'s tracked or untracked queries, one IN-list query per relation level:
    /// the unit of work keeps one of each (<see cref="UnitOfWork.Includes"/>), so nothing is made per call.
    /// </summary>
    internal static IncludeLoader Of(UnitOfWork unitOfWork, bool tracking) => tracking
        ? new(unitOfWork.Runtime, (plan, columns, keys, into, cancellationToken) => ReadTrackedAsync(unitOfWork, plan, columns, keys, into, cancellationToken))
        : new(unitOfWork.Runtime, (plan, columns, keys, into, cancellationToken) => ReadAsync(unitOfWork, plan, columns, keys, into, cancellationToken));

    /// <summary>
    /// The rows of an include's level, untracked: the key-list read itself, not wrapped in a method of its own, so a load
    /// that waits on the network suspends one state machine fewer.
    /// </summary>
    private static ValueTask<List<object>> ReadAsync(UnitOfWork unitOfWork, EntityPlan plan, IReadOnlyList<ParameterBinding> columns, IReadOnlyList<object> keys, List<object>? into, CancellationToken cancellationToken) =>
        columns.Count == 1
            ? KeyListReader.ReadAsync("Include", unitOfWork, plan, columns[0], keys, cancellationToken, into)
            : new(KeyListReader.ReadByRowsAsync("Include", unitOfWork, plan, columns, keys, cancellationToken, into));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<List<object>> ReadTrackedAsync(UnitOfWork unitOfWork, EntityPlan plan, IReadOnlyList<ParameterBinding> columns, IReadOnlyList<object> keys, List<object>? into, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(unitOfWork, plan, columns, keys, into, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = unitOfWork.Tracker.Track(rows[i], plan); // in place: no second list
        }

        return rows;
    }

    /// <summary>Loads the relations <paramref name="paths"/> name (Include, then ThenInclude) of <paramref name="parents"/>, rows of <paramref name="plan"/>.</summary>
    public ValueTask LoadAsync(EntityPlan plan, IReadOnlyList<object> parents, IReadOnlyList<IReadOnlyList<PropertyInfo>> paths, CancellationToken cancellationToken) =>
        paths is [[var navigation]] && OnlyRelation(runtime, plan, navigation) is { } relation
            ? LoadRelationAsync(relation, parents, below: null, cancellationToken) // the usual Include(c => c.Orders): no grouping, no async layer of its own
            : new(LoadPathsAsync(plan, parents, paths, cancellationToken));

    private async Task LoadPathsAsync(EntityPlan plan, IReadOnlyList<object> parents, IEnumerable<IReadOnlyList<PropertyInfo>> paths, CancellationToken cancellationToken)
    {
        foreach (var group in paths.Where(p => p.Count > 0).GroupBy(p => p[0]))
        {
            var relations = Relations(runtime, plan, group);
            RefuseUnknownTypeNames(plan, relations, parents);
            foreach (var relation in relations)
            {
                var below = HasDeeperLevel(group) ? new List<object>() : null;
                await LoadRelationAsync(relation, parents, below, cancellationToken).ConfigureAwait(false);
                if (below is not null)
                {
                    await LoadPathsAsync(Target(relation), below, Rest(group), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// The statements <see cref="LoadAsync"/> sends, in the order it sends them (one per relation, depth first), for
    /// <c>ToSql()</c>: each is sent only when the level above it read rows, and on an engine that expands a list into one
    /// parameter per value, once per <see cref="KeyListReader.ChunkSize"/> keys.
    /// </summary>
    public static IEnumerable<string> Statements(PremixRuntime runtime, EntityPlan plan, IEnumerable<IReadOnlyList<PropertyInfo>> paths)
    {
        foreach (var group in paths.Where(p => p.Count > 0).GroupBy(p => p[0]))
        {
            foreach (var relation in Relations(runtime, plan, group))
            {
                var columns = KeyColumns(relation);
                yield return columns.Count == 1
                    ? KeyListReader.StatementFor(runtime, Target(relation), columns[0]).Sql
                    : KeyListReader.RowValueSql(runtime.Provider.Dialect, Target(relation), columns, 1, Target(relation).Filters.IsEmpty ? null : Target(relation).Filters.Condition(Target(relation), runtime.Provider.Dialect, QueryFilterSet.ListingTenant).Sql);
                foreach (var statement in Statements(runtime, Target(relation), Rest(group)))
                {
                    yield return statement;
                }
            }
        }
    }

    // The one relation of a navigation that is neither polymorphic nor unknown (those take the general path, which refuses
    // or loads them), found without a list: this runs on every query with an Include.
    private static RelationPlan? OnlyRelation(PremixRuntime runtime, EntityPlan plan, PropertyInfo navigation)
    {
        RelationPlan? found = null;
        foreach (var relation in runtime.Relations.DeclaredOn(plan.Entity.ClrType))
        {
            if (relation.Relation.Navigation == navigation)
            {
                if (found is not null || relation.Relation.IsPolymorphic)
                {
                    return null;
                }

                found = relation;
            }
        }

        return found;
    }

    // One relation per navigation, or for a polymorphic one (BelongsToOneOf) one per target, each loaded with its own query.
    private static List<RelationPlan> Relations(PremixRuntime runtime, EntityPlan plan, IGrouping<PropertyInfo, IReadOnlyList<PropertyInfo>> paths)
    {
        var navigation = paths.Key;
        var relations = runtime.Relations.DeclaredOn(plan.Entity.ClrType).Where(r => r.Relation.Navigation == navigation).ToList();
        if (relations.Count == 0)
        {
            throw new NotSupportedException($"Include({plan.Entity.Name}.{navigation.Name}): {navigation.Name} is not a relation in the mapping. Declare it with HasMany(...), HasOne(...) or BelongsTo(...).");
        }

        if (relations[0].Relation.IsPolymorphic && paths.Any(p => p.Count > 1))
        {
            throw new NotSupportedException(
                $"ThenInclude after Include({plan.Entity.Name}.{navigation.Name}): {navigation.Name} is polymorphic (BelongsToOneOf), so the next level would differ by target. "
                + $"Load the targets' relations with a query on each target type instead.");
        }

        return relations;
    }

    // A type+id pair whose type column names none of the targets points at nothing Premix can load: a data error, said as such
    // rather than read as "no subject".
    private static void RefuseUnknownTypeNames(EntityPlan plan, List<RelationPlan> relations, IReadOnlyList<object> parents)
    {
        if (relations[0].TypeName is null)
        {
            return;
        }

        foreach (var parent in parents)
        {
            if (relations[0].GetTypeName!(parent) is not string type || NamesTarget(relations, type))
            {
                continue;
            }

            var column = relations[0].Relation.Constraint.TypeProperty!;
            var navigation = relations[0].Relation.Navigation!.Name;
            throw new InvalidOperationException(
                $"{plan.Entity.Name} {KeyText.Describe(plan, parent)} has {column.Name} (column {column.Column}) = {(column.IsSensitive ? SensitiveData.Mask : $"'{type}'")}, "
                + $"which names none of the targets of {plan.Entity.Name}.{navigation} ({string.Join(", ", relations.Select(r => $"'{r.TypeName}' for {r.Principal.Entity.Name}"))}; compared exactly, case included). "
                + $"Correct the row, or map that type as a target with .As<TTarget>(\"name\") in BelongsToOneOf({navigation}).ByTypeAndId(...).");
        }
    }

    private static bool NamesTarget(List<RelationPlan> relations, string type)
    {
        foreach (var relation in relations)
        {
            if (string.Equals(relation.TypeName, type, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // The entity a relation loads, and the column its rows are read by: the children's foreign key, or the parent's key.
    private static EntityPlan Target(RelationPlan relation) => relation.IsDeclaredOnPrincipal ? relation.Dependent : relation.Principal;

    private static IReadOnlyList<ParameterBinding> KeyColumns(RelationPlan relation) =>
        relation.IsDeclaredOnPrincipal ? relation.ForeignKeyColumns : relation.Principal.KeyParameters;

    private static bool HasDeeperLevel(IEnumerable<IReadOnlyList<PropertyInfo>> group)
    {
        foreach (var path in group)
        {
            if (path.Count > 1)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IReadOnlyList<PropertyInfo>> Rest(IEnumerable<IReadOnlyList<PropertyInfo>> group) => group.Select(p => (IReadOnlyList<PropertyInfo>)p.Skip(1).ToList());

    // The rows loaded are added to below, for the level below; without one, they are read into a list shared between loads
    // (ChildRows) and given back once stitched.
    // Each direction is its own async method, so the state machine boxed when a read awaits holds only that direction's
    // locals; pooled, as the executor's are, so a level that waits on the network allocates no box of its own.
    private ValueTask LoadRelationAsync(RelationPlan relation, IReadOnlyList<object> parents, List<object>? below, CancellationToken cancellationToken) =>
        relation.IsDeclaredOnPrincipal ? LoadChildrenAsync(relation, parents, below, cancellationToken) : LoadParentsAsync(relation, parents, below, cancellationToken);

    // HasMany, HasOne: the children of the parents.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask LoadChildrenAsync(RelationPlan relation, IReadOnlyList<object> parents, List<object>? below, CancellationToken cancellationToken)
    {
        // Each distinct parent key gets a number, each child its parent's number (Stitch); the keys go to the children's
        // query as they were numbered (typed, where ParentSlots reads them typed). The children's list is
        // only read there, so unless the level below needs it, it is one shared between loads (ChildRows) rather than a
        // new list grown row by row.
        var slots = relation.ParentSlots(parents.Count);
        var slotOfParent = ArrayPool<int>.Shared.Rent(parents.Count);
        for (var i = 0; i < parents.Count; i++)
        {
            slotOfParent[i] = slots.Add(parents[i]);
        }

        var children = await readBy(relation.Dependent, KeyColumns(relation), slots.Keys, below ?? ChildRows.Rent(), cancellationToken).ConfigureAwait(false);
        Stitch(relation, relation.Inverse, parents, slotOfParent, slots, slots.Keys.Count, children);
        ArrayPool<int>.Shared.Return(slotOfParent);
        slots.Release(); // the statement is done with the keys, and the children know their parents
        Keep(children, below);
    }

    // BelongsTo: the parent of each row.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask LoadParentsAsync(RelationPlan relation, IReadOnlyList<object> children, List<object>? below, CancellationToken cancellationToken)
    {
        // BelongsTo: the rows of the level above are the children. Each distinct foreign key gets a number, a null one (or one
        // naming another target) none; the keys go to the parents' query typed where the numbering reads them typed, as
        // above. When the mapping declares the inverse (not polymorphic), the numbering is the inverse's: the same key pair,
        // read the same way, so its readers are made once for both directions (a generated model writes typed readers on the
        // principal's end of a foreign key only).
        var inverseOfParent = relation.Inverse;
        var numbering = relation.TypeName is null && inverseOfParent is not null ? inverseOfParent.ParentSlots : relation.ParentSlots;
        var keys = numbering(children.Count);
        var slotOfChild = ArrayPool<int>.Shared.Rent(children.Count);
        for (var i = 0; i < children.Count; i++)
        {
            slotOfChild[i] = keys.AddForeignKey(children[i]);
        }

        var principals = await readBy(relation.Principal, KeyColumns(relation), keys.Keys, below ?? ChildRows.Rent(), cancellationToken).ConfigureAwait(false);
        var keyCount = keys.Keys.Count;
        var principalOfSlot = ArrayPool<object?>.Shared.Rent(keyCount);
        Array.Clear(principalOfSlot, 0, keyCount);
        var slotOfPrincipal = ArrayPool<int>.Shared.Rent(principals.Count);
        for (var p = 0; p < principals.Count; p++)
        {
            if ((slotOfPrincipal[p] = keys.FindKey(principals[p])) >= 0)
            {
                principalOfSlot[slotOfPrincipal[p]] = principals[p];
            }
        }

        keys.Release(); // the statement is done with the keys, and every row knows its number
        if (children.Count > 0 && relation.NavigationSetter is { } setParent) // taken only when there is a row to set: it may be compiled on first use
        {
            for (var i = 0; i < children.Count; i++)
            {
                var parent = slotOfChild[i] >= 0 ? principalOfSlot[slotOfChild[i]] : null;
                if (parent is not null || !relation.Relation.IsPolymorphic)
                {
                    setParent(children[i], parent); // a polymorphic navigation without this key holds another target's row
                }
            }
        }

        if (inverseOfParent is not null)
        {
            // Each parent's collection (or one-to-one child) from the rows that point at it; one no row points at gets an empty one.
            var (sorted, ends) = SortBySlot(children, slotOfChild, keyCount);
            for (var p = 0; p < principals.Count; p++)
            {
                SetChildren(inverseOfParent, principals[p], Segment(sorted, ends, slotOfPrincipal[p]));
            }

            ReturnSorted(sorted, ends);
        }

        ArrayPool<object?>.Shared.Return(principalOfSlot, clearArray: true);
        ArrayPool<int>.Shared.Return(slotOfPrincipal);
        ArrayPool<int>.Shared.Return(slotOfChild);
        Keep(principals, below);
    }

    // The rows a level read, once stitched: added to below for the level under it (unless they were read into it), or,
    // without one, their list given back to the lists shared between loads (ChildRows) for a next load to reuse. A reader may
    // hand back a list of its own rather than the one it was given (ReadBy).
    private static void Keep(List<object> rows, List<object>? below)
    {
        if (below is null)
        {
            ChildRows.Return(rows);
        }
        else if (!ReferenceEquals(rows, below))
        {
            below.AddRange(rows);
        }
    }

    // Each parent's collection is filled from its children's segment of the sorted rows (SortBySlot): no list per parent,
    // no key boxed again.
    // The children are read as a span, and the inverse's setter is taken once: no interface call or null check a child.
    private static void Stitch(RelationPlan relation, RelationPlan? inverse, IReadOnlyList<object> parents, int[] slotOfParent, ParentSlots slots, int parentKeys, List<object> children)
    {
        var rows = CollectionsMarshal.AsSpan(children);
        var slotOfChild = ArrayPool<int>.Shared.Rent(rows.Length);
        for (var c = 0; c < rows.Length; c++)
        {
            slotOfChild[c] = slots.Find(rows[c]);
        }

        var (sorted, ends) = SortBySlot(children, slotOfChild, parentKeys);
        var setParent = rows.Length == 0 ? null : inverse?.NavigationSetter; // taken only when there is a child to set: it may be compiled on first use
        for (var i = 0; i < parents.Count; i++)
        {
            var parent = parents[i];
            var own = Segment(sorted, ends, slotOfParent[i]);
            SetChildren(relation, parent, own);
            if (setParent is not null)
            {
                foreach (var child in own.AsSpan())
                {
                    setParent(child, parent);
                }
            }
        }

        ReturnSorted(sorted, ends);
        ArrayPool<int>.Shared.Return(slotOfChild);
    }

    // The rows sorted by their key's number (slotOfRow; -1, no number, leaves a row out), a counting sort that keeps the
    // order read: number s's rows are sorted[ends[s - 1]..ends[s]] (from 0 for number 0; see Segment). Both arrays are
    // pooled: the collections filled from them copy their segments (GeneratedRelation.CollectionOf's contract), so
    // ReturnSorted gives them back after the fills, cleared of rows.
    private static (object[] Sorted, int[] Ends) SortBySlot(IReadOnlyList<object> rows, int[] slotOfRow, int keyCount)
    {
        var ends = ArrayPool<int>.Shared.Rent(keyCount);
        Array.Clear(ends, 0, keyCount);
        var matched = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            if (slotOfRow[r] >= 0)
            {
                ends[slotOfRow[r]]++;
                matched++;
            }
        }

        for (int slot = 0, start = 0; slot < keyCount; slot++)
        {
            (ends[slot], start) = (start, start + ends[slot]); // each number's start, which the fill below moves to its end
        }

        var sorted = ArrayPool<object>.Shared.Rent(matched);
        for (var r = 0; r < rows.Count; r++)
        {
            if (slotOfRow[r] >= 0)
            {
                sorted[ends[slotOfRow[r]]++] = rows[r];
            }
        }

        return (sorted, ends);
    }

    // The rows of number slot in SortBySlot's arrays; none for -1 (no number).
    private static ArraySegment<object> Segment(object[] sorted, int[] ends, int slot)
    {
        if (slot < 0)
        {
            return ArraySegment<object>.Empty;
        }

        var start = slot == 0 ? 0 : ends[slot - 1];
        return new ArraySegment<object>(sorted, start, ends[slot] - start);
    }

    private static void ReturnSorted(object[] sorted, int[] ends)
    {
        ArrayPool<object>.Shared.Return(sorted, clearArray: true);
        ArrayPool<int>.Shared.Return(ends);
    }

    // A collection gets every child; a one-to-one navigation its child or null, and more than one child is a data error.
    private static void SetChildren(RelationPlan relation, object parent, ArraySegment<object> children)
    {
        if (relation.IsCollection)
        {
            relation.SetCollection(parent, children);
            return;
        }

        if (children.Count > 1)
        {
            throw new InvalidOperationException(
                $"{relation.Principal.Entity.Name}.{relation.Relation.Navigation!.Name} is mapped with HasOne, but {children.Count} {relation.Dependent.Entity.Name} rows have "
                + $"{relation.Dependent.Entity.Name}.{relation.Relation.ForeignKeyName} = {KeyText.Describe(relation.Principal, parent)}. "
                + "Make the foreign key column unique, or map the relation with HasMany.");
        }

        relation.SetNavigation(parent, children.Count == 0 ? null : children[0]);
    }
}
