using Microsoft.Data.Sqlite;
using Premix.Providers.Sqlite;

namespace Premix.Tests.Providers;

/// <summary>
/// Whether SQLite enforces foreign keys on a connection nobody told to is read from the library's compile-time options,
/// not from a connection Premix opens at startup: the answer must be what a new connection does.
/// </summary>
public sealed class SqliteForeignKeysTests
{
    [Test]
    public void The_default_read_from_the_library_is_what_a_new_connection_enforces()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys";
        var enforced = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;

        Assert.That(SqliteForeignKeys.EnforcedByDefault, Is.EqualTo(enforced));
    }

    [Test]
    public void The_bundled_library_enforces_them_so_no_connection_string_asks_for_them()
    {
        // Microsoft.Data.Sqlite's e_sqlite3 is compiled with SQLITE_DEFAULT_FOREIGN_KEYS=1: reading it as off would add a
        // PRAGMA to every open.
        Assert.That(SqliteForeignKeys.EnforcedByDefault, Is.True);
    }
}
