namespace Premix.Testing;

/// <summary>How the fake's <c>StartsWith</c>, <c>EndsWith</c> and <c>Contains</c> (SQL's LIKE) treat letter case.</summary>
public enum FakeLikeCase
{
    /// <summary>Case matters, as LIKE on PostgreSQL's deterministic collations.</summary>
    Sensitive,

    /// <summary>Case of the ASCII letters A–Z is ignored and of nothing else, as SQLite's LIKE.</summary>
    IgnoreAsciiCase,

    /// <summary>Case is ignored, as LIKE under MySQL/MariaDB's <c>_ci</c> collations (which also ignore accents: the fake does not).</summary>
    IgnoreCase,
}
