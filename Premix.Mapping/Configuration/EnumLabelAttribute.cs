namespace Premix.Mapping;

/// <summary>
/// The label a member of an enum stored with <c>StoredAsEnumType</c> has in the database, in place of its name in snake_case:
/// for labels no C# name gives, such as <c>PG-13</c> (<c>[EnumLabel("PG-13")] Pg13</c>), or to keep a label when a member is renamed.
/// </summary>
/// <param name="label">The label exactly as the database holds it.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class EnumLabelAttribute(string label) : Attribute
{
    /// <summary>The label exactly as the database holds it.</summary>
    public string Label { get; } = label;
}
