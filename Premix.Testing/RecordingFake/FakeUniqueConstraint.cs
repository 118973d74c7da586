using Premix.Plans;

namespace Premix.Testing;

/// <summary>A unique constraint the test declared on the fake (<see cref="FakePremix.HasUniqueConstraint{T}"/>): NULLs never collide, as in SQL.</summary>
internal sealed record FakeUniqueConstraint(string Name, EntityPlan Plan, IReadOnlyList<ParameterBinding> Properties)
{
    public IReadOnlyList<string> Columns => Properties.Select(p => p.Property.Column).ToList();

    /// <summary>The constrained values of <paramref name="entity"/>, or null when one is NULL (a row with a NULL never violates it).</summary>
    public object?[]? ValuesOf(object entity)
    {
        var values = Properties.Select(p => p.ReadRaw(entity)).ToArray();
        return values.Any(v => v is null) ? null : values;
    }
}
