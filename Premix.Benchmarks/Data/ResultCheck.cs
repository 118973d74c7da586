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

    /// <summary>
    /// The include workload: customers 1 to <paramref name="expectedCount"/>, each with exactly its own orders, and each
    /// order pointing back at the very customer object that holds it.
    /// </summary>
    public static void SameWithOrders(string contender, IEnumerable<CustomerWithOrders> actual, int expectedCount)
    {
        var rows = actual.OrderBy(c => c.Id).ToList();
        SameCustomers(contender, rows, expectedCount);
        foreach (var customer in rows)
        {
            var expected = Enumerable.Range(1, OrderSql.OrdersPerCustomer)
                .Select(n => Describe(BenchmarkDatabase.ExpectedOrder(((customer.Id - 1) * OrderSql.OrdersPerCustomer) + n)));
            var orders = customer.Orders.OrderBy(o => o.Id).Select(Describe);
            if (!orders.SequenceEqual(expected, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"{contender} gave customer {customer.Id} the orders [{string.Join(", ", orders)}]; expected [{string.Join(", ", expected)}].");
            }

            if (customer.Orders.FirstOrDefault(o => !ReferenceEquals(o.Customer, customer)) is { } order)
            {
                throw new InvalidOperationException($"{contender} left order {order.Id} of customer {customer.Id} pointing at {(order.Customer is null ? "no customer" : "another object")}; both directions must be stitched.");
            }
        }
    }

    /// <summary>The include workload's customers 1 to <paramref name="expectedCount"/>, their orders not looked at (a query without the Include).</summary>
    public static void SameCustomers(string contender, IEnumerable<CustomerWithOrders> actual, int expectedCount) =>
        Same(contender, actual.Select(c => new Customer { Id = c.Id, Name = c.Name, Email = c.Email, Score = c.Score, CreatedAt = c.CreatedAt }), expectedCount);

    /// <summary>After one insert run: the table holds exactly the written customers, each under the key written back to it.</summary>
    public static void Inserted(string contender, List<Customer> written, List<Customer> rows, bool keysReadBack)
    {
        if (rows.Count != written.Count)
        {
            throw new InvalidOperationException($"{contender} left {rows.Count} rows; expected {written.Count}.");
        }

        if (!keysReadBack)
        {
            var expected = written.Select(c => Values(c)).Order(StringComparer.Ordinal);
            var actual = rows.Select(c => Values(c)).Order(StringComparer.Ordinal);
            if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"{contender} wrote other values than it was given.");
            }

            return;
        }

        var byKey = rows.ToDictionary(r => r.Id);
        foreach (var customer in written)
        {
            if (!byKey.Remove(customer.Id, out var row) || Describe(row) != Describe(customer))
            {
                throw new InvalidOperationException($"{contender} gave {Describe(customer)} the key {customer.Id}, but that row is {(row is null ? "missing" : Describe(row))}.");
            }
        }
    }

    /// <summary>After one update run: every row is as before except its score, which is one higher.</summary>
    public static void ScoresIncremented(string contender, List<Customer> before, List<Customer> after)
    {
        if (after.Count != before.Count || after.Count != WriteSql.UpdatedRowCount)
        {
            throw new InvalidOperationException($"{contender} left {after.Count} rows; expected {WriteSql.UpdatedRowCount}.");
        }

        for (var i = 0; i < before.Count; i++)
        {
            var b = before[i];
            var expected = Describe(new Customer { Id = b.Id, Name = b.Name, Email = b.Email, Score = b.Score + 1, CreatedAt = b.CreatedAt });
            if (Describe(after[i]) != expected)
            {
                throw new InvalidOperationException($"{contender} left {Describe(after[i])}; expected {expected}.");
            }
        }
    }

    public static Customer ToCustomer(CustomerRow row) => new() { Id = row.Id, Name = row.Name, Email = row.Email, Score = row.Score, CreatedAt = row.CreatedAt };

    private static string Describe(Customer c) => $"({c.Id}, {c.Name}, {c.Email}, {c.Score}, {c.CreatedAt:yyyy-MM-dd HH:mm:ss.fffffff})";

    private static string Describe(Order o) => $"({o.Id}, {o.CustomerId}, {o.Total:0.00}, {o.PlacedAt:yyyy-MM-dd HH:mm:ss.fffffff})";

    private static string Values(Customer c) => $"({c.Name}, {c.Email}, {c.Score}, {c.CreatedAt:yyyy-MM-dd HH:mm:ss.fffffff})";
}
