namespace Premix.Plans;

/// <summary>
/// One relation of a generated model as a relation plan uses it: its description (checked at startup) and stand-ins for its
/// navigation code, which take the declaring entity's code on their first call, so a plan built at startup makes none of it.
/// </summary>
internal sealed class GeneratedNavigation(GeneratedEntity entity, int index)
{
    /// <summary>The relation as it was generated.</summary>
    public GeneratedRelation Description => entity.Relations[index];

    /// <summary>The relation's code, made with its entity's on the first call.</summary>
    public GeneratedRelationCode Code => entity.Code.Relations[index];

    /// <summary>Reads the navigation (a stand-in until its first call).</summary>
    public Func<object, object?> Getter() =>
        LazyDelegates.OnFirstUse(() => Code.Get ?? throw entity.Broken($"getter of the navigation {Description.Navigation}"));

    /// <summary>Sets the navigation, when the generated code does (<see cref="GeneratedRelation.SetsNavigation"/>); otherwise null.</summary>
    public Action<object, object?>? Setter() =>
        Description.SetsNavigation ? LazyDelegates.OnFirstUse(() => Code.Set ?? throw entity.Broken($"setter of the navigation {Description.Navigation}")) : null;

    /// <summary>Fills the navigation's collection (<see cref="GeneratedRelation.CollectionOf{TChild}"/> of its child type).</summary>
    /// <remarks>The closure keeps the fill once it has it, so later fills skip the entity's code; racing threads store the same delegate.</remarks>
    public Func<object?, ArraySegment<object>, bool, object> Filler()
    {
        Func<object?, ArraySegment<object>, bool, object>? fill = null;
        return (existing, children, replace) =>
            (fill ??= Code.Fill ?? throw entity.Broken($"fill of the collection {Description.Navigation}"))(existing, children, replace);
    }
}
