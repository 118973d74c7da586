using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>SQLite has no schemas: a schema per tenant is refused at startup, pointing at a file per tenant.</summary>
public sealed class SchemaPerTenantSqliteTests
{
    [Test]
    public void Schema_per_tenant_on_SQLite_is_refused_at_startup()
    {
        Assert.That(
            () => PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:").AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>().UseTenants(t => t.SchemaPerTenant())),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("DatabasePerTenant"));
    }
}
