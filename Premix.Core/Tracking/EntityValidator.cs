using Premix.Mapping;
using Premix.Plans;
using Premix.Querying;

namespace Premix.Tracking;

/// <summary>Checks entities against their mapping (required, maximum length, <c>Validate</c> rules) before any SQL is sent.</summary>
internal static class EntityValidator
{
    public static void ThrowIfInvalid(IEnumerable<WriteOperation> operations)
    {
        List<ValidationFailure>? failures = null;
        foreach (var operation in operations)
        {
            if (operation.Kind is WriteKind.Insert or WriteKind.Update)
            {
                Check(operation.Entry.Plan, operation.Entry.Entity, ref failures);
            }
        }

        if (failures is not null)
        {
            throw new ValidationException(failures);
        }
    }

    /// <summary>
    /// Checks the values a bulk update sets (<paramref name="values"/> by slot, for the slots <paramref name="bindings"/> marks
    /// <see cref="SlotKind.Assigned"/>) against their columns' mapping, as a write of an entity checks them. <c>Validate</c>
    /// rules need a whole entity, which a bulk update never has.
    /// </summary>
    public static void ThrowIfInvalid(EntityPlan plan, IReadOnlyList<SlotBinding?> bindings, IReadOnlyList<object?> values)
    {
        List<ValidationFailure>? failures = null;
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i] is { Kind: SlotKind.Assigned, Column: { } column })
            {
                Check(plan.Entity.Name, column.Property, values[i], ref failures);
            }
        }

        if (failures is not null)
        {
            throw new ValidationException(failures);
        }
    }

    private static void Check(EntityPlan plan, object entity, ref List<ValidationFailure>? failures)
    {
        var model = plan.Entity;
        foreach (var binding in plan.Validated)
        {
            Check(model.Name, binding.Property, binding.ReadRaw(entity), ref failures);
        }

        for (var i = 0; i < model.Rules.Count; i++) // no enumerator per entity
        {
            var rule = model.Rules[i];
            if (!rule.IsValid(entity))
            {
                (failures ??= []).Add(new ValidationFailure(model.Name, null, rule.Message));
            }
        }
    }

    private static void Check(string entity, PropertyModel property, object? value, ref List<ValidationFailure>? failures)
    {
        if (value is null && property.IsRequired && !property.IsGenerated)
        {
            (failures ??= []).Add(new ValidationFailure(entity, property.Name, "is required but is null."));
        }
        else if (property.MaxLength is { } max && Length(value) is { } length && length > max)
        {
            var unit = value is string ? "characters" : "bytes";
            (failures ??= []).Add(new ValidationFailure(entity, property.Name, $"is {length} {unit} long; the maximum is {max} (HasMaxLength)."));
        }
    }

    private static int? Length(object? value) => value switch
    {
        string s => s.Length,
        byte[] b => b.Length,
        _ => null,
    };
}
