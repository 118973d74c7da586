namespace Premix;

/// <summary>
/// A commit would write a row of another tenant into a table shared by tenants (<c>HasTenantColumn</c>): an entity carries
/// a tenant other than the unit of work's. Thrown before any SQL is sent; nothing of the commit is written.
/// </summary>
public sealed class TenantMismatchException : PremixException
{
    /// <summary>Creates the exception with a message that says what to do.</summary>
    public TenantMismatchException(string message)
        : base(message)
    {
    }
}
