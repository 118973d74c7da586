using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>docs/types.md shows the round-trip table that <see cref="TypeRoundTripTests"/> proves, row for row.</summary>
public sealed class RoundTripTableTests
{
    [Test]
    public void The_round_trip_table_in_docs_types_md_is_the_one_the_tests_prove()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryFolder.Root(), "docs", "types.md")).ReplaceLineEndings("\n");
        var start = page.IndexOf(RoundTripTable.Begin, StringComparison.Ordinal);
        var end = page.IndexOf(RoundTripTable.End, StringComparison.Ordinal);

        Assert.That(start >= 0 && end > start, Is.True, $"docs/types.md has no round-trip table; put this one in:\n{RoundTripTable.Markdown()}");
        // Line by line, so a failure shows the first row that differs rather than a truncated page.
        Assert.That(page[start..(end + RoundTripTable.End.Length)].Split('\n'), Is.EqualTo(RoundTripTable.Markdown().TrimEnd('\n').Split('\n')),
            "Make the table in docs/types.md the one Premix.Tests/Types/RoundTripTable.cs generates (the expected lines).");
    }
}
