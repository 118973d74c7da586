using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// The rule native AOT puts on plans: every entity's accessors, row reader and snapshots come from a generated model
/// (<c>premix optimize</c>, <c>UseGeneratedModel</c>), since compiling them needs expression trees and generic types made at
/// run time. The start refuses a model without one, naming its entities; the checks of the generated model (every mapped
/// entity in it, no feature it cannot cover) leave nothing to compile.
/// </summary>
internal static class NativeAotPlans
{
    /// <summary>The start's refusal of <paramref name="model"/> without a generated model under native AOT.</summary>
    public static NotSupportedException NoGeneratedModel(Model model) =>
        new($"Premix runs under native AOT without a generated model: the plans of {string.Join(", ", model.Entities.Select(e => e.Name))} would be compiled from expression trees, "
            + "which native AOT cannot compile. Run premix optimize and register its model with UseGeneratedModel(...) (docs/aot.md, Native AOT).");

    /// <summary>
    /// What a compiled branch throws under native AOT; the start's checks make it unreachable (a generated model covers
    /// every entity there), so seeing it is a bug in those checks.
    /// </summary>
    public static NotSupportedException NotGenerated(EntityModel entity) =>
        new($"{entity.Name} has no generated code, and native AOT cannot compile its plan; the start should have refused it (docs/aot.md, Native AOT).");
}
