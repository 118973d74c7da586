using System.Data.Common;
using System.Text;

namespace Premix.Providers.MySql;

/// <summary>
/// How large a statement is as MySqlConnector sends it, for the server's <c>max_allowed_packet</c>: one packet holding a
/// command byte and the SQL, each parameter's placeholder replaced by the value written as a literal (strings in UTF-8
/// between quotes, bytes as <c>_binary'...'</c>, with <c>'</c>, and unless <c>No Backslash Escapes</c> <c>\</c> and NUL,
/// escaped by a second byte). The placeholder is counted too, which leaves a few bytes to spare.
/// </summary>
internal sealed class MySqlStatementSize(bool noBackslashEscapes)
{
    private const long CommandByte = 1;
    private const long BinaryLiteral = 9; // _binary' and '
    private const long Scalar = 64; // more than a number, a date, a time or a GUID takes as a literal

    public static long Text(string sql, bool exact) => CommandByte + (exact ? Encoding.UTF8.GetByteCount(sql) : 3L * sql.Length);

    /// <summary>
    /// Strings and bytes by their content, NULL as itself; anything else (a number, a date, a GUID) as at most 64 bytes.
    /// Streams and other shapes a raw statement may pass are not measured: the server judges those itself.
    /// </summary>
    public long Value(object? value, bool exact) => value switch
    {
        null or DBNull => 4,
        string text => 2 + (exact ? Encoding.UTF8.GetByteCount(text) + Escapes(text.AsSpan()) : 3L * text.Length),
        byte[] bytes => Binary(bytes, exact),
        ReadOnlyMemory<byte> bytes => Binary(bytes.Span, exact),
        Memory<byte> bytes => Binary(bytes.Span, exact),
        ArraySegment<byte> bytes => Binary(bytes.AsSpan(), exact),
        _ => Scalar,
    };

    public static long ReadLimit(DbConnection connection, DbTransaction? transaction)
    {
        using var command = LimitQuery(connection, transaction);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<long> ReadLimitAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var command = LimitQuery(connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    // The session's value: the one the server holds this connection's statements to (fixed when the session began).
    private static DbCommand LimitQuery(DbConnection connection, DbTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT @@SESSION.max_allowed_packet";
        command.Transaction = transaction;
        return command;
    }

    private long Binary(ReadOnlySpan<byte> bytes, bool exact) =>
        BinaryLiteral + (exact ? bytes.Length + bytes.Count((byte)'\'') + (noBackslashEscapes ? 0 : bytes.Count((byte)0) + bytes.Count((byte)'\\')) : 2L * bytes.Length);

    private long Escapes(ReadOnlySpan<char> text) =>
        text.Count('\'') + (noBackslashEscapes ? 0 : text.Count('\0') + text.Count('\\'));
}
