using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>
/// Names the targets of a polymorphic navigation (<c>BelongsToOneOf</c>): one nullable foreign key per target type, each a
/// real foreign key in the schema, with a CHECK that exactly one of them is set.
/// </summary>
/// <typeparam name="T">The entity that holds the foreign keys (the comment).</typeparam>
/// <typeparam name="TNavigation">The navigation's type: a base class or interface of every target, or <see cref="object"/>.</typeparam>
public sealed class PolymorphicRelationBuilder<T, TNavigation>
    where T : class
    where TNavigation : class
{
    private readonly EntityDraft _draft;
    private readonly PolymorphicDraft _polymorphic;

    internal PolymorphicRelationBuilder(EntityDraft draft, PolymorphicDraft polymorphic)
    {
        _draft = draft;
        _polymorphic = polymorphic;
    }

    /// <summary>
    /// Adds <typeparamref name="TTarget"/> as a target: the navigation holds a <typeparamref name="TTarget"/> exactly when
    /// <paramref name="foreignKey"/> (a nullable property of <typeparamref name="T"/> of the target's key type) is set.
    /// </summary>
    /// <param name="foreignKey">The foreign-key property (<c>c =&gt; c.PostId</c>).</param>
    /// <param name="onDelete">What deleting a <typeparamref name="TTarget"/> row does to the rows that point at it (schema only).</param>
    public PolymorphicRelationBuilder<T, TNavigation> Via<TTarget>(Expression<Func<T, object?>> foreignKey, ReferentialAction? onDelete = null)
        where TTarget : class, TNavigation
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        var properties = MemberExpressions.Properties(foreignKey);
        if (properties is not [var property])
        {
            throw new ArgumentException($"Via<{typeof(TTarget).Name}>({foreignKey}) must name one property of {typeof(T).Name} (c => c.{typeof(TTarget).Name}Id).", nameof(foreignKey));
        }

        var relation = new RelationDraft(RelationKind.BelongsTo, typeof(TTarget), _polymorphic.Navigation, $"{_polymorphic.Source}.Via<{typeof(TTarget).Name}>({MemberExpressions.Source(foreignKey, properties)})")
        {
            ForeignKey = properties,
            OnDelete = onDelete,
            Polymorphic = _polymorphic,
        };
        _polymorphic.Targets.Add(relation);
        _draft.Relations.Add(relation);
        return this;
    }

    /// <summary>
    /// Maps the navigation onto a Rails-style pair of a legacy schema instead: <paramref name="type"/> holds the target's type
    /// name and <paramref name="id"/> its key; name each target with <c>As&lt;TTarget&gt;("Name")</c>. The database keeps no
    /// foreign key for such a pair (one column cannot refer to several tables): schema sync creates none, and nothing but
    /// Premix's own writes keeps the id pointing at an existing row.
    /// </summary>
    /// <param name="type">The property holding the type name (<c>c =&gt; c.SubjectType</c>).</param>
    /// <param name="id">The property holding the target's key (<c>c =&gt; c.SubjectId</c>), of the type of every target's key.</param>
    /// <example><code>e.BelongsToOneOf(c =&gt; c.Subject).ByTypeAndId(c =&gt; c.SubjectType, c =&gt; c.SubjectId).As&lt;Post&gt;("Post").As&lt;Photo&gt;("Photo");</code></example>
    public TypeAndIdRelationBuilder<T, TNavigation> ByTypeAndId(Expression<Func<T, string?>> type, Expression<Func<T, object?>> id)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(id);
        var typeProperty = MemberExpressions.Property(type)
            ?? throw new ArgumentException($"ByTypeAndId({type}, ...) must name one property of {typeof(T).Name} (c => c.SubjectType).", nameof(type));
        var idProperty = MemberExpressions.Property(id)
            ?? throw new ArgumentException($"ByTypeAndId(..., {id}) must name one property of {typeof(T).Name} (c => c.SubjectId).", nameof(id));
        if (_polymorphic.TypeProperty is not null)
        {
            throw new InvalidOperationException($"{typeof(T).Name}: {_polymorphic.Source}.{_polymorphic.TypeSource} is already declared; call ByTypeAndId once per navigation.");
        }

        _polymorphic.TypeProperty = typeProperty;
        _polymorphic.TypeSource = $"ByTypeAndId({MemberExpressions.Source(type, typeProperty)}, {MemberExpressions.Source(id, idProperty)})";
        return new TypeAndIdRelationBuilder<T, TNavigation>(_draft, _polymorphic, idProperty);
    }
}
