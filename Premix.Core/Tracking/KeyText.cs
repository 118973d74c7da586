using System.Globalization;
using Premix.Execution;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>Formats an entity's key for messages, masking sensitive key columns.</summary>
internal static class KeyText
{
    public static string Describe(EntityPlan plan, object entity) =>
        string.Join(", ", plan.KeyParameters.Select(k => k.IsSensitive ? SensitiveData.Mask : Format(k.ReadRaw(entity))));

    public static string DescribeKeyValue(EntityPlan plan, object key) =>
        plan.KeyParameters.Count == 1 && plan.KeyParameters[0].IsSensitive ? SensitiveData.Mask : Format(key);

    /// <summary>The error for a write of <paramref name="entity"/> that matched no row, saying for a subclass of a hierarchy that the row may be of another class.</summary>
    public static ConcurrencyException NoRowMatched(string operation, EntityPlan plan, object entity) =>
        plan.TypeFilterSql is null
            ? new ConcurrencyException(operation, plan.Entity.ClrType, Describe(plan, entity))
            : new ConcurrencyException(operation, plan.Entity.ClrType, Describe(plan, entity), plan.Inheritance!.Root);

    private static string Format(object? value) =>
        value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "NULL";
}
