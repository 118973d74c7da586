using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>
/// Measures statements as the driver will send them where the engine's server refuses one above a configured size
/// (<see cref="IStatementSizeLimit"/>: MySQL and MariaDB), so that Premix refuses such a statement before sending it, with
/// the limit and the setting in the message, instead of the server refusing it and closing the connection.
/// </summary>
/// <remarks>
/// Opening a connection costs nothing more: a statement smaller than the smallest limit any server can have is sent as it
/// is, and the first larger one reads the limit on its connection, which is then kept for the data source. A statement
/// over the kept limit is measured against its own connection's limit, read again, before it is refused: the server
/// applies the value a session started with, so a raised setting reaches Premix through new connections, without a restart.
/// </remarks>
internal sealed class StatementSizeGuard(IStatementSizeLimit engine)
{
    /// <summary>More than any number, date, time or GUID takes as SQL text: what a parameter not measured by its value adds at most.</summary>
    public const long ScalarBound = 64;

    // The limit last read, on any connection of the data source; 0 until the first read.
    private long _limit;

    public IStatementSizeLimit Engine => engine;

    /// <summary>
    /// Whether a statement of at most <paramref name="size"/> bytes fits on any connection without asking: it is smaller
    /// than the limit last read, or than the smallest limit a server can have.
    /// </summary>
    public bool Fits(long size) => size < Math.Max(Volatile.Read(ref _limit), engine.SmallestLimit);

    /// <summary>The size of a statement with its parameters' values: a quick upper bound, or exact.</summary>
    public long Measure(string sql, DbParameterCollection parameters, bool exact)
    {
        var size = engine.TextSize(sql, exact);
        for (var i = 0; i < parameters.Count; i++)
        {
            size += engine.ValueSize(parameters[i].Value, exact);
        }

        return size;
    }

    /// <summary>
    /// The limit that decides a statement of <paramref name="size"/> exact bytes on <paramref name="connection"/>: the limit
    /// kept when the statement fits it, otherwise the connection's own, read now. <see langword="null"/> when the
    /// statement fits without a limit, or the limit could not be read (the server then judges the statement itself).
    /// </summary>
    public async ValueTask<long?> LimitForAsync(bool async, DbConnection connection, DbTransaction? transaction, long size, CancellationToken cancellationToken)
    {
        if (Fits(size))
        {
            return Volatile.Read(ref _limit) is var kept and > 0 ? kept : null;
        }

        long limit;
        try
        {
            limit = async
                ? await engine.ReadLimitAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
                : engine.ReadLimit(connection, transaction);
        }
        catch (Exception e) when (e is DbException or IOException or SocketException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return null; // a broken connection: the statement fails on it as well, and is reported as itself
        }

        Volatile.Write(ref _limit, limit);
        return limit;
    }

    /// <summary>What is wrong with a statement of <paramref name="size"/> bytes under <paramref name="limit"/>, and what to do.</summary>
    public string Describe(long size, long limit) => string.Create(
        CultureInfo.InvariantCulture,
        $"the statement would be {size:N0} bytes as sent, and the server accepts statements smaller than {limit:N0} bytes on this connection ({engine.LimitSetting} = {limit}). Nothing was sent. Send less in one statement, or {RaiseLimit}.");

    /// <summary>The advice every refusal for size ends with: which setting to raise, and when it takes effect.</summary>
    public string RaiseLimit => $"raise {engine.LimitSetting} on the server (connections opened after the change get it)";
}
