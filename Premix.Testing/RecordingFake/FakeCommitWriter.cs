using Premix.Plans;
using Premix.Providers;
using Premix.Tracking;

namespace Premix.Testing;

/// <summary>
/// Applies a commit's ordered writes to a transaction's copy of the fake's tables, as the database would run their
/// statements: foreign keys taken from parents inserted before, generated keys assigned, versions checked and bumped,
/// soft-delete markers set; and refused as the database would refuse them: an update or delete that matches no row (gone,
/// or a stale version) throws <see cref="ConcurrencyException"/>, a duplicate key or a declared unique constraint throws
/// <see cref="UniqueConstraintException"/>. Changes to the objects go through the undo log, so a failure restores them.
/// </summary>
internal sealed class FakeCommitWriter(FakeStore store, CommitPlanner planner, UndoLog undo, IReadOnlyList<FakeUniqueConstraint> uniques, FakeOptions options)
{
    public void Write(List<WriteOperation> operations)
    {
        foreach (var operation in operations)
        {
            var (entity, plan) = (operation.Entry.Entity, operation.Entry.Plan);
            switch (operation.Kind)
            {
                case WriteKind.Insert:
                    planner.FixForeignKeys(operation.Entry, undo);
                    Insert(operation);
                    break;
                case WriteKind.Upsert:
                    planner.FixForeignKeys(operation.Entry, undo);
                    Upsert(operation);
                    break;
                case WriteKind.Update or WriteKind.SoftDelete:
                    if (operation.Kind == WriteKind.SoftDelete)
                    {
                        undo.Set(plan.SetSoftDeleteMarker!, entity, plan.Entity.SoftDeleteMarker!.Property.GetValue(entity), plan.DeletedMarker());
                    }

                    var stored = Matching(operation);
                    CheckUnique(operation);
                    if (plan.SetVersion is not null)
                    {
                        var version = plan.VersionBinding!.ReadRaw(entity)!;
                        undo.Set(plan.SetVersion, entity, version, WrittenValues.NextVersion(version));
                    }

                    WriteColumns(operation, stored);
                    break;
                default:
                    Matching(operation);
                    store.Remove(plan, plan.KeyOf(entity));
                    break;
            }
        }
    }

    private void Insert(WriteOperation operation)
    {
        var (entity, plan) = (operation.Entry.Entity, operation.Entry.Plan);
        if (plan.SetGeneratedKey is not null)
        {
            undo.Set(plan.SetGeneratedKey, entity, plan.GeneratedKeyOf(entity), store.NextKey(plan));
        }

        if (store.Contains(plan, plan.KeyOf(entity)))
        {
            throw Duplicate(operation, "PRIMARY KEY", plan.KeyParameters.Select(k => k.Property.Column).ToList());
        }

        CheckUnique(operation);
        store.Put(plan, entity);
    }

    // As ON CONFLICT (target) does: a row with the target's values (NULLs never conflict) is updated, or left as it is
    // for insert-or-ignore; with a version column only when its version is the entity's; otherwise the entity is inserted.
    private void Upsert(WriteOperation operation)
    {
        var (entity, plan, request) = (operation.Entry.Entity, operation.Entry.Plan, operation.Entry.Upsert!);
        var target = plan.Upserts.TargetProperties(request.Target);
        var values = target.Select(p => p.ReadRaw(entity)).ToArray();
        var existing = values.Any(v => v is null) ? null : store.Rows(plan).FirstOrDefault(row => Same(values, target.Select(p => p.ReadRaw(row)).ToArray()));
        if (existing is null)
        {
            Insert(operation);
            (request.Written, request.Inserted) = (true, true);
            return;
        }

        (request.Written, request.Inserted) = (!request.IgnoreConflicts, false);
        if (request.IgnoreConflicts)
        {
            return;
        }

        if (plan.VersionBinding is { } version && !Equals(version.ReadRaw(existing), version.ReadRaw(entity)))
        {
            throw KeyText.NoRowMatched(CommitWriter.StatementOf(operation).Name, plan, entity);
        }

        // The row found by a unique index keeps its own key, generated or not; the entity takes it (and so excludes that
        // row from the unique check below, as the database updates it rather than inserting a duplicate).
        if (!UpsertStatements.IsKey(request.Target) && plan.SetKey is not null)
        {
            undo.Set(plan.SetKey, entity, plan.GeneratedKeyOf(entity), plan.KeyParameters[0].ReadRaw(existing));
        }

        CheckUnique(operation);
        if (plan.SetVersion is not null)
        {
            var given = plan.VersionBinding!.ReadRaw(entity)!;
            undo.Set(plan.SetVersion, entity, given, WrittenValues.NextVersion(given));
        }

        WriteColumns(operation, existing, unchanged: target);
    }

    /// <summary>The stored row the statement's WHERE matches (same key, same version where there is one, same tenant where the table is shared by tenants).</summary>
    private object Matching(WriteOperation operation)
    {
        var (entity, plan) = (operation.Entry.Entity, operation.Entry.Plan);
        var stored = store.Find(plan, plan.KeyOf(entity));
        if (stored is null || (plan.VersionBinding is { } version && !Equals(version.ReadRaw(stored), version.ReadRaw(entity)))
            || (plan.GetTenant is { } tenantOf && !Equals(tenantOf(stored), tenantOf(entity))))
        {
            throw KeyText.NoRowMatched(CommitWriter.StatementOf(operation).Name, plan, entity);
        }

        return stored;
    }

    // An update sets only the columns it changed (and the version), as its SQL does: a column another unit of work changed meanwhile keeps that change.
    // An upsert sets every column but those of its conflict target (unchanged), as ON CONFLICT's update does.
    private static void WriteColumns(WriteOperation operation, object stored, IReadOnlyList<ParameterBinding>? unchanged = null)
    {
        var (entity, plan) = (operation.Entry.Entity, operation.Entry.Plan);
        for (var i = 0; i < plan.Updatable.Count; i++)
        {
            if (operation.Writes(i) && unchanged?.Contains(plan.Updatable[i]) != true)
            {
                var property = plan.Updatable[i].Property.Property;
                property.SetValue(stored, property.GetValue(entity));
            }
        }

        if (plan.VersionBinding is { } version)
        {
            version.Property.Property.SetValue(stored, version.ReadRaw(entity));
        }
    }

    private void CheckUnique(WriteOperation operation)
    {
        var (entity, plan) = (operation.Entry.Entity, operation.Entry.Plan);
        var key = plan.KeyOf(entity);
        foreach (var unique in uniques)
        {
            if (unique.Plan == plan && unique.ValuesOf(entity) is { } values
                && store.Rows(plan).Any(row => !plan.KeyOf(row).Equals(key) && unique.ValuesOf(row) is { } other && Same(values, other)))
            {
                throw Duplicate(operation, unique.Name, unique.Columns);
            }
        }
    }

    private bool Same(object?[] values, object?[] other)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (InMemoryValues.Compare(values[i]!, other[i]!, options.TextComparer) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static UniqueConstraintException Duplicate(WriteOperation operation, string constraint, IReadOnlyList<string> columns)
    {
        var plan = operation.Entry.Plan;
        var statement = CommitWriter.StatementOf(operation);
        var violation = new ConstraintViolation(ConstraintViolationKind.Unique, constraint, plan.Entity.Table, columns, "refused by the recording fake");
        return new UniqueConstraintException(statement.Name, plan.Entity.Name, statement.Sql, violation,
            new InvalidOperationException("Premix.Testing's recording fake refused this write; no database was involved."));
    }
}
