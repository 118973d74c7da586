using Microsoft.Data.Sqlite;

namespace Premix.Providers.Sqlite;

/// <summary>
/// Which SQLite errors are worth another attempt: SQLITE_BUSY and SQLITE_LOCKED, another connection holding the lock
/// longer than the driver waited for it. The database is in-process, so no connection is ever lost, and the outcome of
/// a COMMIT is always known. Also what a database file that did not open ran into.
/// </summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int CannotOpen = 14;

    public static DatabaseErrorKind Classify(Exception error) =>
        error is SqliteException { SqliteErrorCode: Busy or Locked } ? DatabaseErrorKind.Transient : DatabaseErrorKind.Permanent;

    /// <summary>
    /// What an error thrown while opening <paramref name="file"/> (the full path) means: SQLite says only "unable to
    /// open database file", so the file system tells whether the folder or the file is missing.
    /// </summary>
    public static (ConnectionFailureKind Kind, string Reason) DescribeOpen(Exception error, string file, SqliteOpenMode mode)
    {
        if (error is not SqliteException { SqliteErrorCode: CannotOpen })
        {
            return (ConnectionFailureKind.Other, error.Message);
        }

        if (Path.GetDirectoryName(file) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            return (ConnectionFailureKind.DatabaseNotFound, $"the folder '{folder}' does not exist; {error.Message}");
        }

        return !File.Exists(file) && mode is SqliteOpenMode.ReadWrite or SqliteOpenMode.ReadOnly
            ? (ConnectionFailureKind.DatabaseNotFound, $"the file does not exist, and Mode={mode} does not create it; {error.Message}")
            : (ConnectionFailureKind.Other, error.Message); // a folder where the file should be, no permission, ...
    }
}
