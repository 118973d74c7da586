using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Premix.Execution;

/// <summary>
/// The read commands kept on one open connection a session holds (a transaction's, <c>HoldConnectionAsync</c>'s, an
/// in-memory SQLite database's), where the provider keeps them (<see cref="Providers.IDatabaseProvider.KeepsHeldCommands"/>):
/// a statement read again on that connection runs on its command with its parameters' values set again (no command and
/// no parameter made); for a driver that parses a statement once per command object
/// (<see cref="Providers.IDatabaseProvider.KeepsCommandsParsed"/>) without being parsed again; for a server worth preparing
/// a repeated read on (<see cref="Providers.IDatabaseProvider.PreparesRepeatedReads"/>), prepared when it is taken again.
/// Keyed by the statement's text as the plan holds it (one string for the life of the process); at most
/// <see cref="Capacity"/> commands per connection.
/// </summary>
/// <remarks>
/// <para>
/// A command is lent to one statement at a time (taken out while it runs, so a statement nested in another's read gets a
/// command of its own) and given back, its parameters' values dropped, only after it ran without error. When the connection
/// closes, every kept command is disposed (SQLite finalizes their statements then). Statements prepared on a server
/// (MySqlConnector) belong to its session, not to the commands: they stay until the session is reset (the pooled
/// connection's next open) or closed, so at most <see cref="PreparedCapacity"/> texts are prepared per connection.
/// </para>
/// <para>
/// A statement whose text is made per call (a composite key list's) is kept too but never found again; when the
/// connection keeps <see cref="Capacity"/> commands, they are all disposed and keeping starts over, so such statements
/// cannot crowd out the plans' for good (a plan's statement is then parsed once more). A unit of work may be disposed by
/// another thread while a read runs, closing the connection under it: the commands are changed under a lock.
/// </para>
/// </remarks>
internal sealed class HeldCommands
{
    /// <summary>How many statements one connection keeps: more than a unit of work's reads usually take, few enough to stay cheap.</summary>
    public const int Capacity = 64;

    /// <summary>
    /// How many statements Premix prepares on one connection's server session (<see cref="Take"/>): the server
    /// keeps them until the session is reset or closed, and counts them against its global limit.
    /// </summary>
    public const int PreparedCapacity = 64;

    private static readonly ConditionalWeakTable<DbConnection, HeldCommands> ByConnection = new();
    private static readonly ConditionalWeakTable<DbConnection, HeldCommands>.CreateValueCallback Create = static _ => new HeldCommands();

    // Reference equality: a plan's text is one string, so a kept statement is found without hashing its text.
    private readonly Dictionary<string, DbCommand> _idle = new(ReferenceEqualityComparer.Instance);
    private bool _watching; // subscribed to the connection's StateChange (on the first command kept)
    private HashSet<string>? _prepareAsked; // the texts whose preparing was asked since the connection opened

    /// <summary>
    /// The command kept for <paramref name="sql"/> on <paramref name="connection"/>, taken out until <see cref="GiveBack"/>;
    /// <see langword="null"/> when none is. With <paramref name="mayPrepare"/>, <paramref name="prepare"/> says whether to
    /// prepare that command now: once per text and connection (asked again, the driver would find it prepared, or fail the
    /// same way), and only for the first <see cref="PreparedCapacity"/> texts; forgotten when the connection closes, since
    /// the provider prepares only where the next open resets the session.
    /// </summary>
    public static DbCommand? Take(DbConnection connection, string sql, bool mayPrepare, out bool prepare)
    {
        prepare = false;
        if (!ByConnection.TryGetValue(connection, out var held))
        {
            return null;
        }

        lock (held._idle)
        {
            if (!held._idle.Remove(sql, out var command))
            {
                return null;
            }

            if (mayPrepare)
            {
                held._prepareAsked ??= new HashSet<string>(ReferenceEqualityComparer.Instance);
                prepare = held._prepareAsked.Count < PreparedCapacity && held._prepareAsked.Add(sql);
            }

            return command;
        }
    }

    /// <summary>
    /// Keeps <paramref name="command"/>, which ran <paramref name="sql"/> as written (or in its positional form; not a text
    /// rewritten for one call), on <paramref name="connection"/> when that is still open; otherwise returns
    /// <see langword="false"/> and the caller disposes it.
    /// </summary>
    public static bool GiveBack(DbConnection connection, string sql, DbCommand command)
    {
        var held = ByConnection.GetValue(connection, Create);
        lock (held._idle)
        {
            // Under the lock: a connection closed meanwhile has had its commands disposed, and this one must not stay.
            if (connection.State != ConnectionState.Open)
            {
                return false;
            }

            if (!held._watching)
            {
                connection.StateChange += held.OnStateChange;
                held._watching = true;
            }

            if (held._idle.Count >= Capacity)
            {
                held.DisposeAll();
            }

            // The parameters stay, to be re-bound by the next read of the statement; the values this read bound do not.
            var parameters = command.Parameters;
            for (var i = 0; i < parameters.Count; i++)
            {
                parameters[i].Value = null;
            }

            return held._idle.TryAdd(sql, command);
        }
    }

    /// <summary>The commands <paramref name="connection"/> keeps now, by text: what it holds between two reads.</summary>
    public static KeyValuePair<string, DbCommand>[] KeptOn(DbConnection connection)
    {
        if (!ByConnection.TryGetValue(connection, out var held))
        {
            return [];
        }

        lock (held._idle)
        {
            return [.. held._idle];
        }
    }

    private void OnStateChange(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState != ConnectionState.Open)
        {
            lock (_idle)
            {
                DisposeAll();
                _prepareAsked = null;
            }
        }
    }

    private void DisposeAll()
    {
        foreach (var command in _idle.Values)
        {
            command.Dispose();
        }

        _idle.Clear();
    }
}
