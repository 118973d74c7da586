using System.Data.Common;
using System.Globalization;

namespace Premix.Providers.MySql;

/// <summary>
/// What the server behind a connection can do, read from the version it announced at connect time: MariaDB 10.5 and later
/// return rows from an INSERT (<c>RETURNING</c>), MySQL does not; MySQL 8.0.20 and later prefer a row alias to <c>VALUES(c)</c>.
/// </summary>
internal static class MySqlServerKind
{
    private static readonly Version InsertReturning = new(10, 5);
    private static readonly Version RowAlias = new(8, 0, 20);

    // The last version seen and its answer: every connection of an application usually reports the same one.
    private static Answer? _last;

    public static bool HasInsertReturning(DbConnection connection) => Of(connection).Returns;

    /// <summary>Whether the server behind <paramref name="connection"/> (open) is MySQL 8.0.20 or later (see <see cref="PrefersRowAlias(string)"/>).</summary>
    public static bool PrefersRowAlias(DbConnection connection) => Of(connection).RowAlias;

    private static Answer Of(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var version = connection.ServerVersion;
        if (Volatile.Read(ref _last) is { } last && last.Version == version)
        {
            return last;
        }

        var answer = new Answer(version, HasInsertReturning(version), PrefersRowAlias(version));
        Volatile.Write(ref _last, answer);
        return answer;
    }

    /// <summary>Whether a server announcing <paramref name="version"/> returns rows from an INSERT.</summary>
    public static bool HasInsertReturning(string version) => IsMariaDb(version) && Number(version) >= InsertReturning;

    /// <summary>Whether a server announcing <paramref name="version"/> is MySQL 8.0.20 or later, which deprecates <c>VALUES(c)</c> in upserts for a row alias.</summary>
    public static bool PrefersRowAlias(string version) => !IsMariaDb(version) && Number(version) >= RowAlias;

    private sealed record Answer(string Version, bool Returns, bool RowAlias);

    private static bool IsMariaDb(string version) => version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    // "10.11.19-MariaDB-0+deb12u1", "8.0.36-commercial", or with the "5.5.5-" some servers put in front for old MySQL clients.
    private static Version Number(string version)
    {
        var text = version.StartsWith("5.5.5-", StringComparison.Ordinal) ? version[6..] : version;
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        return Version.TryParse(text[..end].Trim('.'), out var number) ? number : new Version(0, 0);
    }
}
