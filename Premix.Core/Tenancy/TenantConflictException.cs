namespace Premix;

/// <summary>
/// Two tenants were named for one piece of work: the ambient tenant (<see cref="PremixTenant.Begin"/>) differs from the one
/// the scope's <see cref="ITenantResolver"/> named, or a <see cref="PremixTenant.Begin"/> block names another tenant than
/// the request's (<see cref="PremixTenant.BeginRequest"/>). Thrown before any SQL is sent: neither tenant wins, since the
/// request's tenant comes from its authentication and the ambient one from code that may act on a caller's input.
/// The message names neither tenant.
/// </summary>
public sealed class TenantConflictException : PremixException
{
    /// <summary>Creates the exception with a message that says what to do.</summary>
    public TenantConflictException(string message)
        : base(message)
    {
    }
}
