namespace Premix.Benchmarks.Data;

/// <summary>Run once in each GlobalSetup: every contender must return the same rows, or the comparison means nothing.</summary>
internal static class ResultCheck
{
    public static void Same(string contender, Customer? actual, long expectedId)
    {
        var expected = BenchmarkDatabase.Expected(expectedId);
        if (actual is null || Describe(actual) != Describe(expected))
        {
            throw new InvalidOperationException($"{contender} returned {(actual is null ? "nothing" : Describe(actual))} for key {expectedId}; expected {Describe(expected)}.");
        }
    }

    public static void Same(string contender, IEnumerable<Customer> actual, int expectedCount)
    {
        var rows = actual.OrderBy(c => c.Id).ToList();
        if (rows.Count != expectedCount)
        {
            throw new InvalidOperationException($"{contender} returned {rows.Count} rows; expected {expectedCount}.");
        }

        foreach (var row in rows)
        {
            Same(contender, row, row.Id);
        }
    }

    public static Customer ToCustomer(CustomerRow row) => new() { Id = row.Id, Name = row.Name, Email = row.Email, Score = row.Score, CreatedAt = row.CreatedAt };

    private static string Describe(Customer c) => $"({c.Id}, {c.Name}, {c.Email}, {c.Score}, {c.CreatedAt:yyyy-MM-dd HH:mm:ss.fffffff})";
}
