using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// Rounds the decimals a commit writes to a column that declares <c>Rounding(...)</c>, on the objects themselves: before
/// validation and before anything is sent, so the value checked, written, kept in the snapshot and held by the object is
/// the one stored, on every engine. Each change is recorded in the undo log, so a failed commit puts the value back.
/// </summary>
internal static class ValueRounding
{
    public static void Apply(List<WriteOperation> operations, UndoLog undo)
    {
        foreach (var operation in operations)
        {
            var plan = operation.Entry.Plan;
            if (plan.Rounded.Length == 0 || operation.Kind is not (WriteKind.Insert or WriteKind.Update or WriteKind.Upsert))
            {
                continue;
            }

            var entity = operation.Entry.Entity;
            for (var i = 0; i < plan.Rounded.Length; i++)
            {
                if (!operation.Writes(plan.RoundedSlots[i]))
                {
                    continue;
                }

                var digits = (DecimalDigits)plan.Rounded[i].ValueRule!;
                if (digits.RoundingOf(entity) is var (value, rounded))
                {
                    undo.Set(digits.Set!, entity, value, rounded);
                }
            }
        }
    }
}
