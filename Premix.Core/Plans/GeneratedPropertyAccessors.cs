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

    /// <summary>For a database-generated key the code checks typed (<see cref="GeneratedPropertyCode.ChecksDefault"/>).</summary>
    public Func<object, bool> IsDefault() =>
        LazyDelegates.OnFirstUse(() => Code.IsDefault ?? throw entity.Broken($"IsDefault of {entity.Properties[index].Name}"));
}
