namespace Premix.Tests.Infrastructure;

/// <summary>
/// Leaves a fixture (or one test) out of the pooled leg (build.cake filters on its category): what it proves needs a server session
/// that belongs to one client, such as killing the session a unit of work is on or reading which one a connection has.
/// Behind a transaction-mode pooler a client has no session of its own, so there the test would prove something else.
/// The reason says which; the fixture still runs on every engine directly.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
internal sealed class NeedsServerSessionAttribute(string reason) : CategoryAttribute("NeedsServerSession")
{
    /// <summary>Why the fixture needs a session of its own.</summary>
    public string Reason { get; } = reason;
}
