using System.Reflection;
using Premix.Providers;
using Premix.Providers.MySql;

namespace Premix.Tests.Providers;

/// <summary>How Premix measures statements for <c>max_allowed_packet</c> is the runtime's business, not part of the provider's public API.</summary>
public sealed class MySqlProviderSurfaceTests
{
    [Test]
    public void The_statement_size_limit_is_implemented_explicitly_and_adds_no_public_members()
    {
        var limit = typeof(IStatementSizeLimit).GetMembers().Select(m => m.Name).ToHashSet();

        var exposed = typeof(MySqlProvider).GetMembers(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).Where(limit.Contains);

        Assert.That(exposed, Is.Empty);
        Assert.That(typeof(IStatementSizeLimit).IsAssignableFrom(typeof(MySqlProvider)), "still measured by the runtime");
    }
}
