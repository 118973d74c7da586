using MySqlConnector;

namespace Premix.Providers.MySql;

/// <summary>
/// Keeps every session Premix opens in the <c>sql_mode</c> its values need. Strict: a value too long for its column, out of
/// range or not a date is an error instead of being stored changed. And reading backslashes the way MySqlConnector escapes
/// them: <c>NO_BACKSLASH_ESCAPES</c> exactly when the connection string says <c>No Backslash Escapes=true</c> (otherwise
/// every backslash is stored doubled, or, the other way round, <c>\'</c> ends a string literal early).
/// </summary>
/// <remarks>
/// The mode of each new physical connection is read once. A server whose default mode is right costs nothing more: a
/// pooled connection the driver resets gets that default back. Only when the default is wrong does Premix set the session's
/// mode, and then on every open, because each reset restores the server's default.
/// <para>
/// A read replica's sessions (<paramref name="readOnly"/>) are also read-only (<c>SET SESSION TRANSACTION READ ONLY</c>),
/// so that a write sent there fails with error 1792 even for a user whose SUPER privilege passes the server's
/// <c>read_only</c>. A reset restores the default, so every new or reset session is set: one statement per open there.
/// </para>
/// </remarks>
internal sealed class MySqlSessionMode(bool noBackslashEscapes, bool readOnly = false)
{
    private const string NoBackslashEscapes = "NO_BACKSLASH_ESCAPES";

    // The session's own mode with what is missing added (and, for the driver's default escaping, NO_BACKSLASH_ESCAPES
    // taken out): the server's other settings stay. No backslash in the text, so either escaping reads it alike.
    private readonly string _fix = noBackslashEscapes
        ? $"SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',STRICT_TRANS_TABLES,{NoBackslashEscapes}')"
        : $"SET SESSION sql_mode = CONCAT(REPLACE(@@SESSION.sql_mode, '{NoBackslashEscapes}', ''), ',STRICT_TRANS_TABLES')";

    // Once a server's default mode was found wrong, every reset session is set again (only then does an open cost a statement).
    private volatile bool _defaultIsWrong;

    /// <summary>The driver's callback after each open (<see cref="MySqlDataSourceBuilder.UseConnectionOpenedCallback"/>).</summary>
    public async ValueTask OnOpenedAsync(MySqlConnectionOpenedContext context, CancellationToken cancellationToken)
    {
        await KeepModeAsync(context, cancellationToken).ConfigureAwait(false);
        if (readOnly && (context.Conditions & (MySqlConnectionOpenedConditions.New | MySqlConnectionOpenedConditions.Reset)) != 0)
        {
            await ExecuteAsync(context.Connection, "SET SESSION TRANSACTION READ ONLY", cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask KeepModeAsync(MySqlConnectionOpenedContext context, CancellationToken cancellationToken)
    {
        if (context.Conditions.HasFlag(MySqlConnectionOpenedConditions.New))
        {
            if (IsRight(await ExecuteAsync(context.Connection, "SELECT @@SESSION.sql_mode", cancellationToken).ConfigureAwait(false) as string))
            {
                return;
            }

            _defaultIsWrong = true;
        }
        else if (!_defaultIsWrong || !context.Conditions.HasFlag(MySqlConnectionOpenedConditions.Reset))
        {
            return;
        }

        await ExecuteAsync(context.Connection, _fix, cancellationToken).ConfigureAwait(false);
    }

    private bool IsRight(string? mode)
    {
        var strict = false;
        var noEscapes = false;
        foreach (var part in (mode ?? string.Empty).Split(','))
        {
            strict |= part is "STRICT_TRANS_TABLES" or "STRICT_ALL_TABLES";
            noEscapes |= part == NoBackslashEscapes;
        }

        return strict && noEscapes == noBackslashEscapes;
    }

    // Part of opening the connection, so bounded by its connect timeout rather than the longer command timeout: a server
    // that took the connection but does not answer (a hung read replica) fails the open that soon.
    private static async Task<object?> ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new MySqlCommand(sql, connection) { CommandTimeout = connection.ConnectionTimeout };
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
