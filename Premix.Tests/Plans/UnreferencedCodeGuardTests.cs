using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Premix.Plans;

namespace Premix.Tests.Plans;

/// <summary>
/// The guard of the two reflection paths a trimmed application cannot keep (<c>UnreferencedCode.IsAvailable</c>: an anonymous
/// composite key read by name, a class-typed generated key's default). What keeps their trim warnings out of every trimmed
/// application is the shape ILLink reads: a RequiresUnreferencedCode feature guard, which it substitutes with false, and no
/// switch definition, with which it would substitute only when the application sets the switch. The trimmed publish itself
/// is checked by hand (docs/aot.md, "Premix.Core under the analyzers").
/// </summary>
public sealed class UnreferencedCodeGuardTests
{
    private static readonly PropertyInfo Guard = typeof(UnreferencedCode).GetProperty(nameof(UnreferencedCode.IsAvailable))!;

    [Test]
    public void The_guard_is_a_RequiresUnreferencedCode_feature_guard_without_a_switch_definition_so_every_trimmer_removes_its_branch()
    {
        var guarded = Guard.GetCustomAttributes<FeatureGuardAttribute>().Select(a => a.FeatureType);

        Assert.That(guarded, Does.Contain(typeof(RequiresUnreferencedCodeAttribute)));
        Assert.That(Guard.GetCustomAttributes<FeatureSwitchDefinitionAttribute>(), Is.Empty);
    }

    [Test]
    public void Untrimmed_under_the_JIT_the_guarded_paths_are_taken_as_before()
    {
        Assert.That(UnreferencedCode.IsAvailable, Is.True);
    }
}
