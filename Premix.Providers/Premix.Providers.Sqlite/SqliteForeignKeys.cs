using Microsoft.Data.Sqlite;

namespace Premix.Providers.Sqlite;

/// <summary>
/// Whether the SQLite library loaded in the process enforces foreign keys on a connection nobody told to: the e_sqlite3
/// bundled with Microsoft.Data.Sqlite is compiled with <c>SQLITE_DEFAULT_FOREIGN_KEYS=1</c>, a system SQLite usually is not.
/// </summary>
/// <remarks>
/// <c>Foreign Keys=True</c> in a connection string makes Microsoft.Data.Sqlite run <c>PRAGMA foreign_keys = 1</c> on every
/// open, pooled or not: a command per operation now that a unit of work takes a connection per operation (0.6 KB and
/// 3–7 µs against 0.3 µs for the open itself). Asked once per process, of a bare in-memory database handle
/// (<c>sqlite3_db_config(SQLITE_DBCONFIG_ENABLE_FKEY, -1)</c> reads the setting a new connection has): no
/// Microsoft.Data.Sqlite connection, pool or statement, so a start no longer runs a query before its first one. Not the
/// library's compile-time options: they list <c>DEFAULT_FOREIGN_KEYS</c> without its value.
/// </remarks>
internal static class SqliteForeignKeys
{
    private static readonly Lazy<bool> OnByDefault = new(Probe);

    public static bool EnforcedByDefault => OnByDefault.Value;

    /// <summary>Whether foreign keys are enforced on this open database handle now (what <c>PRAGMA foreign_keys</c> reports).</summary>
    /// <remarks>
    /// False when the library cannot say (<c>sqlite3_db_config</c> not OK, as in SQLite before 3.12, which has no
    /// <c>SQLITE_DBCONFIG_ENABLE_FKEY</c>): deliberately the safe side, since "off" only makes every connection ask for
    /// enforcement (<c>Foreign Keys=True</c>, a PRAGMA per open), while a wrong "on" would leave them unenforced.
    /// </remarks>
    internal static bool Enforces(SQLitePCL.sqlite3 database) =>
        // -1: leave the setting as it is and report it.
        SQLitePCL.raw.sqlite3_db_config(database, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_FKEY, -1, out int enforced) == SQLitePCL.raw.SQLITE_OK
        && enforced == 1;

    private static bool Probe()
    {
        // Microsoft.Data.Sqlite chooses and loads the native library (SQLitePCL's batteries) in SqliteConnection's static
        // constructor; the first query needs it anyway.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
        var opened = SQLitePCL.raw.sqlite3_open_v2(":memory:", out var database, SQLitePCL.raw.SQLITE_OPEN_READWRITE | SQLitePCL.raw.SQLITE_OPEN_CREATE | SQLitePCL.raw.SQLITE_OPEN_MEMORY, null);
        using (database)
        {
            // A handle that did not open answers "off", the safe side (see Enforces).
            return opened == SQLitePCL.raw.SQLITE_OK && Enforces(database);
        }
    }
}
