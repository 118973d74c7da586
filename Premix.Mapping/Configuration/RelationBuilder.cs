namespace Premix.Mapping;

/// <summary>Completes a relation whose foreign key is named: what deleting the principal does.</summary>
public sealed class RelationBuilder
{
    private readonly RelationDraft _relation;

    internal RelationBuilder(RelationDraft relation) => _relation = relation;

    /// <summary>Sets the foreign key's delete behaviour in the schema Premix creates (default <see cref="ReferentialAction.NoAction"/>).</summary>
    /// <remarks>
    /// When both ends declare the relation (<c>HasMany</c> on the parent, <c>BelongsTo</c> on the child), say it on either end or
    /// the same on both: two different actions for one foreign key are a startup <see cref="MappingException"/>.
    /// </remarks>
    public RelationBuilder OnDelete(ReferentialAction action)
    {
        _relation.OnDelete = action;
        return this;
    }
}
