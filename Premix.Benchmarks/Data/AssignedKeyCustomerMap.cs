using Premix.Mapping;

namespace Premix.Benchmarks.Data;

/// <summary>
/// <see cref="Customer"/> with keys the application assigns: rows that need no key read back, which MariaDB's bulk path
/// (<c>MySqlBulkCopy</c>) takes, where rows with a generated key keep the many-row INSERT (issue 17 item 4).
/// </summary>
public sealed class AssignedKeyCustomerMap : ModelConfiguration<Customer>
{
    public override void Configure(EntityBuilder<Customer> e)
    {
        e.ToTable("customers");
        e.HasKey(x => x.Id).IsClientAssigned();
    }
}
