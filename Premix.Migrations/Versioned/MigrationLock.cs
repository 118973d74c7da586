using System.Data;
using System.Data.Common;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>
/// Takes and releases the migration lock an engine's <see cref="IMigrationDialect"/> describes, running its statements
/// through the executor on the migrator's connection (operation <c>MigrationLock</c>).
/// </summary>
internal static class MigrationLock
{
    private const string Operation = "MigrationLock";

    /// <summary>Takes the lock, or throws the <see cref="MigrationException"/> the dialect words when another migrator kept it past <paramref name="timeout"/>.</summary>
    /// <exception cref="DatabaseCommandException">The lock statement failed for another reason.</exception>
    public static async Task AcquireAsync(SqlExecutor executor, IMigrationDialect dialect, DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var acquire = dialect.AcquireLock(connection, timeout);
        object? result = null;
        try
        {
            result = await RunAsync(executor, connection, acquire, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseCommandException e) when (dialect.LockNotTaken(connection, timeout, null, e.InnerException) is { } message)
        {
            throw new MigrationException(message, null, e);
        }
        finally
        {
            if (dialect.AfterAcquireLock is { } after && connection.State == ConnectionState.Open)
            {
                await BestEffortAsync(executor, connection, after).ConfigureAwait(false);
            }
        }

        if (acquire.ReturnsResult && dialect.LockNotTaken(connection, timeout, result, null) is { } notTaken)
        {
            throw new MigrationException(notTaken);
        }
    }

    /// <summary>Throws the dialect's <see cref="IMigrationDialect.LockLost"/> when its check says this session no longer holds the lock.</summary>
    public static async Task VerifyHeldAsync(SqlExecutor executor, IMigrationDialect dialect, DbConnection connection, CancellationToken cancellationToken)
    {
        if (dialect.VerifyLock(connection) is not { } verify)
        {
            return;
        }

        var held = await RunAsync(executor, connection, verify, cancellationToken).ConfigureAwait(false);
        if (held is null or DBNull || Convert.ToInt64(held, System.Globalization.CultureInfo.InvariantCulture) != 1)
        {
            throw new MigrationException(dialect.LockLost(connection));
        }
    }

    /// <summary>Releases the lock; when that fails, runs the dialect's fallback (and lets it abandon the session) before reporting the failure.</summary>
    /// <exception cref="DatabaseCommandException">Releasing failed (on SQLite, the run's COMMIT).</exception>
    public static async Task ReleaseAsync(SqlExecutor executor, IMigrationDialect dialect, DbConnection connection)
    {
        try
        {
            await RunAsync(executor, connection, dialect.ReleaseLock(connection), CancellationToken.None).ConfigureAwait(false);
        }
        catch (DatabaseCommandException) when (dialect.ReleaseFailed is { } fallback)
        {
            if (!await BestEffortAsync(executor, connection, fallback).ConfigureAwait(false))
            {
                dialect.AbandonSession(connection);
            }

            throw;
        }
    }

    private static async Task<object?> RunAsync(SqlExecutor executor, DbConnection connection, MigrationLockStatement statement, CancellationToken cancellationToken)
    {
        var parameters = statement.Parameters.Count == 0 ? null : new StatementValues(statement.Parameters.Select(p => (p.Key, p.Value)).ToArray());
        return statement.ReturnsResult
            ? await executor.ScalarAsync(connection, null, Operation, statement.Sql, parameters, cancellationToken, statement.TimeoutSeconds).ConfigureAwait(false)
            : await executor.ExecuteAsync(connection, null, Operation, statement.Sql, parameters, cancellationToken, statement.TimeoutSeconds).ConfigureAwait(false);
    }

    /// <summary>Runs a statement whose failure must not hide the error being reported; whether it ran.</summary>
    private static async Task<bool> BestEffortAsync(SqlExecutor executor, DbConnection connection, MigrationLockStatement statement)
    {
        try
        {
            await RunAsync(executor, connection, statement, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (DatabaseCommandException)
        {
            // A broken connection has no session left to reset or roll back; the error that broke it is the one to report.
            return false;
        }
    }
}
