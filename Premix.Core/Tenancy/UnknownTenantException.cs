namespace Premix;

/// <summary>A tenant was named that Premix cannot reach: its connection string is not configured, or its name cannot be a schema name.</summary>
public sealed class UnknownTenantException : PremixException
{
    /// <summary>Creates the exception for <paramref name="tenantId"/>.</summary>
    public UnknownTenantException(string tenantId, string message)
        : base(message) => TenantId = tenantId;

    /// <summary>The tenant that was named.</summary>
    public string TenantId { get; }
}
