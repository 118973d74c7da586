using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>Completes a one-to-many relation by naming the child's foreign key.</summary>
/// <typeparam name="TChild">The child entity.</typeparam>
public sealed class HasManyBuilder<TChild>
    where TChild : class
{
    private readonly RelationDraft _relation;

    internal HasManyBuilder(RelationDraft relation) => _relation = relation;

    /// <summary>Names the property of <typeparamref name="TChild"/> that holds the parent's key.</summary>
    public void WithForeignKey<TKey>(Expression<Func<TChild, TKey>> foreignKey)
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        _relation.ForeignKey = MemberExpressions.Property(foreignKey)
            ?? throw new ArgumentException($"WithForeignKey({foreignKey}) must name a property of {typeof(TChild).Name}.", nameof(foreignKey));
    }
}
