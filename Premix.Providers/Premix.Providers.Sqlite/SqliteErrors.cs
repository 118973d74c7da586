using Microsoft.Data.Sqlite;

namespace Premix.Providers.Sqlite;

/// <summary>
/// Which SQLite errors are worth another attempt: SQLITE_BUSY and SQLITE_LOCKED, another connection holding the lock
/// longer than the driver waited for it. The database is in-process, so no connection is ever lost, and the outcome of
/// a COMMIT is always known.
/// </summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;

    public static DatabaseErrorKind Classify(Exception error) =>
        error is SqliteException { SqliteErrorCode: Busy or Locked } ? DatabaseErrorKind.Transient : DatabaseErrorKind.Permanent;
}
