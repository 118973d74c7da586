using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Premix.Execution;
using Premix.Plans;
using Premix.Repositories;

namespace Premix.Tracking;

/// <summary>The unit of work: one connection for the scope, pending writes, and the commit that sends them in one transaction.</summary>
internal sealed class UnitOfWork(PremixRuntime runtime, SqlExecutor executor, ILogger logger) : IUnitOfWork, ISqlSession
{
    private readonly List<PendingWrite> _pending = [];
    private readonly Dictionary<Type, object> _repositories = [];
    private DbConnection? _connection;
    private bool _disposed;

    public bool HasPendingChanges => _pending.Count > 0;

    public SqlExecutor Executor => executor;

    public DbTransaction? Transaction { get; private set; }

    internal PremixRuntime Runtime => runtime;

    public IRepository<T> Repository<T>()
        where T : class
    {
        if (!_repositories.TryGetValue(typeof(T), out var repository))
        {
            repository = new Repository<T>(this);
            _repositories.Add(typeof(T), repository);
        }

        return (IRepository<T>)repository;
    }

    public RawQuery Raw(string sql, object? args = null) => new(this, sql, args);

    internal void Enqueue(WriteKind kind, object entity, EntityPlan plan)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(entity);
        _pending.Add(new PendingWrite(kind, entity, plan));
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => CommitAsync(true, cancellationToken).AsTask();

    public void Commit() => CommitAsync(false, CancellationToken.None).GetAwaiter().GetResult();

    private async ValueTask CommitAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pending.Count == 0)
        {
            return;
        }

        var writes = _pending.ToArray();
        EntityValidator.ThrowIfInvalid(writes);
        RunHooks(writes, before: true);

        var connection = await AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        var transaction = async ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : connection.BeginTransaction();
        var generatedKeys = new List<(PendingWrite Write, object Key)>();
        Transaction = transaction;
        try
        {
            foreach (var write in writes)
            {
                if (await SendAsync(async, connection, transaction, write, cancellationToken).ConfigureAwait(false) is { } key)
                {
                    generatedKeys.Add((write, key));
                }
            }

            if (async)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                transaction.Commit();
            }
        }
        catch (Exception e)
        {
            // Some engines undo only the failing statement and keep the transaction open: never let it commit.
            await RollBackQuietlyAsync(async, transaction).ConfigureAwait(false);
            Log.RolledBack(logger, e.GetType().Name);
            throw;
        }
        finally
        {
            Transaction = null;
            await transaction.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var (write, key) in generatedKeys)
        {
            var property = write.Plan.Entity.GeneratedKey!;
            write.Plan.SetGeneratedKey!(write.Entity, Convert.ChangeType(key, property.ValueType, CultureInfo.InvariantCulture));
        }

        _pending.Clear();
        Log.Committed(logger, writes.Count(w => w.Kind == WriteKind.Insert), writes.Count(w => w.Kind == WriteKind.Update), writes.Count(w => w.Kind == WriteKind.Delete));
        RunHooks(writes, before: false);
    }

    private async ValueTask<object?> SendAsync(bool async, DbConnection connection, DbTransaction transaction, PendingWrite write, CancellationToken cancellationToken)
    {
        var plan = write.Plan;
        var statement = write.Kind switch
        {
            WriteKind.Insert => plan.Insert,
            WriteKind.Update => plan.Update,
            _ => plan.Delete,
        };
        var command = new Command(statement.Name, plan.Entity.Name, statement.Sql, EntityParameters.ForEntity(statement, write.Entity));
        if (write.Kind == WriteKind.Insert && plan.SetGeneratedKey is not null)
        {
            return await executor.ScalarAsync<object>(async, connection, transaction, command, cancellationToken).ConfigureAwait(false)
                ?? throw new PremixException($"Insert of {plan.Entity.Name} returned no generated key. Check that {plan.Entity.GeneratedKey!.Column} is an identity/auto-increment column.");
        }

        var rows = await executor.ExecuteAsync(async, connection, transaction, command, cancellationToken).ConfigureAwait(false);
        if (write.Kind != WriteKind.Insert && rows == 0)
        {
            throw new ConcurrencyException(statement.Name, plan.Entity.ClrType, KeyText.Describe(plan, write.Entity));
        }

        return null;
    }

    private static void RunHooks(PendingWrite[] writes, bool before)
    {
        foreach (var write in writes)
        {
            var hooks = write.Plan.Entity.Hooks;
            var list = (write.Kind, before) switch
            {
                (WriteKind.Insert, true) => hooks.BeforeInsertHooks,
                (WriteKind.Insert, false) => hooks.AfterInsertHooks,
                (WriteKind.Update, true) => hooks.BeforeUpdateHooks,
                (WriteKind.Update, false) => hooks.AfterUpdateHooks,
                (WriteKind.Delete, true) => hooks.BeforeDeleteHooks,
                _ => hooks.AfterDeleteHooks,
            };
            foreach (var hook in list)
            {
                hook(write.Entity);
            }
        }
    }

    private static async ValueTask RollBackQuietlyAsync(bool async, DbTransaction transaction)
    {
        try
        {
            if (async)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                transaction.Rollback();
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection is broken or the server already ended the transaction: either way nothing was committed.
        }
    }

    public async ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _connection ??= runtime.Provider.CreateConnection();
        if (_connection.State != ConnectionState.Open)
        {
            if (async)
            {
                await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _connection.Open();
            }
        }

        return _connection;
    }

    // The unit of work keeps its connection for the whole scope.
    public ValueTask ReleaseAsync(bool async, DbConnection connection) => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _pending.Clear();
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _pending.Clear();
            _connection?.Dispose();
        }
    }
}
