namespace Premix.Testing;

/// <summary>
/// How the recording fake compares text and orders NULLs: the parts of a query's meaning that the database, not Premix,
/// decides. The defaults are SQLite's; <see cref="PostgreSql"/> and <see cref="MariaDb"/> come close to those engines'
/// usual settings (docs/testing-your-app.md lists what still differs).
/// </summary>
public sealed record FakeOptions
{
    /// <summary>SQLite: <c>=</c> and ORDER BY by code (BINARY), LIKE ignoring the case of ASCII letters, NULLs first when ascending.</summary>
    public static FakeOptions Sqlite { get; } = new();

    /// <summary>PostgreSQL with a deterministic collation such as <c>C.UTF-8</c>: case-sensitive everywhere, NULLs last when ascending.</summary>
    public static FakeOptions PostgreSql { get; } = new() { LikeCase = FakeLikeCase.Sensitive, NullsFirst = false };

    /// <summary>
    /// MariaDB or MySQL with <c>utf8mb4_unicode_ci</c>, approximately: <c>=</c>, ORDER BY and LIKE ignore case, NULLs first
    /// when ascending. The collation's accent folding, trailing-space padding and weights are not reproduced.
    /// </summary>
    public static FakeOptions MariaDb { get; } = new() { TextComparer = StringComparer.OrdinalIgnoreCase, LikeCase = FakeLikeCase.IgnoreCase };

    /// <summary>How <c>==</c>, <c>!=</c>, <c>&lt;</c>, IN lists and ORDER BY compare text. Ordinal by default.</summary>
    public StringComparer TextComparer { get; init; } = StringComparer.Ordinal;

    /// <summary>How <c>StartsWith</c>, <c>EndsWith</c> and <c>Contains</c> on text treat case.</summary>
    public FakeLikeCase LikeCase { get; init; } = FakeLikeCase.IgnoreAsciiCase;

    /// <summary>Whether NULL sorts before every value when ascending (SQLite, MariaDB) rather than after (PostgreSQL); descending reverses it.</summary>
    public bool NullsFirst { get; init; } = true;
}
