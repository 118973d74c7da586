namespace Premix;

/// <summary>
/// The ambient tenant: <c>using (PremixTenant.Begin("acme")) { ... }</c> makes every unit of work created and every raw
/// statement run inside the block (in this async flow) work on the tenant <c>acme</c>, for background jobs, tools and tests.
/// </summary>
public static class PremixTenant
{
    private static readonly AsyncLocal<string?> Ambient = new();

    // The tenant of the request being served (BeginRequest): no Begin block inside it may name another one.
    private static readonly AsyncLocal<string?> Request = new();

    /// <summary>The ambient tenant of this async flow, or <see langword="null"/> outside any <see cref="Begin"/> block.</summary>
    public static string? Current => Ambient.Value;

    /// <summary>Makes <paramref name="tenantId"/> the ambient tenant until the returned scope is disposed; blocks nest.</summary>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is null, empty or white space.</exception>
    /// <exception cref="TenantConflictException">The block is inside a request (<see cref="BeginRequest"/>) of another tenant.</exception>
    public static IDisposable Begin(string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (Request.Value is { } request && !string.Equals(request, tenantId, StringComparison.Ordinal))
        {
            throw new TenantConflictException("PremixTenant.Begin names another tenant than the request's (the tenant its ITenantResolver named, made ambient by UsePremixTenant), so it was refused: a request works on its own tenant only. Run work for another tenant outside the request (a background job), where no request tenant is set.");
        }

        return Enter(Ambient, tenantId);
    }

    /// <summary>
    /// Makes <paramref name="tenantId"/>, the tenant of the request being served (named by its authentication), ambient until
    /// the returned scope is disposed, and refuses any <see cref="Begin"/> block inside it that names another tenant
    /// (<see cref="TenantConflictException"/>). Premix.AspNetCore's <c>UsePremixTenant</c> calls it for every request.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is null, empty or white space.</exception>
    /// <exception cref="TenantConflictException">It is inside a request, or a <see cref="Begin"/> block, of another tenant: a nested call may not re-pin the flow to another tenant.</exception>
    public static IDisposable BeginRequest(string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if ((Request.Value ?? Ambient.Value) is { } outer && !string.Equals(outer, tenantId, StringComparison.Ordinal))
        {
            throw new TenantConflictException("PremixTenant.BeginRequest names another tenant than the one this flow already works on (an enclosing request or Begin block), so it was refused: re-pinning a request to another tenant would undo its isolation. Start the other tenant's work outside this flow (ExecutionContext.SuppressFlow, or a background job).");
        }

        var request = Enter(Request, tenantId);
        var ambient = Enter(Ambient, tenantId);
        return new Both(ambient, request);
    }

    private static Scope Enter(AsyncLocal<string?> slot, string tenantId)
    {
        var scope = new Scope(slot, slot.Value);
        slot.Value = tenantId;
        return scope;
    }

    private sealed class Scope(AsyncLocal<string?> slot, string? outer) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                slot.Value = outer;
            }
        }
    }

    private sealed class Both(IDisposable inner, IDisposable outer) : IDisposable
    {
        public void Dispose()
        {
            inner.Dispose();
            outer.Dispose();
        }
    }
}
