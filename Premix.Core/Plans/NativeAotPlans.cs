using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// The rule native AOT (dynamic code off) puts on plans: every entity's accessors, row reader and snapshots come from a generated model
/// (<c>premix optimize</c>, <c>UseGeneratedModel</c>), since compiling them needs expression trees and generic types made at
/// run time. The start refuses a model without one, naming its entities; the checks of the generated model (every mapped
/// entity in it, no feature it cannot cover) leave nothing to compile.
/// </summary>
internal static class NativeAotPlans
{
    /// <summary>What the start detected (<see cref="DynamicCode.Off"/>, which the model build's refusals name too).</summary>
    public const string DynamicCodeOff = DynamicCode.Off;

    /// <summary>How to run with dynamic code, for a feature that needs it (<see cref="DynamicCode.TurnOn"/>).</summary>
    public const string TurnDynamicCodeOn = DynamicCode.TurnOn;

    /// <summary>
    /// The <c>RequiresDynamicCode</c> message of a plan's compiled branch: each caller takes it only while
    /// <see cref="System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"/> is true, so the analyzer checks the
    /// guard and the AOT compiler drops the branch.
    /// </summary>
    public const string Compiled = "Compiles a plan's delegate from an expression tree or makes a generic type at run time; only while RuntimeFeature.IsDynamicCodeSupported is true (native AOT runs the generated model: premix optimize, UseGeneratedModel).";

    /// <summary>The start's refusal of <paramref name="model"/> without a generated model while dynamic code is off.</summary>
    public static NotSupportedException NoGeneratedModel(Model model) => NoGeneratedModel(model.Entities.Select(e => e.Name), null);

    /// <summary>
    /// The same refusal when the model build failed too (a value object, say, whose members only a generated model names
    /// while dynamic code is off): one message, the missing generated model first, since it is the way out, then every
    /// mapping problem; <paramref name="problems"/> is its inner exception. Its text is in both messages on purpose: the
    /// outer one alone lists every problem (pillar 3), and a <c>catch</c> of the inner one still finds them, so
    /// <see cref="Exception.ToString"/> prints the list twice.
    /// </summary>
    public static NotSupportedException NoGeneratedModel(IEnumerable<string> entities, MappingException? problems) =>
        new($"Premix starts without a generated model, and {DynamicCodeOff}: the plans of {string.Join(", ", entities)} would be compiled from expression trees, "
            + $"which needs dynamic code. Run premix optimize and register its model with UseGeneratedModel(...), or {TurnDynamicCodeOn} (docs/aot.md, Native AOT)."
            + (problems is null ? "" : $"{Environment.NewLine}{problems.Message}"),
            problems);

    /// <summary>
    /// What a compiled branch throws under native AOT; the start's checks make it unreachable (a generated model covers
    /// every entity there), so seeing it is a bug in those checks.
    /// </summary>
    public static NotSupportedException NotGenerated(EntityModel entity) =>
        new($"{entity.Name} has no generated code, and {DynamicCodeOff}, so its plan cannot be compiled; the start should have refused it (docs/aot.md, Native AOT).");

    /// <summary>
    /// What a compiled accessor of <paramref name="property"/> throws under native AOT when it has no generated one: only
    /// bindings of features the start refuses there are made without (see <see cref="NotGenerated(EntityModel)"/>).
    /// </summary>
    public static NotSupportedException NotGenerated(PropertyModel property) =>
        new($"{property.Property.ReflectedType?.Name}.{property.Name} has no generated accessor, and {DynamicCodeOff}, so it cannot be compiled; the start should have refused it (docs/aot.md, Native AOT).");
}
