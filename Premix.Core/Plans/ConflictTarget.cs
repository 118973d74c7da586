namespace Premix.Plans;

/// <summary>A key or unique index that an upsert's conflict is detected on.</summary>
/// <param name="Description">How a message names it: <c>the key (Id)</c>, <c>unique index ux_customers_email (Email)</c>.</param>
/// <param name="Properties">Its properties, in index order.</param>
internal sealed record ConflictTarget(string Description, IReadOnlyList<ParameterBinding> Properties);
