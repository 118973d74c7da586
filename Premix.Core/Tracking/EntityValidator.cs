using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// Checks entities against their mapping (required, maximum length, UTC instants, <c>Validate</c> rules) and against what
/// their columns keep (decimal digits, finite numbers, well-formed text, see <see cref="ColumnValueRule"/>) before any SQL is sent.
/// </summary>
internal static class EntityValidator
{
    /// <returns>Every rule any entity broke, each failure naming its entity by key, or by position when new; <see langword="null"/>: none.</returns>
    public static List<ValidationFailure>? Failures(List<WriteOperation> operations)
    {
        List<ValidationFailure>? failures = null;
        List<(string? Property, string Message)>? broken = null;
        Dictionary<EntityEntry, int>? positions = null;
        foreach (var operation in operations)
        {
            if (operation.Kind is not (WriteKind.Insert or WriteKind.Update or WriteKind.Upsert))
            {
                continue;
            }

            var entry = operation.Entry;
            Check(operation, ref broken);
            if (broken is not { Count: > 0 })
            {
                continue;
            }

            // Only a commit that fails pays for telling its entities apart.
            positions ??= InsertPositions(operations);
            foreach (var (property, message) in broken)
            {
                (failures ??= []).Add(FailureOf(operation, positions, property, message));
            }

            broken.Clear();
        }

        return failures;
    }

    /// <summary>
    /// Checks the values a bulk update sets against their columns' mapping, as a write of an entity checks them.
    /// <c>Validate</c> rules need a whole entity, which a bulk update never has.
    /// </summary>
    /// <exception cref="ValidationException">A value breaks its column's rule.</exception>
    public static void ThrowIfInvalid(EntityPlan plan, IEnumerable<(ParameterBinding Column, object? Value)> assignments)
    {
        List<ValidationFailure>? failures = null;
        foreach (var (column, assigned) in assignments)
        {
            var value = column.ToStored(assigned); // a converted column's rules are its stored type's
            if ((Broken(column, value) ?? (value is null ? null : column.ValueRule?.BrokenValue(value))) is { } message)
            {
                (failures ??= []).Add(new ValidationFailure(plan.Entity.Name, column.Property.Name, message));
            }
        }

        if (failures is not null)
        {
            throw new ValidationException(failures);
        }
    }

    private static void Check(WriteOperation operation, ref List<(string? Property, string Message)>? broken)
    {
        var (plan, entity) = (operation.Entry.Plan, operation.Entry.Entity);
        var model = plan.Entity;
        for (var i = 0; i < plan.Validated.Length; i++)
        {
            var binding = plan.Validated[i];
            string? message = null;
            if (binding.ChecksMapping)
            {
                var value = binding.ReadStored(entity);
                message = Broken(binding, value) ?? binding.DateTimeRule?.WrongKind(value);
            }

            // The column's own rule reads the value typed: a decimal or a double is not boxed to be checked. It judges what
            // the column will keep, so only a value the statement writes: an update leaves the others as they were loaded.
            if ((message ?? (operation.Writes(plan.ValidatedSlots[i]) ? binding.ValueRule?.Broken(entity) : null)) is { } problem)
            {
                (broken ??= []).Add((binding.Property.Name, problem));
            }
        }

        for (var i = 0; i < model.Rules.Count; i++) // no enumerator per entity
        {
            var rule = model.Rules[i];
            if (!rule.IsValid(entity))
            {
                (broken ??= []).Add((null, rule.Message));
            }
        }
    }

    /// <summary>
    /// A failure of the entity <paramref name="operation"/> writes, named as every failure above is: by key, or by its
    /// position among the commit's new entities (<paramref name="positions"/>, from <see cref="InsertPositions"/>).
    /// </summary>
    public static ValidationFailure FailureOf(WriteOperation operation, Dictionary<EntityEntry, int> positions, string? property, string message)
    {
        var entry = operation.Entry;
        int? position = positions.TryGetValue(entry, out var p) ? p : null;
        var key = operation.Kind == WriteKind.Insert && entry.Plan.IsNew(entry.Entity) ? null : KeyText.Describe(entry.Plan, entry.Entity);
        return new ValidationFailure(entry.Plan.Entity.Name, property, message) { Key = key, Position = position };
    }

    /// <summary>Each new entity's place (1 for the first) among the new entities of its type, in the order the commit inserts them.</summary>
    public static Dictionary<EntityEntry, int> InsertPositions(List<WriteOperation> operations)
    {
        var positions = new Dictionary<EntityEntry, int>();
        var perType = new Dictionary<EntityPlan, int>();
        foreach (var operation in operations)
        {
            if (operation.Kind == WriteKind.Insert)
            {
                var position = perType.GetValueOrDefault(operation.Entry.Plan) + 1;
                perType[operation.Entry.Plan] = position;
                positions[operation.Entry] = position;
            }
        }

        return positions;
    }

    // The rule of its column that a value breaks, as the failure's message; null when it breaks none. (A DateTime of the
    // wrong kind is checked apart: in a bulk update's values it is an argument error, see SlotBinding.)
    private static string? Broken(ParameterBinding column, object? value)
    {
        var property = column.Property;
        if (value is null && property.IsRequired && !property.IsGenerated)
        {
            return "is required but is null.";
        }

        if (property.MaxLength is { } max && Length(value) is { } length && length > max)
        {
            return $"is {length} {(value is string ? "characters" : "bytes")} long; the maximum is {max} (HasMaxLength).";
        }

        return null;
    }

    private static int? Length(object? value) => value switch
    {
        string s => s.Length,
        byte[] b => b.Length,
        _ => null,
    };
}
