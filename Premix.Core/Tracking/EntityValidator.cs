using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>Checks entities against their mapping (required, maximum length, UTC instants, <c>Validate</c> rules) before any SQL is sent.</summary>
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

    private static void Check(EntityPlan plan, object entity, ref List<ValidationFailure>? failures)
    {
        var model = plan.Entity;
        foreach (var binding in plan.Validated)
        {
            var property = binding.Property;
            var value = binding.ReadRaw(entity);
            if (value is null && property.IsRequired && !property.IsGenerated)
            {
                (failures ??= []).Add(new ValidationFailure(model.Name, property.Name, "is required but is null."));
            }
            else if (property.MaxLength is { } max && Length(value) is { } length && length > max)
            {
                var unit = value is string ? "characters" : "bytes";
                (failures ??= []).Add(new ValidationFailure(model.Name, property.Name, $"is {length} {unit} long; the maximum is {max} (HasMaxLength)."));
            }
            else if (binding.DateTimeRule?.WrongKind(value) is { } wrongKind)
            {
                (failures ??= []).Add(new ValidationFailure(model.Name, property.Name, wrongKind));
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

    private static int? Length(object? value) => value switch
    {
        string s => s.Length,
        byte[] b => b.Length,
        _ => null,
    };
}
