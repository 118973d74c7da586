using Microsoft.Data.Sqlite;

namespace Premix.Providers.Sqlite;

/// <summary>
/// Reads SQLite's unique and foreign-key violations. SQLite names the table and columns of a unique violation
/// (<c>UNIQUE constraint failed: customers.Email</c>) but no constraint, and nothing at all of a foreign key's
/// (<c>FOREIGN KEY constraint failed</c>); its messages never hold a value.
/// </summary>
internal static class SqliteConstraintErrors
{
    private const int ForeignKey = 787; // SQLITE_CONSTRAINT_FOREIGNKEY
    private const int PrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY
    private const int Unique = 2067; // SQLITE_CONSTRAINT_UNIQUE
    private const string Failed = "constraint failed: ";

    public static ConstraintViolation? Describe(Exception error) => error switch
    {
        SqliteException { SqliteExtendedErrorCode: Unique or PrimaryKey } e => DescribeUnique(e.Message),
        SqliteException { SqliteExtendedErrorCode: ForeignKey } e => new ConstraintViolation(ConstraintViolationKind.ForeignKey, null, null, [], e.Message),
        _ => null,
    };

    // "SQLite Error 19: 'UNIQUE constraint failed: t.a, t.b'." or, for an index on expressions, "... failed: index 'ux_name'".
    private static ConstraintViolation DescribeUnique(string message)
    {
        var start = message.IndexOf(Failed, StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        if (start < 0 || end < start)
        {
            return new ConstraintViolation(ConstraintViolationKind.Unique, null, null, [], message);
        }

        var names = message[(start + Failed.Length)..end];
        if (names.StartsWith("index '", StringComparison.Ordinal))
        {
            return new ConstraintViolation(ConstraintViolationKind.Unique, names["index '".Length..].TrimEnd('\''), null, [], message);
        }

        string? table = null;
        var columns = new List<string>();
        foreach (var qualified in names.Split(", "))
        {
            var dot = qualified.IndexOf('.', StringComparison.Ordinal);
            table ??= dot < 0 ? null : qualified[..dot];
            columns.Add(qualified[(dot + 1)..]);
        }

        return new ConstraintViolation(ConstraintViolationKind.Unique, null, table, columns, message);
    }
}
