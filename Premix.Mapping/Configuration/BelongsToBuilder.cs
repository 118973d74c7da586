using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>Completes a many-to-one relation by naming this entity's foreign key.</summary>
/// <typeparam name="T">The dependent entity, which holds the foreign key.</typeparam>
public sealed class BelongsToBuilder<T>
    where T : class
{
    private readonly RelationDraft _relation;

    internal BelongsToBuilder(RelationDraft relation) => _relation = relation;

    /// <summary>Names the property of <typeparamref name="T"/> that holds the parent's key.</summary>
    public void WithForeignKey<TKey>(Expression<Func<T, TKey>> foreignKey)
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        _relation.ForeignKey = MemberExpressions.Property(foreignKey)
            ?? throw new ArgumentException($"WithForeignKey({foreignKey}) must name a property of {typeof(T).Name}.", nameof(foreignKey));
    }
}
