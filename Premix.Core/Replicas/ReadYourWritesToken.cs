using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Premix;

/// <summary>
/// The primary's position right after a commit (PostgreSQL: its WAL insert position; MariaDB: the GTID of the session's
/// commit): a read that carries it goes to a read replica only once that replica has replayed at least this far, so it
/// sees the commit.
/// </summary>
/// <remarks>
/// A unit of work records it on every commit (<see cref="IUnitOfWork.ReadYourWrites"/>). To carry it into a later
/// scope (the next HTTP request, a background job), put <see cref="ToString"/> in a cookie, header or message and give
/// <see cref="Parse"/>'s result to <see cref="IUnitOfWork.ReadAfter"/> there. A forged or stale token of the primary's
/// engine cannot make a read stale: at worst it sends reads to the primary. A token of the other engine (an <c>lsn:</c>
/// token given to a MariaDB Premix, or a <c>gtid:</c> one to a PostgreSQL Premix) is refused: <see cref="IUnitOfWork.ReadAfter"/>
/// throws <see cref="ArgumentException"/>, so a token taken from a cookie or header should be checked (or the exception
/// caught) if clients can send another engine's. Its text is <c>lsn:</c> followed by PostgreSQL's own LSN form
/// (<c>lsn:16/B374D848</c>), or <c>gtid:</c> followed by MariaDB's GTID list form, one <c>domain-server-sequence</c>
/// per replication domain (<c>gtid:0-1-1234</c>).
/// </remarks>
public sealed class ReadYourWritesToken : IEquatable<ReadYourWritesToken>
{
    internal const string LsnScheme = "lsn";
    internal const string GtidScheme = "gtid";

    private readonly Gtid[] _gtids; // MariaDB: one per domain, in domain order; empty for an LSN

    private ReadYourWritesToken(string scheme, ulong position, Gtid[] gtids)
    {
        Scheme = scheme;
        Position = position;
        _gtids = gtids;
    }

    /// <summary>Whose position it is: <c>lsn</c> (PostgreSQL) or <c>gtid</c> (MariaDB); the prefix of its text.</summary>
    internal string Scheme { get; }

    /// <summary>The position as a number (PostgreSQL: the 64-bit LSN); 0 for a GTID position.</summary>
    internal ulong Position { get; }

    /// <summary>
    /// A position of <paramref name="scheme"/> in the engine's text form (<c>16/B374D848</c>, <c>0-1-1234,1-2-7</c>), or
    /// <see langword="null"/> when the text is not one. An empty GTID list (a server that has replayed nothing yet) is a
    /// position every other one is past.
    /// </summary>
    internal static ReadYourWritesToken? FromPosition(string scheme, string text) => scheme switch
    {
        LsnScheme when TryParseLsn(text, out var position) => new(LsnScheme, position, []),
        GtidScheme when TryParseGtids(text, out var gtids) => new(GtidScheme, 0, gtids),
        _ => null,
    };

    /// <summary>The later of two positions (either may be <see langword="null"/>); for GTIDs, the later one of each domain.</summary>
    /// <exception cref="ArgumentException">The two are of different engines.</exception>
    internal static ReadYourWritesToken? Later(ReadYourWritesToken? a, ReadYourWritesToken? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        if (a.Scheme != b.Scheme)
        {
            throw new ArgumentException($"The read-your-writes tokens '{a}' and '{b}' are of different engines ({a.Scheme}, {b.Scheme}): a token is only meaningful to the servers it was read from.");
        }

        if (a.Scheme == LsnScheme)
        {
            return a.Position >= b.Position ? a : b;
        }

        return b.IsCoveredBy(a) ? a : a.IsCoveredBy(b) ? b : new(GtidScheme, 0, Merge(a._gtids, b._gtids));
    }

    /// <summary>Whether a server that has replayed up to <paramref name="replayed"/> has replayed this position (both of one scheme).</summary>
    internal bool IsCoveredBy(ReadYourWritesToken replayed)
    {
        if (Scheme == LsnScheme)
        {
            return replayed.Position >= Position;
        }

        // Within a domain, sequence numbers grow in commit order and replicas apply a domain in that order. Both lists are
        // in domain order, so one walk of each compares them (no allocation: this runs on every routed read with a token).
        var seen = replayed._gtids;
        var j = 0;
        foreach (var gtid in _gtids)
        {
            while (j < seen.Length && seen[j].Domain < gtid.Domain)
            {
                j++;
            }

            if (j == seen.Length || seen[j].Domain != gtid.Domain || seen[j].Sequence < gtid.Sequence)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a token from its text (<see cref="ToString"/>).</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not a token.</exception>
    public static ReadYourWritesToken Parse(string text) =>
        TryParse(text, out var token) ? token : throw new FormatException($"'{text}' is not a read-your-writes token; a token reads 'lsn:' followed by a PostgreSQL LSN, for example 'lsn:16/B374D848', or 'gtid:' followed by MariaDB GTIDs, for example 'gtid:0-1-1234'.");

    /// <summary>Reads a token from its text, or returns <see langword="false"/> (for a cookie or header that may be missing or altered).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ReadYourWritesToken? token)
    {
        token = null;
        var colon = text?.IndexOf(':') ?? -1;
        if (colon < 0 || text!.Length == colon + 1)
        {
            return false;
        }

        token = FromPosition(text[..colon], text[(colon + 1)..]);
        return token is not null;
    }

    /// <summary>The token's text, for a cookie, a header or a message: <c>lsn:16/B374D848</c> or <c>gtid:0-1-1234</c>.</summary>
    public override string ToString() => Scheme == LsnScheme
        ? string.Create(CultureInfo.InvariantCulture, $"{LsnScheme}:{Position >> 32:X}/{Position & 0xFFFFFFFF:X}")
        : $"{GtidScheme}:{string.Join(',', _gtids)}";

    /// <inheritdoc />
    public bool Equals(ReadYourWritesToken? other) =>
        other is not null && other.Scheme == Scheme && other.Position == Position && other._gtids.AsSpan().SequenceEqual(_gtids);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ReadYourWritesToken);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Scheme, Position, _gtids.Length == 0 ? default : _gtids[^1]);

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

    // MariaDB writes a GTID position as a comma-separated list of domain-server-sequence, at most one per domain (as
    // @@gtid_slave_pos does; @@last_gtid is a list of one). An empty list is a server that has applied nothing.
    private static bool TryParseGtids(string text, out Gtid[] gtids)
    {
        gtids = [];
        if (text.Length == 0)
        {
            return true;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new Gtid[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var fields = parts[i].Split('-');
            if (fields.Length != 3
                || !uint.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var domain)
                || !uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var server)
                || !ulong.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return false;
            }

            parsed[i] = new(domain, server, sequence);
        }

        Array.Sort(parsed, (x, y) => x.Domain.CompareTo(y.Domain));
        for (var i = 1; i < parsed.Length; i++)
        {
            if (parsed[i].Domain == parsed[i - 1].Domain)
            {
                return false; // two positions for one domain: not a GTID position
            }
        }

        gtids = parsed;
        return true;
    }

    // The later GTID of each domain of either list; both are in domain order, and so is the result.
    private static Gtid[] Merge(Gtid[] a, Gtid[] b)
    {
        var merged = new List<Gtid>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (j == b.Length || (i < a.Length && a[i].Domain < b[j].Domain))
            {
                merged.Add(a[i++]);
            }
            else if (i == a.Length || b[j].Domain < a[i].Domain)
            {
                merged.Add(b[j++]);
            }
            else
            {
                merged.Add(a[i].Sequence >= b[j].Sequence ? a[i] : b[j]);
                i++;
                j++;
            }
        }

        return [.. merged];
    }

    private readonly record struct Gtid(uint Domain, uint Server, ulong Sequence)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Domain}-{Server}-{Sequence}");
    }
}
