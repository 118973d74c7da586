namespace Premix.Mapping;

/// <summary>A declared index over one or more columns of an entity's table.</summary>
public sealed class IndexModel
{
    internal IndexModel(string name, IReadOnlyList<PropertyModel> properties, bool isUnique)
    {
        Name = name;
        Properties = properties;
        IsUnique = isUnique;
    }

    /// <summary>The index name: declared, or <c>ix_{table}_{columns}</c> (<c>ux_</c> when unique).</summary>
    public string Name { get; }

    /// <summary>The indexed properties, in index order.</summary>
    public IReadOnlyList<PropertyModel> Properties { get; }

    /// <summary>Whether the index rejects duplicate values.</summary>
    public bool IsUnique { get; }
}
