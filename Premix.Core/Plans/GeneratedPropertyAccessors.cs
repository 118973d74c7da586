namespace Premix.Plans;

/// <summary>
/// One property of a generated entity as plans use it: stand-ins for its generated accessors, which take the entity's code
/// on their first call (<see cref="GeneratedEntity.Code"/>), so a plan built at startup makes none of it.
/// </summary>
internal sealed class GeneratedPropertyAccessors(GeneratedEntity entity, int index)
{
    /// <summary>The property's code, made with its entity's on the first call.</summary>
    public GeneratedPropertyCode Code => entity.Code.Properties[index];

    public Func<object, object?> Getter() => LazyDelegates.OnFirstUse(() => Code.Get);

    public Action<object, object?> Setter() => LazyDelegates.OnFirstUse(() => Code.Set);

    public Func<object, object, bool> Comparer() => LazyDelegates.OnFirstUse(() => Code.Same);

    /// <summary>For a converted property: reads the stored value, converted by the generated conversion.</summary>
    public Func<object, object?> StoredGetter() => LazyDelegates.OnFirstUse(() => Code.ReadStored ?? throw Broken("stored-value getter"));

    /// <summary>For a converted property: the generated conversion to the stored value.</summary>
    public Func<object, object> ToStored() => LazyDelegates.OnFirstUse(() => Code.ToStored ?? throw Broken("conversion to the stored value"));

    /// <summary>For a converted property: the generated conversion from the stored value.</summary>
    public Func<object, object> FromStored() => LazyDelegates.OnFirstUse(() => Code.FromStored ?? throw Broken("conversion from the stored value"));

    /// <summary>
    /// For a converted property: sets it from a stored value (null for NULL) through the generated conversion and setter,
    /// composed here rather than generated; the closure keeps both real delegates after their first call.
    /// </summary>
    public Action<object, object?> StoredSetter()
    {
        var set = Setter();
        var fromStored = FromStored();
        return (entity, stored) => LazyDelegates.Resolved(ref set)(entity, stored is null ? null : LazyDelegates.Resolved(ref fromStored)(stored));
    }

    /// <summary>For a database-generated key the code checks typed (<see cref="GeneratedPropertyCode.ChecksDefault"/>).</summary>
    public Func<object, bool> IsDefault() =>
        LazyDelegates.OnFirstUse(() => Code.IsDefault ?? throw Broken("IsDefault"));

    private InvalidOperationException Broken(string what) => entity.Broken($"{what} of {entity.Properties[index].Name}");
}
