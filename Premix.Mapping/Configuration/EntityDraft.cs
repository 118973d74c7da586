using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>What a mapping class declared, before conventions fill the gaps and the model is validated.</summary>
// What Premix reads of the class (EntityModel.Members): every way a class becomes a draft names it as a type argument that
// carries the same annotation (ModelConfiguration<T>, EntityBuilder<T>, HasValue<TDerived>), so trimming keeps them.
internal sealed class EntityDraft([DynamicallyAccessedMembers(EntityModel.Members)] Type clrType)
{
    [DynamicallyAccessedMembers(EntityModel.Members)]
    public Type ClrType { get; } = clrType;

    /// <summary>The mapping class that made these declarations, named in messages about them.</summary>
    public string Source { get; set; } = clrType.Name + "'s mapping";

    public string? Table { get; set; }

    public string? Schema { get; set; }

    public List<PropertyInfo>? Key { get; set; }

    public KeyGeneration? KeyGeneration { get; set; }

    public Dictionary<PropertyInfo, PropertyDraft> Properties { get; } = [];

    public HashSet<PropertyInfo> Ignored { get; } = [];

    /// <summary>The value objects declared with <c>Owns</c>, by the owner's property.</summary>
    public Dictionary<PropertyInfo, OwnedDraft> Owned { get; } = [];

    public List<RelationDraft> Relations { get; } = [];

    /// <summary>The <c>BelongsToOneOf</c> navigations; their targets are in <see cref="Relations"/> too.</summary>
    public List<PolymorphicDraft> Polymorphics { get; } = [];

    public List<IndexDraft> Indexes { get; } = [];

    /// <summary>Columns of the table that no property maps (<c>HasUnmappedColumn</c>), in declaration order.</summary>
    public List<string> UnmappedColumns { get; } = [];

    public PropertyInfo? Version { get; set; }

    public PropertyInfo? SoftDelete { get; set; }

    /// <summary>The named query filters declared with <c>HasQueryFilter</c>, in declaration order.</summary>
    public List<QueryFilterDraft> QueryFilters { get; } = [];

    /// <summary>The hierarchy this base type declares with <c>HasDiscriminator</c>.</summary>
    public DiscriminatorDraft? Discriminator { get; set; }

    /// <summary>For a subtype of a table-per-hierarchy mapping: the draft of the nearest mapped class above it, whose declarations it inherits.</summary>
    public EntityDraft? Base { get; set; }

    /// <summary>This draft, then the drafts of the mapped classes above it, up to the base of its hierarchy.</summary>
    public IEnumerable<EntityDraft> Chain
    {
        get
        {
            for (var draft = this; draft is not null; draft = draft.Base)
            {
                yield return draft;
            }
        }
    }

    /// <summary>The base of this draft's hierarchy (the draft itself outside one), whose table, key, version and soft delete it shares.</summary>
    public EntityDraft Root
    {
        get
        {
            var root = this;
            while (root.Base is not null)
            {
                root = root.Base;
            }

            return root;
        }
    }

    // The lookups below walk the chain by hand, not with LINQ: they run for every property of every entity at every start,
    // and each LINQ operator's iterator and closure types are loaded and its closures allocated (docs/performance.md).

    /// <summary>The properties that are navigations (relations and <c>BelongsToOneOf</c>) along the chain.</summary>
    public HashSet<PropertyInfo> Navigations()
    {
        var navigations = new HashSet<PropertyInfo>();
        for (var draft = this; draft is not null; draft = draft.Base)
        {
            foreach (var relation in draft.Relations)
            {
                if (relation.Navigation is { } navigation)
                {
                    navigations.Add(navigation);
                }
            }

            foreach (var polymorphic in draft.Polymorphics)
            {
                navigations.Add(polymorphic.Navigation);
            }
        }

        return navigations;
    }

    /// <summary>The value object declared with <c>Owns</c> for the property, by the nearest draft along the chain that declares one.</summary>
    public OwnedDraft? OwnedOf(PropertyInfo property)
    {
        for (var draft = this; draft is not null; draft = draft.Base)
        {
            if (draft.Owned.GetValueOrDefault(property) is { } owned)
            {
                return owned;
            }
        }

        return null;
    }

    /// <summary>The property's declarations, by the nearest draft along the chain that declares it.</summary>
    public PropertyDraft? DeclaredOf(PropertyInfo property)
    {
        for (var draft = this; draft is not null; draft = draft.Base)
        {
            if (draft.Properties.GetValueOrDefault(property) is { } declared)
            {
                return declared;
            }
        }

        return null;
    }

    /// <summary>Whether a draft along the chain ignores the property.</summary>
    public bool IsIgnored(PropertyInfo property)
    {
        for (var draft = this; draft is not null; draft = draft.Base)
        {
            if (draft.Ignored.Contains(property))
            {
                return true;
            }
        }

        return false;
    }

    public List<ValidationRule> Rules { get; } = [];

    public EntityHooks Hooks { get; } = new();

    /// <summary>Problems found while reading the declarations themselves (for example an expression that is not a property).</summary>
    public List<MappingProblem> Problems { get; } = [];

    public PropertyDraft Property(PropertyInfo property)
    {
        if (!Properties.TryGetValue(property, out var draft))
        {
            draft = new PropertyDraft(property);
            Properties.Add(property, draft);
        }

        return draft;
    }
}

/// <summary>A value object as declared with <c>Owns</c>: its members' declarations and whether the owner always holds one.</summary>
internal sealed class OwnedDraft(PropertyInfo navigation, [DynamicallyAccessedMembers(OwnedModel.Members)] Type clrType)
{
    public PropertyInfo Navigation { get; } = navigation;

    /// <summary>The class <c>Owns&lt;TOwned&gt;</c> named, whose annotation keeps what the model build reads under trimming.</summary>
    [DynamicallyAccessedMembers(OwnedModel.Members)]
    public Type ClrType { get; } = clrType;

    public bool? Required { get; set; }

    // Keyed by the member itself (DeclaredMember): a lambda's PropertyInfo for an inherited member is the base class's,
    // while the model build looks members up with the value object's own GetProperties.
    public Dictionary<PropertyInfo, PropertyDraft> Properties { get; } = new(DeclaredMember.Comparer);

    public HashSet<PropertyInfo> Ignored { get; } = new(DeclaredMember.Comparer);

    /// <summary>The value objects its own members hold (<c>a.Owns(x =&gt; x.Geo)</c>), by member.</summary>
    public Dictionary<PropertyInfo, OwnedDraft> Owned { get; } = new(DeclaredMember.Comparer);

    public OwnedDraft Owns(PropertyInfo navigation, [DynamicallyAccessedMembers(OwnedModel.Members)] Type clrType)
    {
        if (!Owned.TryGetValue(navigation, out var draft))
        {
            draft = new OwnedDraft(navigation, clrType);
            Owned.Add(navigation, draft);
        }

        return draft;
    }

    public PropertyDraft Property(PropertyInfo property)
    {
        if (!Properties.TryGetValue(property, out var draft))
        {
            draft = new PropertyDraft(property);
            Properties.Add(property, draft);
        }

        return draft;
    }
}

/// <summary>The declarations made for one property.</summary>
internal sealed class PropertyDraft(PropertyInfo property)
{
    public PropertyInfo Property { get; } = property;

    public string? Column { get; set; }

    public bool? Required { get; set; }

    public int? MaxLength { get; set; }

    public int? Precision { get; set; }

    public int? Scale { get; set; }

    public MidpointRounding? Rounding { get; set; }

    public EnumStorage? EnumStorage { get; set; }

    public string? EnumTypeName { get; set; }

    /// <summary>The composite type given to <c>StoredAsCompositeType</c>, or <see langword="null"/>.</summary>
    public string? CompositeTypeName { get; set; }

    /// <summary>
    /// What <c>StoredAsEnumType</c> stores the enum (the property's type or its array's element) as, or <see langword="null"/>:
    /// only a mapping that calls it, and is flagged for trimming there, reads an enum's fields by reflection.
    /// </summary>
    public Func<Type, DatabaseEnum>? EnumTypeOf { get; set; }

    /// <summary>
    /// What <c>StoredAsCompositeType</c> stores the property's type as (its attributes named by the convention), or
    /// <see langword="null"/>: only a mapping that calls it, and is flagged for trimming there, reads the class's members.
    /// </summary>
    public Func<Type, NamingConvention, DatabaseComposite>? CompositeTypeOf { get; set; }

    public bool Sensitive { get; set; }

    public string? DefaultSql { get; set; }

    public string? ColumnType { get; set; }

    public bool StoresUtc { get; set; }

    /// <summary>The converter given with <c>HasConversion</c>.</summary>
    public ValueConverter? Converter { get; set; }

    /// <summary>
    /// What <c>StoredAsJson</c> stores the property with (its type without <c>?</c> and the options give the converter), or
    /// <see langword="null"/>: only a mapping that calls it, and is flagged for trimming there, reaches the JSON serializer.
    /// </summary>
    public Func<Type, System.Text.Json.JsonSerializerOptions, ValueConverter>? JsonConverter { get; set; }

    /// <summary>Whether <c>StoredAsJson</c> was called.</summary>
    public bool Json => JsonConverter is not null;

    /// <summary>The serializer options given to <c>StoredAsJson</c>; <see langword="null"/>: the model's.</summary>
    public System.Text.Json.JsonSerializerOptions? JsonOptions { get; set; }
}

/// <summary>A relation as declared: navigation and foreign key, both on their own classes, and how the mapping wrote them.</summary>
internal sealed class RelationDraft(RelationKind kind, Type target, PropertyInfo? navigation, string navigationSource)
{
    public RelationKind Kind { get; } = kind;

    public Type Target { get; } = target;

    public PropertyInfo? Navigation { get; } = navigation;

    /// <summary>The foreign-key properties in the order of the principal's key: one, or several for a composite key.</summary>
    public IReadOnlyList<PropertyInfo>? ForeignKey { get; set; }

    /// <summary>The foreign key for messages and for matching declarations: <c>CustomerId</c>, or <c>(OrderId, OrderNo)</c>.</summary>
    public string? ForeignKeyName => ForeignKey is null ? null : ForeignKeyModel.Describe(ForeignKey.Select(p => p.Name).ToList());

    /// <summary>The delete action, or <see langword="null"/> when this declaration does not state one (the other end may).</summary>
    public ReferentialAction? OnDelete { get; set; }

    /// <summary>The call as written, for messages: <c>HasMany(c =&gt; c.Orders)</c>, <c>BelongsTo&lt;Customer&gt;()</c>.</summary>
    public string NavigationSource { get; } = navigationSource;

    /// <summary>The <c>WithForeignKey</c> lambda as written (<c>o =&gt; o.CustomerId</c>).</summary>
    public string? ForeignKeySource { get; set; }

    /// <summary>For one target of a <c>BelongsToOneOf</c> navigation: the navigation and its other targets.</summary>
    public PolymorphicDraft? Polymorphic { get; init; }

    /// <summary>For one target of a type+id polymorphic navigation (<c>ByTypeAndId(...).As&lt;TTarget&gt;("name")</c>): the type column's value that names this target.</summary>
    public string? TypeName { get; init; }

    /// <summary>The whole declaration, as a user finds it in their mapping class.</summary>
    public override string ToString() =>
        NavigationSource
        + (ForeignKeySource is null ? string.Empty : $".WithForeignKey({ForeignKeySource})")
        + (OnDelete is { } action ? $".OnDelete(ReferentialAction.{action})" : string.Empty);
}

/// <summary>A <c>BelongsToOneOf</c> navigation as declared: one <see cref="RelationDraft"/> per <c>Via</c> target.</summary>
internal sealed class PolymorphicDraft(PropertyInfo navigation, string source)
{
    public PropertyInfo Navigation { get; } = navigation;

    /// <summary>The call as written, for messages: <c>BelongsToOneOf(c =&gt; c.Subject)</c>.</summary>
    public string Source { get; } = source;

    public List<RelationDraft> Targets { get; } = [];

    /// <summary>For a Rails-style pair: the property holding the target's type name; the id property is each target's foreign key.</summary>
    public PropertyInfo? TypeProperty { get; set; }

    /// <summary>The <c>ByTypeAndId</c> call as written, for messages.</summary>
    public string? TypeSource { get; set; }
}

/// <summary>A table-per-hierarchy mapping as declared on its base type: the discriminator property and each type's value.</summary>
internal sealed class DiscriminatorDraft(PropertyInfo property)
{
    public PropertyInfo Property { get; } = property;

    public List<DiscriminatorValue> Values { get; } = [];
}

/// <summary>A class of a table-per-hierarchy mapping and its discriminator value (<c>HasValue&lt;Dog&gt;("dog")</c>).</summary>
// Annotated on the parameter too: the record's constructor stores it in the annotated property's field (IL2069 otherwise).
internal sealed record DiscriminatorValue([DynamicallyAccessedMembers(EntityModel.Members)][property: DynamicallyAccessedMembers(EntityModel.Members)] Type Type, object Value);

/// <summary>An index as declared.</summary>
internal sealed class IndexDraft(List<PropertyInfo> properties)
{
    public List<PropertyInfo> Properties { get; } = properties;

    public bool IsUnique { get; set; }

    public string? Name { get; set; }
}

/// <summary>
/// Compares properties by the member they are (declaring class and name), not by the class they were reflected from: a
/// lambda (<c>v =&gt; v.Hidden</c>) gives an inherited property as its base class reflects it, <c>GetProperties</c> on the
/// derived class as that one does, and the two <see cref="PropertyInfo"/>s are not equal.
/// </summary>
internal sealed class DeclaredMember : IEqualityComparer<PropertyInfo>
{
    public static readonly DeclaredMember Comparer = new();

    public bool Equals(PropertyInfo? x, PropertyInfo? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.DeclaringType == y.DeclaringType && string.Equals(x.Name, y.Name, StringComparison.Ordinal));

    public int GetHashCode(PropertyInfo obj) => HashCode.Combine(obj.DeclaringType, obj.Name);
}
