using Premix.Mapping;
using Premix.Plans;

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
    /// Checks the values a bulk update sets against their columns' mapping, as a write of an entity checks them.
    /// <c>Validate</c> rules need a whole entity, which a bulk update never has.
    /// </summary>
    public static void ThrowIfInvalid(EntityPlan plan, IEnumerable<(ParameterBinding Column, object? Value)> assignments)
    {
        List<ValidationFailure>? failures = null;
        foreach (var (column, value) in assignments)
        {
            if (Broken(column, value) is { } message)
            {
                (failures ??= []).Add(new ValidationFailure(plan.Entity.Name, column.Property.Name, message));
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
            if (Broken(binding, binding.ReadRaw(entity)) is { } message)
            {
                (failures ??= []).Add(new ValidationFailure(model.Name, binding.Property.Name, message));
            }
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

    // The rule of its column that a value breaks, as the failure's message; null when it breaks none.
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
