namespace Premix;

/// <summary>
/// Premix is configured for tenants and the work at hand has none: no <see cref="PremixTenant.Begin"/> block is active and
/// no <see cref="ITenantResolver"/> named one. Thrown before any SQL is sent: tenancy fails closed, never untenanted.
/// </summary>
public sealed class TenantRequiredException : PremixException
{
    /// <summary>Creates the exception with a message that says what to do.</summary>
    public TenantRequiredException(string message)
        : base(message)
    {
    }
}
