namespace Premix.Mapping;

/// <summary>Completes an index declared with <c>HasIndex</c>.</summary>
public sealed class IndexBuilder
{
    private readonly IndexDraft _index;

    internal IndexBuilder(IndexDraft index) => _index = index;

    /// <summary>Makes the index unique: the database rejects a second row with the same values.</summary>
    public IndexBuilder IsUnique(bool unique = true)
    {
        _index.IsUnique = unique;
        return this;
    }

    /// <summary>Names the index instead of the conventional <c>ix_{table}_{columns}</c>.</summary>
    public IndexBuilder HasName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _index.Name = name;
        return this;
    }
}
