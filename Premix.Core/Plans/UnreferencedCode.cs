using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Premix.Plans;

/// <summary>
/// The guard of the two reflection paths a trimmed application cannot keep: an anonymous composite key's properties read by
/// name (KeyArgument) and a class-typed generated key's default made by its parameterless constructor (EntityPlan). Behind
/// it, both take the route they take under native AOT: the refusal that names a value tuple, and only null as no key.
/// </summary>
/// <remarks>
/// Both trimmers (ILLink for <c>PublishTrimmed</c>, ILC for <c>PublishAot</c>) read a property that is a
/// <see cref="FeatureGuardAttribute"/> of <see cref="RequiresUnreferencedCodeAttribute"/> as <c>false</c> and remove the
/// branch it guards, so no trim warning of these paths reaches an application. There is deliberately no
/// <see cref="FeatureSwitchDefinitionAttribute"/>: with one, ILLink substitutes the property only when the application sets
/// that switch, and every other trimmed application would be warned again. Untrimmed, the property is
/// <see cref="RuntimeFeature.IsDynamicCodeSupported"/>, the condition both paths had before.
/// </remarks>
internal static class UnreferencedCode
{
    /// <summary>The <c>RequiresUnreferencedCode</c> message of the members behind <see cref="IsAvailable"/>.</summary>
    public const string Reflected = "Reads members trimming may remove; only while UnreferencedCode.IsAvailable is true, which both trimmers read as false.";

    /// <summary>False in a trimmed or native AOT application, and with dynamic code off; true in an untrimmed JIT application.</summary>
    [FeatureGuard(typeof(RequiresUnreferencedCodeAttribute))]
    [FeatureGuard(typeof(RequiresDynamicCodeAttribute))]
    [UnconditionalSuppressMessage("Trimming", "IL4000", Justification = "The analyzer has no property to check a RequiresUnreferencedCode guard against: both trimmers substitute false for it, and untrimmed nothing is removed, so the reflection it guards finds what it reads.")]
    public static bool IsAvailable => RuntimeFeature.IsDynamicCodeSupported;
}
