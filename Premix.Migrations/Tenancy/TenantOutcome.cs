namespace Premix.Migrations;

/// <summary>What an operation across all tenants did for one tenant.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Error">Why it failed; <see langword="null"/> when it succeeded.</param>
/// <param name="Changes">What it changed: the statements a sync ran, or the migrations applied.</param>
public sealed record TenantOutcome(string TenantId, Exception? Error, int Changes)
{
    /// <summary>Whether the tenant's run succeeded.</summary>
    public bool Succeeded => Error is null;
}
