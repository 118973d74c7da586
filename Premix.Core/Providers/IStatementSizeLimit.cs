using System.Data.Common;

namespace Premix.Providers;

/// <summary>
/// A provider whose server refuses a statement larger than a size it is configured with, and then closes the connection
/// (MySQL and MariaDB: <c>max_allowed_packet</c>). Premix measures each statement as the driver will send it and refuses one
/// that is too large before sending it, with the limit and the setting in the message (docs/types.md, "Large values").
/// </summary>
public interface IStatementSizeLimit
{
    /// <summary>The server setting that sets the limit, as an administrator changes it (for example <c>max_allowed_packet</c>).</summary>
    string LimitSetting { get; }

    /// <summary>The smallest limit any server can be configured with: a statement smaller than this is sent without reading the limit.</summary>
    long SmallestLimit { get; }

    /// <summary>Reads the limit that applies on <paramref name="connection"/> (open): a statement must be smaller than this many bytes.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The connection's transaction, if it has one (some drivers require a command to name it).</param>
    long ReadLimit(DbConnection connection, DbTransaction? transaction);

    /// <summary>Reads the limit that applies on <paramref name="connection"/> (open): a statement must be smaller than this many bytes.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The connection's transaction, if it has one (some drivers require a command to name it).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<long> ReadLimitAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>The bytes the text of a statement takes as the driver sends it, without the values of its parameters.</summary>
    /// <param name="sql">The statement's SQL, with its parameter placeholders.</param>
    /// <param name="exact"><see langword="false"/> for a quick upper bound that does not read the text.</param>
    long TextSize(string sql, bool exact);

    /// <summary>The bytes a parameter's value adds to a statement as the driver sends it (quotes and escapes included).</summary>
    /// <param name="value">The value as bound to the driver's parameter.</param>
    /// <param name="exact"><see langword="false"/> for a quick upper bound that does not read the value's content.</param>
    long ValueSize(object? value, bool exact);
}
