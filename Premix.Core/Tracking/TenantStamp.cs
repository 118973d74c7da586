using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// The tenant column of a commit's writes (<c>HasTenantColumn</c>), before anything is sent: an insert without a tenant gets
/// the unit of work's (recorded in the undo log, so a failed commit clears it again); an insert, update or delete carrying
/// another tenant is refused, as is an upsert whose conflict target could match another tenant's row.
/// </summary>
internal static class TenantStamp
{
    /// <exception cref="TenantRequiredException">A shared table is written without a tenant (no <c>TenantColumn()</c> tenancy).</exception>
    /// <exception cref="TenantMismatchException">An entity carries another tenant.</exception>
    /// <exception cref="InvalidOperationException">An upsert's conflict target does not include the tenant column.</exception>
    public static void Apply(List<WriteOperation> operations, string? tenant, UndoLog undo)
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

            if (operation.Entry.Upsert is { } upsert && !plan.Upserts.TargetProperties(upsert.Target).Contains(column))
            {
                throw new InvalidOperationException($"{plan.Entity.Name} is upserted on a conflict target without its tenant column {name}, so the conflict could match another tenant's row; nothing was sent. Upsert on a unique index that includes {column.Property.Name} (on: x => new {{ x.{column.Property.Name}, x.Code }}), or a key that does.");
            }

            var value = plan.GetTenant!(entity) as string;
            if (operation.Kind is WriteKind.Insert or WriteKind.Upsert && string.IsNullOrEmpty(value))
            {
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
