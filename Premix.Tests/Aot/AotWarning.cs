namespace Premix.Tests.Aot;

/// <summary>One trim or AOT warning of a native AOT publish: its code, whose code it is about, and its text.</summary>
/// <param name="Code">IL2026, IL3050, ...</param>
/// <param name="Owner">The first part of the namespace of the member it names (Premix, Dapper, System, ...), or the application.</param>
/// <param name="Text">The message, without the project MSBuild appends.</param>
internal sealed record AotWarning(string Code, string Owner, string Text);
