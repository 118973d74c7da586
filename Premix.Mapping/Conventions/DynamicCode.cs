namespace Premix.Mapping;

/// <summary>
/// How messages name a start with dynamic code off and the way back to it, in the terms a user can check: the SDK turns
/// dynamic code off in the native binary and also in the JIT builds of a project with PublishAot (dotnet run, F5), so
/// "native AOT" alone would mislead the latter. Shared by the model build and the plans (Premix.Core).
/// </summary>
internal static class DynamicCode
{
    /// <summary>What was detected.</summary>
    public const string Off = "dynamic code is off (RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot)";

    /// <summary>How to run with dynamic code, for a feature that needs it (the JIT build of a PublishAot project has it off too).</summary>
    public const string TurnOn = "turn PublishAot off, or set the System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported switch to true in a JIT build";
}
