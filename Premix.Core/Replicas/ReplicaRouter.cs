using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Replicas;

/// <summary>
/// Chooses where a read outside a transaction runs: a read replica that is up, not too far behind, and (for a read that
/// carries a <see cref="ReadYourWritesToken"/>) has replayed the token's position; otherwise the primary. A replica that
/// fails, or a read that fails on it, is skipped for a while and the read runs elsewhere. Never decides by time since a
/// write: only by positions the servers report.
/// </summary>
/// <remarks>
/// The check costs one sub-millisecond query on the replica, on the connection the read then uses, and none when the
/// position the replica was last seen at already covers the token. Each decision is logged (Debug), counted
/// (<see cref="PremixDiagnostics.ReadRoutes"/>) and put on a span whose children are the read's statements.
/// </remarks>
internal sealed class ReplicaRouter(IReadReplicaProvider engine, IReadOnlyList<ReplicaServer> servers, ReadReplicaOptions options, SqlExecutor primary, ILogger logger) : IAsyncDisposable, IDisposable
{
    private readonly RowReader _statusRow = RowReader.Compiled(reader => engine.ReadReplicaStatus(reader));
    private readonly ReplicaServer[] _servers = [.. servers];
    private readonly long _maxWait = (long)(options.MaxWait.TotalSeconds * Stopwatch.Frequency);
    private readonly double _maxLagSeconds = options.MaxLag.TotalSeconds;
    private readonly long _recheck = (long)(options.RecheckInterval.TotalSeconds * Stopwatch.Frequency);
    private readonly int _probeSeconds = options.ProbeTimeoutSeconds;
    private readonly string _primaryAddress = primary.Telemetry.Target.ServerPort is { } port ? $"{primary.Telemetry.Target.ServerAddress}:{port}" : primary.Telemetry.Target.ServerAddress ?? "(unknown)";
    private int _next;
    private int _noPositionSaid;

    /// <summary>What follows COMMIT in its round trip to read the primary's position (<see cref="IReadReplicaProvider.CommitPositionSql"/>).</summary>
    public string CommitPositionSql => engine.CommitPositionSql;

    /// <summary>Whether the COMMIT batch's <paramref name="error"/> came from the position's statement (<see cref="IReadReplicaProvider.IsPositionReadFailure"/>).</summary>
    public bool IsPositionReadFailure(Exception error) => engine.IsPositionReadFailure(error);

    /// <summary>
    /// Logs that a commit landed but its position was not read (<paramref name="error"/>). A primary without positions
    /// (<see cref="IsPositionReadFailure"/>: Oracle MySQL has no <c>@@last_gtid</c>) answers so on every commit: that is said
    /// once, clearly, not at every commit; its units of work then read from the primary, as after any unread position.
    /// </summary>
    public void PositionUnread(Exception error)
    {
        if (!engine.IsPositionReadFailure(error))
        {
            Log.CommitPositionUnread(logger, error.Message);
        }
        else if (Interlocked.Exchange(ref _noPositionSaid, 1) == 0)
        {
            Log.CommitPositionUnread(logger, $"the primary {_primaryAddress} gives no position ({error.Message}). It is not a server whose positions Premix reads (on MySQL: MariaDB only; Oracle MySQL has no @@last_gtid), so a unit of work that commits reads from the primary from then on. Said once; docs/scale-out.md, \"Oracle MySQL\"");
        }
    }

    /// <summary>Runs <paramref name="read"/> on a replica that may serve it, or on the primary through <paramref name="session"/>.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> ReadAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionStatement<TResult, TState> read, CancellationToken cancellationToken)
    {
        var token = session.ReadPosition;
        using var activity = Telemetry.Source.HasListeners() ? Telemetry.Source.StartActivity("route read", ActivityKind.Internal) : null;
        var why = "no replica configured";
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)_servers.Length);
        var deadline = long.MinValue; // one wait for the token per read, however many replicas it tries
        for (var i = 0; i < _servers.Length; i++)
        {
            var server = _servers[(start + i) % _servers.Length];
            var now = Stopwatch.GetTimestamp();
            if (server.IsSkipped(now, _recheck))
            {
                why = server.SkipReason;
                continue;
            }

            // A token the position seen recently covers needs no check; a read without one needs a recent lag check.
            var known = token is null ? server.LagIsFresh(now, _recheck) : server.SeenToCover(token, now, _recheck);
            var connection = server.Provider.CreateConnection();
            try
            {
                await ConnectionOpener.OpenAsync(async, connection, server.Provider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DatabaseConnectionException or ConnectionPoolExhaustedException)
            {
                await DisposeAsync(async, connection).ConfigureAwait(false);
                if (e is ConnectionPoolExhaustedException)
                {
                    why = "replica pool exhausted"; // busy, not down: tried again by the next read
                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                why = Skip(server, "replica down", e.Message);
                continue;
            }

            try
            {
                if (!known)
                {
                    if (deadline == long.MinValue)
                    {
                        deadline = now + _maxWait;
                    }

                    string? behind;
                    try
                    {
                        behind = await CheckAsync(async, server, connection, token, deadline, cancellationToken).ConfigureAwait(false);
                    }
                    catch (DatabaseCommandException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        // A replica that does not answer within ProbeTimeout (hung, overloaded, cut off) or drops the
                        // connection is passed over as a down one. A status it refuses to give (the user lacks the privilege,
                        // or the server has no such status: Oracle MySQL has no SHOW ALL SLAVES STATUS nor Gtid_Slave_Pos) will not
                        // be given to the next read either: the same, with another reason. Decided by the answer, never by the
                        // version the server announces (a proxy announces its own).
                        why = e.CommandTimedOut || e.ErrorKind == DatabaseErrorKind.ConnectionLost
                            ? Skip(server, "replica not answering", string.Create(CultureInfo.InvariantCulture, $"its status query got no answer within ProbeTimeout ({_probeSeconds} s) or lost the connection: {e.Message}"))
                            : Skip(server, "replica status unreadable", $"its status query failed ({e.ErrorKind}; the replica's user may lack the privilege it needs, or the server has no replica status Premix can read: on MySQL, MariaDB only, Oracle MySQL has no Gtid_Slave_Pos; docs/scale-out.md): {e.Message}");
                        continue;
                    }

                    if (behind is not null)
                    {
                        why = behind;
                        continue;
                    }
                }

                var result = await read(server.Executor, async, connection, null, state, cancellationToken).ConfigureAwait(false);
                server.Recovered();
                Routed(activity, "replica", server.Provider.Target, server.Address, token is null ? known ? "no token, lag checked recently" : "no token, lag checked now" : known ? "token met by the position seen recently" : "token met");
                return result;
            }
            catch (DatabaseCommandException e) when (e.ReadOnlyRefusal)
            {
                throw new ReplicaWriteException(server.Address, e.Sql, e);
            }
            catch (DatabaseCommandException e) when (e.CommandTimedOut)
            {
                // A read that ran out of time on the replica is not run again on the primary (it may be as slow there, and
                // the caller's time is spent); the replica, maybe hung, is passed over for a while.
                Skip(server, "replica timed out", e.Message);
                throw;
            }
            catch (DatabaseCommandException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever failed on the replica is tried on the next server or the primary, the source of truth; a lost
                // connection also takes the replica out for a while. Only reads come here, so running one again is safe.
                why = e.ErrorKind == DatabaseErrorKind.ConnectionLost || connection.State != System.Data.ConnectionState.Open
                    ? Skip(server, "replica failed mid-read", e.Message)
                    : "the read failed on the replica: " + e.ErrorKind;
            }
            finally
            {
                await DisposeAsync(async, connection).ConfigureAwait(false);
            }
        }

        Routed(activity, "primary", primary.Telemetry.Target, _primaryAddress, why);
        return await primary.ReadOnPrimaryAsync(async, session, state, read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the position COMMIT returned (<see cref="CommitPositionSql"/>) as a token; <see langword="null"/> for an empty
    /// one (MariaDB's <c>@@last_gtid</c> of a session that wrote nothing to the binlog: there is nothing to wait for).
    /// </summary>
    /// <exception cref="InvalidOperationException">The primary returned no position, or not one of its engine.</exception>
    public ReadYourWritesToken? Position(object? value) => value switch
    {
        "" when engine.PositionScheme == ReadYourWritesToken.GtidScheme => null,
        string text => ReadYourWritesToken.FromPosition(engine.PositionScheme, text) ?? throw new InvalidOperationException($"The primary returned '{text}' after COMMIT, which is not a position ({engine.PositionScheme})."),
        _ => throw new InvalidOperationException("The primary returned no position after COMMIT."),
    };

    /// <summary>Refuses a token of another engine (<see cref="IUnitOfWork.ReadAfter"/>): its position means nothing to these servers.</summary>
    /// <exception cref="ArgumentException"><paramref name="token"/> is not of <paramref name="engine"/>'s scheme.</exception>
    public static void CheckScheme(IReadReplicaProvider engine, ReadYourWritesToken token)
    {
        if (token.Scheme != engine.PositionScheme)
        {
            throw new ArgumentException(
                $"The read-your-writes token '{token}' is a {Describe(token.Scheme)} position, but this Premix's primary is {Describe(engine.PositionScheme)}: "
                + "a token is only meaningful to the servers it was read from. Give ReadAfter tokens from this Premix's units of work (ReadYourWrites).",
                nameof(token));
        }

        static string Describe(string scheme) => scheme switch
        {
            ReadYourWritesToken.LsnScheme => "PostgreSQL (lsn)",
            ReadYourWritesToken.GtidScheme => "MariaDB (gtid)",
            _ => $"'{scheme}'",
        };
    }

    /// <summary>
    /// Checks the replica's position and lag on <paramref name="connection"/> (waiting up to <see cref="ReadReplicaOptions.MaxWait"/>
    /// for a token's position); returns why it cannot serve the read, or <see langword="null"/> when it can.
    /// </summary>
    private async ValueTask<string?> CheckAsync(bool async, ReplicaServer server, DbConnection connection, ReadYourWritesToken? token, long deadline, CancellationToken cancellationToken)
    {
        var pause = 1;
        while (true)
        {
            var rows = await server.Executor.ReadRowsAsync<(string? Position, double Lag)>(async, connection, null, new Command("ReplicaStatus", null, engine.ReplicaStatusSql, null, _probeSeconds), _statusRow, 1, cancellationToken).ConfigureAwait(false);
            var (text, lag) = rows.Count == 1 ? rows[0] : (null, 0d);
            var now = Stopwatch.GetTimestamp();
            if (text is null || ReadYourWritesToken.FromPosition(engine.PositionScheme, text) is not { } replayed)
            {
                return Skip(server, "not a replica", $"it reports no replayed position ({(text is null ? "it is not replicating from a primary" : $"'{text}'")})");
            }

            if (lag < 0)
            {
                return Skip(server, "replica not streaming", "it receives nothing from its primary: cut off, it may be behind by any amount");
            }

            server.SawReplayed(replayed, now);
            server.Recovered();
            var lagOk = lag <= _maxLagSeconds;
            if (lagOk)
            {
                server.LagOk(now);
            }

            if (token is null)
            {
                return lagOk ? null : Skip(server, "replica lagging", string.Create(CultureInfo.InvariantCulture, $"{lag:0.#} s behind, more than MaxLag ({_maxLagSeconds:0.#} s)"));
            }

            // A replica that has replayed the token's position serves the read, however far behind the primary it is now.
            if (token.IsCoveredBy(replayed))
            {
                return null;
            }

            if (now >= deadline)
            {
                return _maxWait == 0 ? "replica behind the token" : "replica still behind the token after the wait";
            }

            if (async)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Thread.Sleep(pause);
            }

            pause = Math.Min(pause * 2, 4); // 1, 2, 4, 4... ms
        }
    }

    // The reason is one of a few fixed phrases (a metric tag); the detail goes to the log only.
    private string Skip(ReplicaServer server, string reason, string detail)
    {
        server.Skip(reason, _recheck);
        Log.ReplicaSkipped(logger, server.Address, reason, options.RecheckInterval.TotalSeconds, detail);
        return reason;
    }

    private void Routed(Activity? activity, string target, DatabaseTarget server, string address, string reason)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("server.address", server.ServerAddress);
            activity.SetTag("server.port", server.ServerPort);
            activity.SetTag("premix.read.target", target);
            activity.SetTag("premix.read.reason", reason);
        }

        if (Telemetry.ReadRoutes.Enabled)
        {
            var tags = primary.Telemetry.DatabaseTags();
            tags.Add("premix.read.target", target);
            tags.Add("premix.read.reason", reason);
            Telemetry.ReadRoutes.Add(1, tags);
        }

        Log.ReadRouted(logger, target, address, reason);
    }

    private static ValueTask DisposeAsync(bool async, DbConnection connection)
    {
        if (async)
        {
            return connection.DisposeAsync();
        }

        connection.Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            if (server.Provider is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            (server.Provider as IDisposable)?.Dispose();
        }
    }
}
