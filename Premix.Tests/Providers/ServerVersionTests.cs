using System.Text.RegularExpressions;
using Dapper;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>The tests talk to the server the build started (or a supported one), and SQLite is new enough.</summary>
public sealed partial class ServerVersionTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task Server_is_the_one_started_for_this_run_or_a_supported_version()
    {
        await using var connection = await OpenConnectionAsync();

        switch (Engine)
        {
            case Engine.Sqlite:
                // Premix reads generated keys with INSERT ... RETURNING, which SQLite has since 3.35.
                var sqlite = await connection.ExecuteScalarAsync<string>("select sqlite_version()");
                Assert.That(ParseVersion(sqlite), Is.GreaterThanOrEqualTo(new Version(3, 35)));
                break;

            case Engine.PostgreSql:
                var postgres = await connection.ExecuteScalarAsync<string>("show server_version");
                AssertVersion(postgres, TestEnvironment.PostgreSqlVersion, minimum: new Version(13, 0));
                break;

            default:
                var mariaDb = await connection.ExecuteScalarAsync<string>("select version()");
                AssertVersion(mariaDb, TestEnvironment.MySqlVersion, minimum: new Version(10, 6));
                break;
        }
    }

    // The build exports the version its binaries report; compared number for number, so 15.1 is not 15.14.
    private static void AssertVersion(string? reported, string? started, Version minimum)
    {
        if (started is not null)
        {
            Assert.That(LeadingVersion().Match(reported ?? string.Empty).Value, Is.EqualTo(started), $"The server reports '{reported}'.");
        }
        else
        {
            Assert.That(ParseVersion(reported), Is.GreaterThanOrEqualTo(minimum), $"The server reports '{reported}'.");
        }
    }

    private static Version ParseVersion(string? reported)
    {
        var digits = LeadingVersion().Match(reported ?? string.Empty).Value;
        Assert.That(Version.TryParse(digits.Contains('.', StringComparison.Ordinal) ? digits : digits + ".0", out var version), Is.True, $"Cannot read a version from '{reported}'.");
        return version!;
    }

    [GeneratedRegex(@"^\d+(\.\d+)*")]
    private static partial Regex LeadingVersion();
}
