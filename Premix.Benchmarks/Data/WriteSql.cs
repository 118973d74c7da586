namespace Premix.Benchmarks.Data;

/// <summary>
/// The hand-written SQL of the write workloads: the statements Premix compiles for an insert with a generated key and
/// for an update of one column, valid on SQLite, PostgreSQL and MariaDB 10.5+ alike, and each engine's fastest
/// hand-written form.
/// </summary>
internal static class WriteSql
{
    public const string InsertReturningKey = "INSERT INTO customers (name, email, score, created_at) VALUES (@Name, @Email, @Score, @CreatedAt) RETURNING id";

    public const string Insert = "INSERT INTO customers (name, email, score, created_at) VALUES (@Name, @Email, @Score, @CreatedAt)";

    public const string UpdateScore = "UPDATE customers SET score = @Score WHERE id = @Id";

    /// <summary>PostgreSQL: every row in one statement, one array parameter per column; keys come back in row order.</summary>
    public const string PostgreSqlInsertUnnest = "INSERT INTO customers (name, email, score, created_at) SELECT * FROM unnest(@names, @emails, @scores, @created) RETURNING id";

    /// <summary>PostgreSQL: every row's new score in one statement.</summary>
    public const string PostgreSqlUpdateUnnest = "UPDATE customers AS c SET score = v.score FROM unnest(@ids, @scores) AS v(id, score) WHERE c.id = v.id";

    /// <summary>
    /// MariaDB 10.5+: every row in one statement, which returns the generated keys in the order of its list. Positional
    /// placeholders (four a row), so MySqlConnector binds by position instead of looking each of 4000 names up.
    /// </summary>
    public static readonly string MySqlInsertValues =
        "INSERT INTO customers (name, email, score, created_at) VALUES " + string.Join(", ", Enumerable.Repeat("(?, ?, ?, ?)", InsertedRowCount)) + " RETURNING id";

    /// <summary>
    /// MariaDB: every row's new score in one statement (the keys and scores in pairs, then the keys again). One statement
    /// for the server to parse and answer, where a <c>MySqlBatch</c> of an UPDATE per row, one round trip too, has 100.
    /// </summary>
    public static readonly string MySqlUpdateCase =
        "UPDATE customers SET score = CASE id " + string.Concat(Enumerable.Repeat("WHEN ? THEN ? ", UpdatedRowCount))
        + "END WHERE id IN (" + string.Join(", ", Enumerable.Repeat("?", UpdatedRowCount)) + ")";

    /// <summary>The rows the update workload loads and changes.</summary>
    public const int UpdatedRowCount = 100;

    public const string KeepUpdatedRows = "DELETE FROM customers WHERE id > 100";

    /// <summary>
    /// PostgreSQL: every update call leaves 100 dead row versions. Room on each page (fillfactor 50, the table rewritten
    /// to it) lets PostgreSQL prune them as it goes (HOT updates), so the table stays the same size instead of growing
    /// until autovacuum runs at a moment that favours whichever contender comes after it. Each statement runs alone:
    /// VACUUM refuses to run in a transaction.
    /// </summary>
    public static IEnumerable<string> SteadyUpdates(Engine engine) => engine == Engine.PostgreSql
        ? ["ALTER TABLE customers SET (fillfactor = 50)", "VACUUM FULL customers"]
        : [];

    /// <summary>The rows the insert workload writes in one commit.</summary>
    public const int InsertedRowCount = 1000;

    public static string EmptyTable(Engine engine) => engine == Engine.Sqlite ? "DELETE FROM customers" : "TRUNCATE customers";

    /// <summary>New, unsaved customers (key 0) with the values <see cref="BenchmarkDatabase.Expected"/> gives rows 1 to <see cref="InsertedRowCount"/>.</summary>
    public static List<Customer> NewCustomers() => NewCustomers(InsertedRowCount);

    /// <summary>The environment variable that changes <see cref="BulkRowCount"/> (a multiple of 1000); the smoke run sets 2000.</summary>
    public const string BulkRowsVariable = "PREMIX_BENCH_BULK_ROWS";

    /// <summary>The rows the bulk insert workload writes in one commit: 100,000 unless <see cref="BulkRowsVariable"/> says otherwise.</summary>
    public static int BulkRowCount => Environment.GetEnvironmentVariable(BulkRowsVariable) is { Length: > 0 } rows
        ? int.TryParse(rows, out var count) && count > 0 && count % InsertedRowCount == 0
            ? count
            : throw new InvalidOperationException($"{BulkRowsVariable} must be a positive multiple of {InsertedRowCount}; it is '{rows}'.")
        : 100_000;

    /// <summary>New, unsaved customers (key 0) with the values <see cref="BenchmarkDatabase.Expected"/> gives rows 1 to <paramref name="count"/>.</summary>
    public static List<Customer> NewCustomers(int count)
    {
        var customers = new List<Customer>(count);
        for (long n = 1; n <= count; n++)
        {
            var customer = BenchmarkDatabase.Expected(n);
            customer.Id = 0;
            customers.Add(customer);
        }

        return customers;
    }
}
