using System.Data;
using System.Data.Common;
using Premix.Execution;
using Premix.Providers;
using Premix.Replicas;

namespace Premix.Tracking;

/// <summary>
/// Read-your-writes with read replicas: COMMIT reads the primary's position in its own round trip, and the unit of work's
/// later reads carry it, so a replica serves them only once it has replayed the commit.
/// </summary>
internal sealed partial class UnitOfWork
{
    private ReadYourWritesToken? _readAfter;

    // Set on a unit of work whose reads must see the primary: the VerifyCommitWith check (a replica may not have replayed
    // the commit it looks for yet), or a scope whose last commit landed but whose position could not be read.
    private bool _readsOnPrimary;

    // Set on the VerifyCommitWith check only: each connection it opens must reach a server that takes writes, not a standby
    // that may not have applied the COMMIT yet (IDatabaseProvider.WritableServerCheckSql).
    private bool _readsWritableServer;

    public ReadYourWritesToken? ReadYourWrites
    {
        get
        {
            ThrowIfDisposed();
            return _readAfter;
        }
    }

    public ReadYourWritesToken? ReadPosition => _readAfter;

    // An Include's or a stream's statements share the held connection (on the primary); a test scope's lease is its own;
    // a unit of work that lost its transaction refuses every statement on the primary path.
    public bool ReadsMayGoToReplicas => Transaction is null && _holds == 0 && _ambient is null && !_transactionLost && !_readsOnPrimary;

    void IUnitOfWork.ReadAfter(ReadYourWritesToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        ThrowIfDisposed();
        if (runtime.Provider is IReadReplicaProvider engine)
        {
            ReplicaRouter.CheckScheme(engine, token);
        }

        _readAfter = ReadYourWritesToken.Later(_readAfter, token);
    }

    /// <summary>
    /// Sends COMMIT and the read of the primary's position as one batch: one round trip, as COMMIT alone takes. The
    /// position is read after COMMIT on the same connection, so it is at or past the end of the commit record (a position
    /// read before COMMIT, or the flushed position under <c>synchronous_commit=off</c>, could be short of it). The driver
    /// sees the transaction end from the server's answer, so disposing it afterwards sends nothing.
    /// </summary>
    private async ValueTask CommitReadingPositionAsync(bool async, DbTransaction transaction, ReplicaRouter replicas)
    {
        var batch = transaction.Connection!.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Transaction = transaction;
            foreach (var sql in (ReadOnlySpan<string>)["COMMIT", replicas.CommitPositionSql])
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                command.CommandType = CommandType.Text;
                batch.BatchCommands.Add(command);
            }

            // Once ExecuteReader returns, COMMIT has been answered, and not with an error (which it would throw): the commit
            // landed. So it did when the error can only be the position statement's (IsPositionReadFailure): drivers throw
            // that from ExecuteReader without naming the statement. A failure after that (no position, or not one) must not
            // report the commit failed, nor have it retried: the scope's reads stay on the primary until a later commit
            // reads its position.
            var committed = false;
            object? position = null;
            try
            {
                var reader = async ? await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false) : batch.ExecuteReader();
                committed = true;
                await using (reader.ConfigureAwait(false))
                {
                    do
                    {
                        if (async ? await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) : reader.Read())
                        {
                            position = reader.GetValue(0);
                        }
                    }
                    while (async ? await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false) : reader.NextResult());
                }

                // An empty position (nothing written to wait for) does not cover an earlier commit whose position went
                // unread: only a position lifts the primary-only state.
                if (replicas.Position(position) is { } token)
                {
                    _readAfter = ReadYourWritesToken.Later(_readAfter, token);
                    _readsOnPrimary = false;
                }
            }
            catch (Exception e) when (committed || replicas.IsPositionReadFailure(e))
            {
                _readsOnPrimary = true;
                replicas.PositionUnread(e);
            }
        }
    }
}
