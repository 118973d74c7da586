using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// Names the targets of a polymorphic navigation mapped onto a Rails-style type+id pair (<c>BelongsToOneOf(...).ByTypeAndId(...)</c>):
/// the navigation holds a <c>TTarget</c> exactly when the type column holds that target's name, and the id column its key.
/// </summary>
/// <typeparam name="T">The entity that holds the pair (the comment).</typeparam>
/// <typeparam name="TNavigation">The navigation's type: a base class or interface of every target, or <see cref="object"/>.</typeparam>
public sealed class TypeAndIdRelationBuilder<T, TNavigation>
    where T : class
    where TNavigation : class
{
    private readonly EntityDraft _draft;
    private readonly PolymorphicDraft _polymorphic;
    private readonly PropertyInfo _id;

    internal TypeAndIdRelationBuilder(EntityDraft draft, PolymorphicDraft polymorphic, PropertyInfo id)
    {
        _draft = draft;
        _polymorphic = polymorphic;
        _id = id;
    }

    /// <summary>
    /// Adds <typeparamref name="TTarget"/> as a target, named <paramref name="typeName"/> in the type column (<c>"Article"</c>,
    /// as the legacy rows spell it; compared exactly, case included).
    /// </summary>
    /// <param name="typeName">The type column's value for this target: not empty, and unlike every other target's name (case aside).</param>
    public TypeAndIdRelationBuilder<T, TNavigation> As<TTarget>(string typeName)
        where TTarget : class, TNavigation
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var relation = new RelationDraft(RelationKind.BelongsTo, typeof(TTarget), _polymorphic.Navigation, $"{_polymorphic.Source}.{_polymorphic.TypeSource}.As<{typeof(TTarget).Name}>(\"{typeName}\")")
        {
            ForeignKey = [_id],
            Polymorphic = _polymorphic,
            TypeName = typeName,
        };
        _polymorphic.Targets.Add(relation);
        _draft.Relations.Add(relation);
        return this;
    }
}
