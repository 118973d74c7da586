using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// The tenant column of a commit's writes (<c>HasTenantColumn</c>), before anything is sent: a write without a tenant gets
/// the unit of work's (recorded in the undo log, so a failed commit clears it again); an insert, update or delete carrying
/// another tenant is refused, as is an upsert whose conflict target could match another tenant's row, and any upsert on
/// engines whose upsert meets a conflict on any unique key (MySQL, MariaDB), where no target keeps the other tenants' rows out.
/// </summary>
internal static class TenantStamp
{
    /// <exception cref="TenantRequiredException">A shared table is written without a tenant (no <c>TenantColumn()</c> tenancy).</exception>
    /// <exception cref="TenantMismatchException">An entity carries another tenant.</exception>
    /// <exception cref="InvalidOperationException">An upsert's conflict target does not include the tenant column.</exception>
    /// <exception cref="NotSupportedException">An upsert or insert-or-ignore on an engine whose upsert meets any unique key.</exception>
    public static void Apply(List<WriteOperation> operations, string? tenant, bool upsertMeetsAnyUniqueKey, UndoLog undo)
    {
        foreach (var operation in operations)
        {
            var plan = operation.Entry.Plan;
            if (plan.TenantBinding is not { } column)
            {
                continue;
            }

            var entity = operation.Entry.Entity;
            var name = $"{plan.Entity.Name}.{column.Property.Name}";
            if (tenant is null)
            {
                throw new TenantRequiredException($"The commit writes {plan.Entity.Name}, whose table is shared by tenants ({name}), and the unit of work has no tenant, so nothing was sent. Configure UseTenants(t => t.TenantColumn()) and name the tenant (PremixTenant.Begin, or an ITenantResolver).");
            }

            // ON DUPLICATE KEY UPDATE fires on the primary key or any unique index, whatever target is named: an assigned key
            // or a globally unique column of another tenant's row would overwrite that row (and track its key as this tenant's).
            if (operation.Entry.Upsert is not null && upsertMeetsAnyUniqueKey)
            {
                throw new NotSupportedException($"{plan.Entity.Name} is in a table shared by tenants ({name}), and this engine's upsert and insert-or-ignore (ON DUPLICATE KEY) meet a conflict on any unique key of the table, so they could overwrite or adopt another tenant's row; nothing was sent. Read the row in the tenant (Query().Where(…)) and Add or change it instead.");
            }

            if (operation.Entry.Upsert is { } upsert && !plan.Upserts.TargetProperties(upsert.Target).Contains(column))
            {
                throw new InvalidOperationException($"{plan.Entity.Name} is upserted on a conflict target without its tenant column {name}, so the conflict could match another tenant's row; nothing was sent. Upsert on a unique index that includes {column.Property.Name} (on: x => new {{ x.{column.Property.Name}, x.Code }}), or a key that does.");
            }

            var value = plan.GetTenant!(entity) as string;
            if (string.IsNullOrEmpty(value))
            {
                // A new row, or a stub of an update or delete (Remove(new Order { Id = 1 })): the current tenant's, and an
                // update's or delete's WHERE matches it, so a stub of another tenant's key matches no row.
                undo.Set(plan.SetTenant!, entity, value, tenant);
            }
            else if (!string.Equals(value, tenant, StringComparison.Ordinal))
            {
                // The other tenant's identifier is not repeated: it may come from a request and is another tenant's business.
                throw new TenantMismatchException($"A {plan.Entity.Name} to {operation.Kind.ToString().ToLowerInvariant()} carries another tenant in {name} than the unit of work's ('{tenant}'), so nothing of the commit was sent. Leave {column.Property.Name} empty on new rows (Premix sets it), and change rows of another tenant in a unit of work of that tenant.");
            }
        }
    }
}
