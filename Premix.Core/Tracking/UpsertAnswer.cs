using System.Globalization;
using Premix.Execution;

namespace Premix.Tracking;

/// <summary>
/// Reads and applies the row an upsert statement answers with (see <see cref="Providers.UpsertShape"/>): the key of the row
/// written (generated, or found by a unique index) and the new version are written back through the undo log, whether the row was inserted is kept for the outcome, and
/// no row from an upsert means its version was stale.
/// </summary>
internal static class UpsertAnswer
{
    /// <summary>The answer of a row a many-row statement answered but did not write.</summary>
    private static readonly object?[] NotWritten = [];

    /// <summary>
    /// Reads the answer's three columns from the current row, NULLs as <see langword="null"/>; an answer with a fourth column
    /// that is 0 (a many-row statement's row it did not write, see <see cref="Providers.IRowListInsertDialect.UpsertRows"/>)
    /// as no answer (<see cref="NotWritten"/>).
    /// </summary>
    public static readonly Func<System.Data.Common.DbDataReader, object> Read = static reader =>
    {
        if (reader.FieldCount > 3 && Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture) == 0)
        {
            return NotWritten;
        }

        var values = new object?[3];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return values;
    };

    /// <exception cref="ConcurrencyException">An upsert wrote nothing: the existing row's version differs from the entity's.</exception>
    public static void Apply(EntityEntry entry, Command command, object?[]? row, UndoLog undo)
    {
        var (entity, plan, request) = (entry.Entity, entry.Plan, entry.Upsert!);
        if (row is null or [])
        {
            if (!request.IgnoreConflicts)
            {
                throw KeyText.NoRowMatched(command.Operation, plan, entity);
            }

            (request.Written, request.Inserted) = (false, false);
            return;
        }

        // By the key, the row is the entity's own; by a unique index, it may be an existing row with another key.
        if (!Plans.UpsertStatements.IsKey(request.Target) && row[0] is { } key)
        {
            WrittenValues.SetKey(plan, entity, key, undo);
        }

        bool? inserted = row[1] is null ? null : Convert.ToBoolean(row[1], CultureInfo.InvariantCulture);
        if (plan.SetVersion is not null && row[2] is { } stored)
        {
            var given = plan.VersionBinding!.ReadRaw(entity)!;
            var after = Convert.ChangeType(stored, given.GetType(), CultureInfo.InvariantCulture);
            inserted ??= Equals(after, given); // an update always increments the version
            if (!Equals(after, given))
            {
                undo.Set(plan.SetVersion, entity, given, after);
            }
        }

        (request.Written, request.Inserted) = (true, inserted);
    }
}
