using Microsoft.Data.Sqlite;
using Premix.Providers.Sqlite;

namespace Premix.Tests.Providers;

/// <summary>
/// Whether SQLite enforces foreign keys on a connection nobody told to is asked of the loaded library once, with
/// <c>sqlite3_db_config(SQLITE_DBCONFIG_ENABLE_FKEY)</c> on a bare in-memory handle, not through a connection Premix opens
/// at startup; the provider adds <c>Foreign Keys=True</c> to its connection string only when the answer is "off".
/// </summary>
public sealed class SqliteForeignKeysTests
{
    [Test]
    public void The_default_read_from_the_library_is_what_a_new_connection_enforces()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();

        Assert.That(SqliteForeignKeys.EnforcedByDefault, Is.EqualTo(PragmaForeignKeys(connection)));
    }

    [TestCase("OFF", false)]
    [TestCase("ON", true)]
    public void The_reading_of_a_handle_is_what_its_pragma_says(string setting, bool expected)
    {
        // Both directions: a reading stuck at "on" would leave a library without the default unenforced.
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"PRAGMA foreign_keys = {setting}";
            command.ExecuteNonQuery();
        }

        Assert.That(PragmaForeignKeys(connection), Is.EqualTo(expected), "arranged");
        Assert.That(SqliteForeignKeys.Enforces(connection.Handle!), Is.EqualTo(expected));
    }

    [Test]
    public void The_bundled_library_enforces_them_so_no_connection_string_asks_for_them()
    {
        // Microsoft.Data.Sqlite's e_sqlite3 is compiled with SQLITE_DEFAULT_FOREIGN_KEYS=1: reading it as off would add a
        // PRAGMA to every open.
        using var provider = new SqliteProvider("Data Source=:memory:;Foreign Keys=False");

        Assert.That(SqliteForeignKeys.EnforcedByDefault, Is.True);
        Assert.That(new SqliteConnectionStringBuilder(provider.CreateConnection().ConnectionString).ForeignKeys, Is.Null);
    }

    [TestCase(true, null)]
    [TestCase(false, true)]
    public void A_connection_string_asks_for_them_only_when_the_library_does_not_enforce_them(bool libraryDefault, bool? keyword)
    {
        // "Foreign Keys=False" from the user is overruled either way: dropped when the library enforces them, turned on otherwise.
        using var provider = new SqliteProvider("Data Source=:memory:;Foreign Keys=False", null, libraryDefault);
        using var tenant = (SqliteProvider)provider.ForConnectionString("Data Source=tenant.db;Foreign Keys=False");

        using var connection = provider.CreateConnection();
        using var tenantConnection = tenant.CreateConnection();
        Assert.That(new SqliteConnectionStringBuilder(connection.ConnectionString).ForeignKeys, Is.EqualTo(keyword));
        Assert.That(new SqliteConnectionStringBuilder(tenantConnection.ConnectionString).ForeignKeys, Is.EqualTo(keyword), "a tenant's connections");
    }

    private static bool PragmaForeignKeys(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }
}
