namespace Premix.Providers;

/// <summary>INSERT statements in the forms the engines share, for dialects to build on.</summary>
public static class InsertSql
{
    /// <summary>An INSERT ending in <c>RETURNING key</c> when a key is generated (PostgreSQL, SQLite 3.35+, MariaDB 10.5+).</summary>
    /// <param name="table">The quoted table.</param>
    /// <param name="columns">The quoted columns.</param>
    /// <param name="parameters">The placeholders, one per column.</param>
    /// <param name="generatedKey">The quoted generated key column, or <see langword="null"/>.</param>
    /// <param name="defaultValues">What follows the table when there is no column to insert (<c>DEFAULT VALUES</c>, or <c>() VALUES ()</c> on MySQL).</param>
    public static string WithReturning(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey, string defaultValues) =>
        Plain(table, columns, parameters, defaultValues) + (generatedKey is null ? string.Empty : " RETURNING " + generatedKey);

    /// <summary>An INSERT with no clause for generated keys.</summary>
    public static string Plain(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string defaultValues)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(parameters);
        return columns.Count == 0
            ? $"INSERT INTO {table} {defaultValues}"
            : $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", parameters)})";
    }
}
