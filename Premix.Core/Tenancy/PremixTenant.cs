namespace Premix;

/// <summary>
/// The ambient tenant: <c>using (PremixTenant.Begin("acme")) { ... }</c> makes every unit of work created and every raw
/// statement run inside the block (in this async flow) work on the tenant <c>acme</c>, for background jobs, tools and tests.
/// </summary>
public static class PremixTenant
{
    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>The ambient tenant of this async flow, or <see langword="null"/> outside any <see cref="Begin"/> block.</summary>
    public static string? Current => Ambient.Value;

    /// <summary>Makes <paramref name="tenantId"/> the ambient tenant until the returned scope is disposed; blocks nest.</summary>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is null, empty or white space.</exception>
    public static IDisposable Begin(string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var scope = new Scope(Ambient.Value);
        Ambient.Value = tenantId;
        return scope;
    }

    private sealed class Scope(string? outer) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Ambient.Value = outer;
            }
        }
    }
}
