using System.Data.Common;
using Premix.Diagnostics;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>Runs each statement on a pooled connection of its own, outside any unit of work.</summary>
internal sealed class StandaloneSession(IDatabaseProvider provider, SqlExecutor executor) : ISqlSession
{
    private volatile bool _closed;

    public SqlExecutor Executor => executor;

    /// <summary>Refuses every later statement: the Premix instance that owns the session was disposed.</summary>
    public void Close() => _closed = true;

    // Every statement has a connection of its own, so any number may run at once; only a closed Premix refuses.
    public SessionUsage Enter()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(nameof(IPremix), "This Premix instance was disposed, and with it the connections it opened. Run the statement before disposing it, or on a Premix instance that is still in use.");
        }

        if (StatementRecording.IsActive)
        {
            StatementRecording.Entered(this);
        }

        return default;
    }

    public void Leave()
    {
    }

    public DbTransaction? Transaction => null;

    public ValueTask<DbTransaction?> WriteTransactionAsync(bool async, CancellationToken cancellationToken) => ValueTask.FromResult<DbTransaction?>(null);

    public bool CanRetryReads => true;

    public bool TryGetOpenConnection(out DbConnection connection)
    {
        connection = null!;
        return false; // every statement opens its own
    }

    // Every connection is disposed when released, never handed out twice.
    public ValueTask DiscardAsync(bool async, DbConnection connection) => ValueTask.CompletedTask;

    public async ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = provider.CreateConnection();
        try
        {
            await ConnectionOpener.OpenAsync(async, connection, provider, cancellationToken).ConfigureAwait(false);
            executor.Retries.Reached();
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Telemetry.ConnectionHeld(executor.Telemetry, +1);
        return connection;
    }

    public async ValueTask ReleaseAsync(bool async, DbConnection connection)
    {
        Telemetry.ConnectionHeld(executor.Telemetry, -1);
        if (async)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            connection.Dispose();
        }
    }
}
