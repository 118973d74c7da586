using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>Completes a relation by naming the foreign key on the dependent entity (the child of HasMany and HasOne, the declaring entity of BelongsTo).</summary>
/// <typeparam name="TDependent">The entity that holds the foreign key.</typeparam>
public sealed class ForeignKeyBuilder<TDependent>
    where TDependent : class
{
    private readonly RelationDraft _relation;

    internal ForeignKeyBuilder(RelationDraft relation) => _relation = relation;

    /// <summary>Names the property of <typeparamref name="TDependent"/> that holds the parent's key.</summary>
    public RelationBuilder WithForeignKey<TKey>(Expression<Func<TDependent, TKey>> foreignKey)
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        _relation.ForeignKey = MemberExpressions.Property(foreignKey)
            ?? throw new ArgumentException($"WithForeignKey({foreignKey}) must name a property of {typeof(TDependent).Name}.", nameof(foreignKey));
        _relation.ForeignKeySource = MemberExpressions.Source(foreignKey, _relation.ForeignKey);
        return new RelationBuilder(_relation);
    }
}
