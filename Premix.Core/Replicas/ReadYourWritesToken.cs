using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Premix;

/// <summary>
/// The primary's position right after a commit (PostgreSQL: its WAL insert position, read after COMMIT): a read that
/// carries it goes to a read replica only once that replica has replayed at least this far, so it sees the commit.
/// </summary>
/// <remarks>
/// A unit of work records it on every commit (<see cref="IUnitOfWork.ReadYourWrites"/>). To carry it into a later
/// scope (the next HTTP request, a background job), put <see cref="ToString"/> in a cookie, header or message and give
/// <see cref="Parse"/>'s result to <see cref="IUnitOfWork.ReadAfter"/> there. A forged or stale token cannot make a read
/// stale: at worst it sends reads to the primary. Its text is <c>lsn:</c> followed by PostgreSQL's own LSN form
/// (<c>lsn:16/B374D848</c>).
/// </remarks>
public sealed class ReadYourWritesToken : IEquatable<ReadYourWritesToken>
{
    private const string LsnPrefix = "lsn:";

    private ReadYourWritesToken(ulong position) => Position = position;

    /// <summary>The position as a number (PostgreSQL: the 64-bit LSN).</summary>
    internal ulong Position { get; }

    /// <summary>A token for PostgreSQL's LSN <paramref name="lsn"/> in its text form (<c>16/B374D848</c>).</summary>
    internal static ReadYourWritesToken FromLsn(string lsn) =>
        TryParseLsn(lsn, out var position) ? new(position) : throw new FormatException($"'{lsn}' is not a PostgreSQL LSN (two hexadecimal numbers separated by '/', as pg_current_wal_insert_lsn() returns).");

    /// <summary>The later of two positions (either may be <see langword="null"/>).</summary>
    internal static ReadYourWritesToken? Later(ReadYourWritesToken? a, ReadYourWritesToken? b) =>
        a is null ? b : b is null ? a : a.Position >= b.Position ? a : b;

    /// <summary>Reads a token from its text (<see cref="ToString"/>).</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not a token.</exception>
    public static ReadYourWritesToken Parse(string text) =>
        TryParse(text, out var token) ? token : throw new FormatException($"'{text}' is not a read-your-writes token; a token reads 'lsn:' followed by a PostgreSQL LSN, for example 'lsn:16/B374D848'.");

    /// <summary>Reads a token from its text, or returns <see langword="false"/> (for a cookie or header that may be missing or altered).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ReadYourWritesToken? token)
    {
        token = null;
        if (text is null || !text.StartsWith(LsnPrefix, StringComparison.Ordinal) || !TryParseLsn(text.AsSpan(LsnPrefix.Length), out var position))
        {
            return false;
        }

        token = new(position);
        return true;
    }

    /// <summary>The token's text, for a cookie, a header or a message: <c>lsn:16/B374D848</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LsnPrefix}{Position >> 32:X}/{Position & 0xFFFFFFFF:X}");

    /// <inheritdoc />
    public bool Equals(ReadYourWritesToken? other) => other is not null && other.Position == Position;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ReadYourWritesToken);

    /// <inheritdoc />
    public override int GetHashCode() => Position.GetHashCode();

    // PostgreSQL writes an LSN as two hexadecimal numbers of up to 8 digits: the high and low 32 bits.
    internal static bool TryParseLsn(ReadOnlySpan<char> text, out ulong position)
    {
        position = 0;
        var slash = text.IndexOf('/');
        if (slash is < 1 or > 8 || text.Length - slash - 1 is < 1 or > 8
            || !uint.TryParse(text[..slash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(text[(slash + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        position = ((ulong)high << 32) | low;
        return true;
    }
}
