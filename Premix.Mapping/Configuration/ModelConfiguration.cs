using System.Diagnostics.CodeAnalysis;

namespace Premix.Mapping;

/// <summary>
/// The non-generic face of a mapping class, so a model can be assembled from many entity types.
/// </summary>
/// <remarks>Derive from <see cref="ModelConfiguration{T}"/>, not from this class.</remarks>
public abstract class ModelConfiguration
{
    private protected ModelConfiguration()
    {
    }

    /// <summary>The entity type this class maps.</summary>
    public abstract Type EntityType { get; }

    internal abstract EntityDraft CreateDraft();
}

/// <summary>
/// Describes how one plain C# class maps onto a table: one subclass per entity.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
/// <example>
/// <code>
/// public sealed class CustomerMap : ModelConfiguration&lt;Customer&gt;
/// {
///     public override void Configure(EntityBuilder&lt;Customer&gt; e)
///     {
///         e.ToTable("customers");
///         e.HasKey(c =&gt; c.Id);
///         e.Property(c =&gt; c.Name).IsRequired().HasMaxLength(200);
///     }
/// }
/// </code>
/// </example>
// The conventions map every public property (EntityModelFactory reads them by reflection), and the start checks the
// constructors: trimming, native AOT included, keeps them on each mapped class because a mapping class names it here.
public abstract class ModelConfiguration<[DynamicallyAccessedMembers(EntityModel.Members)] T> : ModelConfiguration
    where T : class
{
    /// <inheritdoc />
    public sealed override Type EntityType => typeof(T);

    /// <summary>Declares the table, key, columns, relations and rules of <typeparamref name="T"/>.</summary>
    /// <param name="entity">The builder that records the declarations.</param>
    public abstract void Configure(EntityBuilder<T> entity);

    internal sealed override EntityDraft CreateDraft()
    {
        var builder = new EntityBuilder<T>();
        builder.Draft.Source = GetType().Name;
        Configure(builder);
        return builder.Draft;
    }
}
