using System.Data.Common;
using Premix.Providers;

namespace Premix.Testing;

/// <summary>
/// The provider of a <see cref="FakePremix"/> built without one: plans and <c>ToSql()</c> in a neutral SQL, and no
/// connection, ever. A test that gives the fake a real provider (<c>UseSqlite(...)</c>) gets that engine's SQL and
/// mapping checks instead, still without a connection.
/// </summary>
internal sealed class InMemoryProvider : IDatabaseProvider
{
    public static readonly InMemoryProvider Instance = new();

    public string Name => "in-memory (Premix.Testing fake)";

    public ISqlDialect Dialect { get; } = new InMemoryDialect();

    public DbConnection CreateConnection() => throw new InvalidOperationException(
        "The recording fake has no database: it serves repositories, queries and commits from memory. Something asked it for a connection; use a real provider for that test.");

    /// <summary>Standard SQL with double-quoted identifiers and LIMIT/OFFSET paging.</summary>
    private sealed class InMemoryDialect : ISqlDialect
    {
        public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '"');

        public string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey) =>
            InsertSql.WithReturning(table, columns, parameters, generatedKey, defaultValues: "DEFAULT VALUES");

        public string Upsert(UpsertShape shape) => OnConflictSql.Render(shape, "NULL"); // shown in recorded statements and errors; the fake runs it in memory

        public bool BatchesInsertsReturningKeys => false;

        public bool BatchReportsRowsPerStatement => false;

        public string Paging(bool skip, bool take) => (skip, take) switch
        {
            (true, true) => " LIMIT @__take OFFSET @__skip",
            (false, true) => " LIMIT @__take",
            (true, false) => " OFFSET @__skip",
            _ => string.Empty,
        };

        public string ColumnType(Mapping.PropertyModel property) => property.ColumnType ?? ColumnTypes.StorageType(property).Name;

        public Func<object, object>? ParameterConversion(Mapping.PropertyModel property) => null;
    }
}
