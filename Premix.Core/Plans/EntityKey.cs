namespace Premix.Plans;

/// <summary>An entity's identity in a unit of work: its type and its key value (or values, for a composite key).</summary>
internal readonly record struct EntityKey(Type Type, object Value);

/// <summary>The values of a composite key, compared by value.</summary>
internal sealed class CompositeKey(object?[] values) : IEquatable<CompositeKey>
{
    public IReadOnlyList<object?> Values => values;

    public bool Equals(CompositeKey? other)
    {
        if (other is null || other.Values.Count != values.Length)
        {
            return false;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!Equals(values[i], other.Values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as CompositeKey);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var value in values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", values);
}
