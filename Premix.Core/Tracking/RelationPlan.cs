using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// One relation compiled for the unit of work: how to reach the other end and how to set the foreign key. With a generated
/// model, the navigation's accessors are its code (<see cref="GeneratedRelationCode"/>, made on first use) and nothing is compiled.
/// </summary>
internal sealed class RelationPlan
{
    public RelationPlan(RelationModel relation, EntityPlan principal, EntityPlan dependent, GeneratedNavigation? generated)
    {
        Relation = relation;
        Principal = principal;
        Dependent = dependent;
        Generated = generated;
        // The entity whose class declares the navigation: the one a refusal names (the principal for HasMany and HasOne).
        var declaring = relation.Kind == RelationKind.BelongsTo ? dependent.Entity : principal.Entity;
        _navigation = relation.Navigation is null ? null : generated?.Getter() ?? (RuntimeFeature.IsDynamicCodeSupported ? PropertyAccessors.Getter(relation.Navigation) : throw NativeAotPlans.NotGenerated(declaring));
        if (relation.IsPolymorphic && _navigation is { } navigationValue)
        {
            // A polymorphic navigation holds this relation's target, or another target (then this key is cleared), or nothing.
            var target = principal.Entity.ClrType;
            _navigation = entity => navigationValue(entity) is { } value && target.IsInstanceOfType(value) ? value : null;
            if (relation.Constraint.IsEnforcedByDatabase)
            {
                _holdsAnotherTarget = entity => navigationValue(entity) is { } value && !target.IsInstanceOfType(value); // a type+id pair shares its id with the other targets
            }
        }

        if (relation.Constraint is { TypeProperty: { } typeProperty, TypeName: { } typeName })
        {
            // Polymorphic relations are not generated: under native AOT the start required a generated model, which refuses them.
            if (!RuntimeFeature.IsDynamicCodeSupported)
            {
                throw NativeAotPlans.NotGenerated(dependent.Entity);
            }

            TypeName = typeName;
            GetTypeName = PropertyAccessors.Getter(typeProperty.Property);
            SetTypeName = PropertyAccessors.Setter(typeProperty.Property);
        }

        ForeignKeyColumns = [.. relation.ForeignKeys.Select(p => dependent.Properties.First(b => b.Property.Property == p))];
        // The dependent plan's accessors: a generated model's code, or compiled ones.
        SetForeignKeys = [.. ForeignKeyColumns.Select(b => dependent.Accessors.Setter(b.Property))];
        GetForeignKeys = [.. ForeignKeyColumns.Select(b => dependent.Accessors.Getter(b.Property))];
        if (relation.Navigation is { } navigation)
        {
            // With a generated model its setter (null included: the start checked that it matches) and fill are the ones
            // to use. Without one they are compiled, behind the feature check itself so that native AOT leaves that code out.
            Action<object, object?>? set;
            Func<object?, ArraySegment<object>, bool, object>? fill;
            if (generated is not null)
            {
                set = generated.Setter();
                fill = relation.Kind == RelationKind.HasMany ? generated.Filler() : null;
            }
            else if (RuntimeFeature.IsDynamicCodeSupported)
            {
                set = navigation.SetMethod is { IsPublic: true } ? PropertyAccessors.Setter(navigation) : null;
                fill = relation.Kind == RelationKind.HasMany ? FillOf(dependent.Entity.ClrType) : null;
            }
            else
            {
                throw NativeAotPlans.NotGenerated(declaring);
            }

            if (fill is not null)
            {
                _setCollection = CollectionSetter(set, fill);
            }
            else
            {
                _setNavigation = set;
            }
        }
    }

    public RelationModel Relation { get; }

    public EntityPlan Principal { get; }

    public EntityPlan Dependent { get; }

    /// <summary>The generated model's code of the relation (checked against the mapping at startup), or null when it is compiled.</summary>
    public GeneratedNavigation? Generated { get; }

    /// <summary>
    /// Reads the navigation of <paramref name="entity"/>, the declaring entity: the child collection (HasMany), the child
    /// (HasOne) or the parent (BelongsTo); <see langword="null"/> for a relation without a navigation.
    /// </summary>
    public object? NavigationOf(object entity) =>
        _navigation is null ? null : LazyDelegates.Resolved(ref _navigation!)(entity); // a generated model's stand-in is swapped for its getter on the first call

    /// <summary>Set the foreign key's properties on a dependent, one per part of the principal's key, in its order.</summary>
    public Action<object, object?>[] SetForeignKeys { get; }

    /// <summary>Read the foreign key's properties of a dependent, pairwise with <see cref="SetForeignKeys"/>.</summary>
    public Func<object, object?>[] GetForeignKeys { get; }

    /// <summary>The dependent's foreign-key columns, pairwise with the principal's key columns.</summary>
    public ParameterBinding[] ForeignKeyColumns { get; }

    /// <summary>For one target of a type+id pair: the type column's value naming this target; otherwise null.</summary>
    public string? TypeName { get; }

    /// <summary>For one target of a type+id pair: reads the type property of a dependent.</summary>
    public Func<object, object?>? GetTypeName { get; }

    /// <summary>For one target of a type+id pair: sets the type property of a dependent.</summary>
    public Action<object, object?>? SetTypeName { get; }

    /// <summary>
    /// The foreign key of <paramref name="dependent"/> as comparable with <see cref="PrincipalKeyOf"/>: its value, a <see cref="CompositeKey"/>,
    /// or null when a part is null or, for a type+id pair, when the type column names another target.
    /// </summary>
    public object? ForeignKeyOf(object dependent)
    {
        if (TypeName is not null && !string.Equals(GetTypeName!(dependent) as string, TypeName, StringComparison.Ordinal))
        {
            return null;
        }

        if (GetForeignKeys.Length == 1)
        {
            return GetForeignKeys[0](dependent);
        }

        var values = new object?[GetForeignKeys.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if ((values[i] = GetForeignKeys[i](dependent)) is null)
            {
                return null; // a composite key with a null part refers to no row (MATCH SIMPLE)
            }
        }

        return new CompositeKey(values);
    }

    /// <summary>The key of <paramref name="principal"/> as <see cref="ForeignKeyOf"/> reads a dependent's foreign key.</summary>
    public object PrincipalKeyOf(object principal) => Principal.KeyOf(principal).Value;

    /// <summary>Whether the navigation is on the principal (HasMany, HasOne) rather than on the dependent (BelongsTo).</summary>
    public bool IsDeclaredOnPrincipal => Relation.IsDeclaredOnPrincipal;

    /// <summary>Whether the navigation holds many children (HasMany).</summary>
    public bool IsCollection => Relation.Kind == RelationKind.HasMany;

    /// <summary>For a polymorphic relation: whether the navigation of <paramref name="dependent"/> holds another target than this relation's.</summary>
    public bool HoldsAnotherTarget(object dependent) => _holdsAnotherTarget?.Invoke(dependent) == true;

    /// <summary>Sets a single-object navigation: the parent on a dependent (BelongsTo) or the child on a principal (HasOne).</summary>
    public void SetNavigation(object entity, object? other) => NavigationSetter?.Invoke(entity, other);

    /// <summary>
    /// What <see cref="SetNavigation"/> calls, or null when the navigation is a collection or has no public setter: for a
    /// loop over many rows, which takes it once.
    /// </summary>
    public Action<object, object?>? NavigationSetter =>
        _setNavigation is null ? null : LazyDelegates.Resolved(ref _setNavigation!); // a generated model's stand-in is swapped for its setter on the first call

    /// <summary>Fills a HasMany navigation with <paramref name="children"/>: a new list when it has a setter, else the existing collection.</summary>
    public void SetCollection(object parent, ArraySegment<object> children) => _setCollection!(parent, children);

    /// <summary>
    /// How an include numbers the keys of a relation level, chosen on first use: the parents' keys and each child's parent
    /// (HasMany, HasOne: <c>Add</c>, <c>Find</c>), or the children's foreign keys and each parent's number (BelongsTo:
    /// <c>AddForeignKey</c>, <c>FindKey</c>).
    /// </summary>
    public Querying.ParentSlots.Factory ParentSlots => _parentSlots ??= Querying.ParentSlots.For(this);

    private Func<object, object?>? _navigation; // a generated model's is a stand-in until its first call (LazyDelegates.Resolved)
    private Action<object, object?>? _setNavigation; // the same
    private readonly Func<object, bool>? _holdsAnotherTarget;
    private readonly Action<object, ArraySegment<object>>? _setCollection;
    private Querying.ParentSlots.Factory? _parentSlots;

    /// <summary>
    /// The relation on the other end of this one's foreign key, when the mapping declares it with a navigation (the model
    /// keeps at most one per end); otherwise null. Set by <see cref="LinkInverses"/> while the graph is built.
    /// </summary>
    public RelationPlan? Inverse { get; private set; }

    /// <summary>Sets <see cref="Inverse"/> on every relation of <paramref name="all"/>, the whole model's: <see cref="RelationGraph.Build"/> calls it once, before the graph is shared.</summary>
    /// <remarks>
    /// A loop over the few relations rather than a dictionary keyed by (constraint, end): a dictionary over a value tuple is
    /// CoreLib code ReadyToRun cannot precompile for Premix, so every start would JIT-compile it (ModelConstraints says the same).
    /// </remarks>
    internal static void LinkInverses(RelationPlan[] all)
    {
        foreach (var plan in all)
        {
            foreach (var other in all)
            {
                if (other.Relation.Navigation is not null && other.Relation.Constraint == plan.Relation.Constraint && other.IsDeclaredOnPrincipal != plan.IsDeclaredOnPrincipal)
                {
                    plan.Inverse = other;
                    break;
                }
            }
        }
    }

    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private static Func<object?, ArraySegment<object>, bool, object> FillOf(Type child) =>
        typeof(GeneratedRelation).GetMethod(nameof(GeneratedRelation.CollectionOf))!.MakeGenericMethod(child).CreateDelegate<Func<object?, ArraySegment<object>, bool, object>>();

    // A new list set on the navigation when it has a public setter, else the existing collection refilled (GeneratedRelation.CollectionOf).
    // The navigation is read through the plan, and the closure keeps the real setter after its first call (no stand-in hop).
    private Action<object, ArraySegment<object>> CollectionSetter(Action<object, object?>? set, Func<object?, ArraySegment<object>, bool, object> fill) =>
        (parent, children) =>
        {
            var filled = fill(NavigationOf(parent), children, set is not null);
            if (set is not null)
            {
                LazyDelegates.Resolved(ref set)(parent, filled);
            }
        };
}
