using System.Data.Common;
using Premix.Execution;

namespace Premix.Testing;

/// <summary>
/// A transactional test on a real database that survives commits: while the scope is active, every unit of work and
/// raw statement of one Premix instance runs on the scope's connection inside its outer transaction; a unit of work's
/// BEGIN becomes <c>SAVEPOINT premix_n</c>, its COMMIT <c>RELEASE SAVEPOINT</c>, a failed commit's rollback
/// <c>ROLLBACK TO SAVEPOINT</c>, and disposing the scope rolls everything back.
/// </summary>
/// <remarks>
/// <para>
/// <c>await using var scope = await PremixTestScope.BeginAsync(premix);</c> at the start of a test. Units of work and
/// <c>premix.Raw</c> statements begun in the test's async flow (and in tasks it starts) join the scope; those of
/// other flows do not, so tests in parallel each see only their own rows. An in-process web server's requests run in
/// flows of their own: <see cref="BeginSharedAsync"/> makes the scope every flow's, for a test that owns its app.
/// </para>
/// <para>
/// The connection runs one statement at a time: a statement waits while another flow's statement or transaction has it
/// (parallel requests are serialized), and fails with a message after 15 seconds. Schema changes (<c>SyncAsync</c>,
/// <c>MigrateAsync</c>) use connections of their own and are not rolled back; an isolation level asked of a unit of
/// work does not apply (a savepoint runs at the scope's level, the engine's default).
/// </para>
/// </remarks>
public sealed class PremixTestScope : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly AmbientConnection _ambient;
    private readonly IPremix _premix;
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private bool _disposed;

    private PremixTestScope(AmbientConnection ambient, IPremix premix)
    {
        _ambient = ambient;
        _premix = premix;
    }

    /// <summary>The scope's open connection, for plain SQL in the test while the code under test is not running (pass <see cref="Transaction"/> with every command).</summary>
    public DbConnection Connection => _connection ?? throw new InvalidOperationException("The scope has not started.");

    /// <summary>The outer transaction that every statement of the scope runs in and that disposing the scope rolls back.</summary>
    public DbTransaction Transaction => _transaction ?? throw new InvalidOperationException("The scope has not started.");

    /// <summary>
    /// Opens a connection and an outer transaction, and makes them the ones of <paramref name="premix"/> in the caller's
    /// async flow until the scope is disposed.
    /// </summary>
    /// <param name="premix">The Premix instance under test (one built by <c>PremixFactory.Create</c> or <c>AddPremix</c>).</param>
    /// <param name="cancellationToken">Cancels opening the connection.</param>
    /// <exception cref="ArgumentException"><paramref name="premix"/> is not a Premix database (a fake).</exception>
    /// <exception cref="TestScopeException">The transaction could not begin (on SQLite: another scope holds the database's write lock).</exception>
    public static Task<PremixTestScope> BeginAsync(IPremix premix, CancellationToken cancellationToken = default)
    {
        // Not async: the flow's value set here must reach the caller, which an async method's own flow would not let it.
        var ambient = AmbientConnection.EnterFlow(ExecutorOf(premix), Wait);
        return StartAsync(new PremixTestScope(ambient, premix), cancellationToken);
    }

    /// <summary>
    /// Like <see cref="BeginAsync"/>, but the scope is every flow's for <paramref name="premix"/>: requests of an
    /// in-process ASP.NET Core server (which do not run in the test's flow) join it too. For a test that owns its app and
    /// its Premix instance; tests that share an instance cannot run in parallel with it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another shared scope is active on <paramref name="premix"/>.</exception>
    /// <exception cref="TestScopeException">The transaction could not begin.</exception>
    public static Task<PremixTestScope> BeginSharedAsync(IPremix premix, CancellationToken cancellationToken = default) =>
        StartAsync(new PremixTestScope(AmbientConnection.Share(ExecutorOf(premix), Wait), premix), cancellationToken);

    /// <summary>Rolls back everything done in the scope, once its last statement has finished, and closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        _ambient.End(); // not async, so the caller's flow leaves the scope here
        return RollBackAsync();
    }

    private static async Task<PremixTestScope> StartAsync(PremixTestScope scope, CancellationToken cancellationToken)
    {
        try
        {
            var provider = scope._premix.Provider;
            scope._connection = provider.CreateConnection();
            await ConnectionOpener.OpenAsync(true, scope._connection, provider, cancellationToken).ConfigureAwait(false);
            try
            {
                scope._transaction = await scope._connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                throw new TestScopeException(
                    $"The test scope could not begin its transaction on the {provider.Name} database: {e.Message} On SQLite a scope holds the database's write lock from its start to its end, so a second scope on the same file waits for the first (up to the connection's Default Timeout) and then fails here: give each parallel test a database of its own (PremixTestDatabase.CreateSqliteInMemoryAsync).",
                    e);
            }

            scope._ambient.Start(scope._connection, scope._transaction);
            return scope;
        }
        catch
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask RollBackAsync()
    {
        // A statement still running (a request the test did not wait for) finishes first: the connection runs one at a time.
        var idle = await _ambient.WaitIdleAsync().ConfigureAwait(false);
        Exception? rollbackError = null;
        try
        {
            if (_transaction is not null)
            {
                await _transaction.RollbackAsync().ConfigureAwait(false);
                await _transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!idle && e is DbException or InvalidOperationException)
        {
            rollbackError = e; // the statement still running is in the way; closing the connection ends the transaction
        }
        finally
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (!idle)
        {
            throw new TestScopeException(
                "The test scope ended while a statement of the code under test was still running on its connection 15 seconds later; the scope's transaction was rolled back and its connection closed. Await the code under test (or its HTTP requests) before the scope ends.",
                rollbackError);
        }
    }

    private static SqlExecutor ExecutorOf(IPremix premix)
    {
        ArgumentNullException.ThrowIfNull(premix);
        return premix is PremixDatabase database
            ? database.Executor
            : throw new ArgumentException($"A test scope needs a Premix database built by PremixFactory.Create or AddPremix, not a {premix.GetType().Name}: it runs the real statements on a real connection.", nameof(premix));
    }
}
