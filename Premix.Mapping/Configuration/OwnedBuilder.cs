using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>Configures the columns of a value object stored in its owner's table (<c>e.Owns(x =&gt; x.Money, m =&gt; ...)</c>).</summary>
/// <typeparam name="TOwned">The value object's class or record.</typeparam>
public sealed class OwnedBuilder<[DynamicallyAccessedMembers(OwnedModel.Members)] TOwned>
    where TOwned : class
{
    private readonly OwnedDraft _draft;

    internal OwnedBuilder(OwnedDraft draft) => _draft = draft;

    /// <summary>Configures one member's column (name, length, precision, conversion), as <c>e.Property(...)</c> does.</summary>
    public PropertyBuilder<TProperty> Property<TProperty>(Expression<Func<TOwned, TProperty>> property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return new PropertyBuilder<TProperty>(_draft.Property(Require(property, nameof(Property))));
    }

    /// <summary>Leaves a member out: it has no column and is neither read nor written.</summary>
    public OwnedBuilder<TOwned> Ignore<TProperty>(Expression<Func<TOwned, TProperty>> property)
    {
        ArgumentNullException.ThrowIfNull(property);
        _draft.Ignored.Add(Require(property, nameof(Ignore)));
        return this;
    }

    /// <summary>
    /// Stores a value object the value object holds in the same table, one column per member, prefixed by both properties
    /// (<c>home_geo_lat</c> for <c>Home.Geo.Lat</c>), as <c>e.Owns(...)</c> does for the entity's own.
    /// </summary>
    /// <example><code>e.Owns(x =&gt; x.Home, a =&gt; a.Owns(v =&gt; v.Geo, g =&gt; g.Property(p =&gt; p.Lat).HasPrecision(9, 6)));</code></example>
    public OwnedBuilder<TOwned> Owns<[DynamicallyAccessedMembers(OwnedModel.Members)] TNested>(Expression<Func<TOwned, TNested?>> owned, Action<OwnedBuilder<TNested>>? configure = null)
        where TNested : class
    {
        ArgumentNullException.ThrowIfNull(owned);
        var nested = _draft.Owns(Require(owned, nameof(Owns)), typeof(TNested));
        configure?.Invoke(new OwnedBuilder<TNested>(nested));
        return this;
    }

    /// <summary>
    /// Marks the value object as always present (or not). By convention a non-nullable property (<c>Money</c>) is required and a
    /// nullable one (<c>Money?</c>) is not; an optional value object's columns allow NULL.
    /// </summary>
    public OwnedBuilder<TOwned> IsRequired(bool required = true)
    {
        _draft.Required = required;
        return this;
    }

    private static PropertyInfo Require(LambdaExpression lambda, string method) =>
        MemberExpressions.Property(lambda)
        ?? throw new ArgumentException($"{typeof(TOwned).Name}: {method}({lambda}) must name a property of {typeof(TOwned).Name}, as in {method}(x => x.Amount).", nameof(lambda));
}
