using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// One value object (<c>Owns</c>) of a generated entity as it was generated: its path, class and shape, which the generated
/// row reader and snapshot copy hard-code (how it is made, which members are set after its constructor, whether it may be
/// null). The start compares it with the mapping's, so a value object changed since generation fails it, naming the value object.
/// </summary>
internal sealed class GeneratedValueObject(string name, Type type, string shape)
{
    /// <summary>Its path from the entity (<c>Total</c>, <c>Home.Geo</c>): <see cref="OwnedModel.Name"/>.</summary>
    public string Name { get; } = name;

    /// <summary>Its class or record.</summary>
    public Type Type { get; } = type;

    /// <summary>What <see cref="ShapeOf"/> said at generation.</summary>
    public string Shape { get; } = shape;

    /// <summary>
    /// The value objects of <paramref name="entity"/>, outer ones before those they hold, each once: what the generated code
    /// builds, copies and describes.
    /// </summary>
    public static List<OwnedModel> Of(EntityModel entity) =>
        [.. entity.Properties.SelectMany(p => p.Owner?.Path ?? []).Distinct().OrderBy(o => o.Path.Count)];

    /// <summary>
    /// The facts generated code hard-codes about <paramref name="owner"/>: whether it may be null, the constructor it is made
    /// with, the members set after it, for one made anew for the snapshot the members without a public setter its copy sets,
    /// and whether its property has a setter (a nested one without is copied through its holder's constructor).
    /// </summary>
    public static string ShapeOf(OwnedModel owner, EntityModel entity)
    {
        var parameters = owner.Constructor.GetParameters();
        var members = entity.Properties.Where(p => p.Owner == owner).Select(p => p.Property.Name)
            .Concat(Of(entity).Where(o => o.Parent == owner).Select(o => o.Navigation.Name));
        var set = members.Where(m => !parameters.Any(p => string.Equals(p.Name, m, StringComparison.OrdinalIgnoreCase))).ToList();
        var shape = $"{(owner.IsRequired ? "required" : "optional")}, made with new({string.Join(", ", parameters.Select(p => $"{p.ParameterType.Name} {p.Name}"))})";
        if (set.Count > 0)
        {
            shape += $" then sets {string.Join(", ", set)}";
        }

        // Made anew for the snapshot (it holds a value object without a setter, which a clone would share), the copy sets
        // the members without a public setter too (Snapshots.CopiedOver); a model generated before it did has a copy that
        // lost them, and its shape lacks this part, so the start names it and asks to regenerate.
        var nonPublic = Of(entity).Any(o => o.Parent == owner && o.Navigation.SetMethod is null)
            ? entity.Properties.Where(p => p.Owner == owner).Select(p => p.Property)
                .Concat(Of(entity).Where(o => o.Parent == owner).Select(o => o.Navigation))
                .Where(m => m.SetMethod is { IsPublic: false } && set.Contains(m.Name))
                .Select(m => m.Name).Distinct().ToList()
            : [];
        if (nonPublic.Count > 0)
        {
            shape += $", copied anew for the snapshot with {string.Join(", ", nonPublic)}";
        }

        return owner.Navigation.SetMethod is null ? shape + $", {owner.Navigation.Name} has no setter" : shape;
    }
}
