using System.Data.Common;
using Premix.Execution;

namespace Premix.Tenancy;

/// <summary>
/// A raw statement's session outside a unit of work, for one tenant: while the statement runs it holds the tenant (which
/// is then not closed) and runs on the tenant's standalone session, a pooled connection of the tenant's own per statement.
/// </summary>
internal sealed class TenantSession(TenantDatabases tenants, string tenantId) : ISqlSession
{
    private readonly Lock _gate = new();
    private TenantEntry? _entry;
    private int _uses;

    public SqlExecutor Executor => Entry.Executor;

    public DbTransaction? Transaction => null;

    public bool CanRetryReads => true;

    private TenantEntry Entry => _entry ?? throw new InvalidOperationException("A tenant's raw statement used its session outside Enter/Leave.");

    public SessionUsage Enter()
    {
        lock (_gate)
        {
            if (_uses == 0)
            {
                _entry = tenants.Lease(tenantId);
            }

            _uses++;
        }

        try
        {
            _entry!.Standalone.Enter();
        }
        catch
        {
            Leave();
            throw;
        }

        return new SessionUsage(this);
    }

    public void Leave()
    {
        lock (_gate)
        {
            if (--_uses == 0)
            {
                tenants.Release(_entry!);
                _entry = null;
            }
        }
    }

    public ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken) => Entry.Standalone.AcquireAsync(async, cancellationToken);

    public ValueTask<DbTransaction?> WriteTransactionAsync(bool async, CancellationToken cancellationToken) => Entry.Standalone.WriteTransactionAsync(async, cancellationToken);

    public ValueTask ReleaseAsync(bool async, DbConnection connection) => Entry.Standalone.ReleaseAsync(async, connection);

    public bool TryGetOpenConnection(out DbConnection connection) => Entry.Standalone.TryGetOpenConnection(out connection);

    public ValueTask DiscardAsync(bool async, DbConnection connection) => Entry.Standalone.DiscardAsync(async, connection);
}
