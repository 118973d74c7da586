using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>Completes a relation by naming the foreign key on the dependent entity (the child of HasMany and HasOne, the declaring entity of BelongsTo).</summary>
/// <typeparam name="TDependent">The entity that holds the foreign key.</typeparam>
public sealed class ForeignKeyBuilder<TDependent>
    where TDependent : class
{
    private readonly RelationDraft _relation;

    internal ForeignKeyBuilder(RelationDraft relation) => _relation = relation;

    /// <summary>
    /// Names the property of <typeparamref name="TDependent"/> that holds the parent's key (<c>o =&gt; o.CustomerId</c>), or for a
    /// parent with a composite key the properties that hold its parts, in the order of the parent's <c>HasKey</c>
    /// (<c>l =&gt; new { l.OrderId, l.OrderNo }</c>).
    /// </summary>
    public RelationBuilder WithForeignKey<TKey>(Expression<Func<TDependent, TKey>> foreignKey)
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        var properties = MemberExpressions.Properties(foreignKey)
            ?? throw new ArgumentException($"WithForeignKey({foreignKey}) must name a property of {typeof(TDependent).Name} (o => o.CustomerId), or several (l => new {{ l.OrderId, l.OrderNo }}).", nameof(foreignKey));
        _relation.ForeignKey = properties;
        _relation.ForeignKeySource = MemberExpressions.Source(foreignKey, properties);
        return new RelationBuilder(_relation);
    }
}
