namespace Premix.Mapping;

/// <summary>Refines how the key declared by <see cref="EntityBuilder{T}.HasKey"/> gets its values.</summary>
public sealed class KeyBuilder
{
    private readonly EntityDraft _draft;

    internal KeyBuilder(EntityDraft draft) => _draft = draft;

    /// <summary>The database generates the key on insert (identity / auto-increment); Premix writes it back to the object.</summary>
    public KeyBuilder IsGenerated()
    {
        _draft.KeyGeneration = KeyGeneration.Generated;
        return this;
    }

    /// <summary>The application assigns the key before insert (for example a <see cref="Guid"/>).</summary>
    public KeyBuilder IsClientAssigned()
    {
        _draft.KeyGeneration = KeyGeneration.ClientAssigned;
        return this;
    }
}
