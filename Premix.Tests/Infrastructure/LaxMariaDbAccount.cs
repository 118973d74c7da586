using System.Security.Cryptography;
using MySqlConnector;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A MariaDB account whose new sessions start in a chosen <c>sql_mode</c>, the way every session of a server configured
/// with that mode starts, without touching the <c>sql_mode</c> of the shared test server that other fixtures use at the
/// same time. It takes a global <c>init_connect</c> whose statement changes the mode only for this account's user name;
/// MariaDB never runs <c>init_connect</c> for accounts with SUPER (the test user of every other fixture) anyway. The
/// previous <c>init_connect</c> runs first and is restored on dispose, and the account is dropped.
/// </summary>
/// <remarks>
/// Only new physical connections run <c>init_connect</c>: a pooled connection the driver resets gets the server's global
/// mode (strict here) back, where a server configured lax would give the lax mode again. Premix must handle both.
/// </remarks>
internal sealed class LaxMariaDbAccount : IAsyncDisposable
{
    private readonly string _adminConnectionString;
    private readonly string _user;
    private readonly string _previousInitConnect;

    private LaxMariaDbAccount(string adminConnectionString, string user, string previousInitConnect, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        _user = user;
        _previousInitConnect = previousInitConnect;
        ConnectionString = connectionString;
    }

    /// <summary>A connection string to the same database as the account's user.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the account with every privilege on <paramref name="database"/> and sessions starting in <paramref name="sqlMode"/>.</summary>
    public static async Task<LaxMariaDbAccount> CreateAsync(string database, string sqlMode)
    {
        var admin = TestEnvironment.RequireAdminConnectionString(Engine.MySql);
        var user = "premix_lax_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await using var connection = new MySqlConnection(admin);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'");
        await ExecuteAsync(connection, $"GRANT ALL PRIVILEGES ON `{database}`.* TO '{user}'@'%'");
        var previous = (string)(await new MySqlCommand("SELECT @@GLOBAL.init_connect", connection).ExecuteScalarAsync())!;
        var own = $"SET SESSION sql_mode = IF(SUBSTRING_INDEX(USER(), '@', 1) = '{user}', '{sqlMode}', @@SESSION.sql_mode)";
        await using (var set = new MySqlCommand("SET GLOBAL init_connect = @statement", connection))
        {
            set.Parameters.AddWithValue("@statement", previous.Length == 0 ? own : previous + ";" + own);
            await set.ExecuteNonQueryAsync();
        }

        var connectionString = new MySqlConnectionStringBuilder(admin) { Database = database, UserID = user, Password = password }.ConnectionString;
        return new LaxMariaDbAccount(admin, user, previous, connectionString);
    }

    /// <summary>Restores <c>init_connect</c> and drops the account.</summary>
    public async ValueTask DisposeAsync()
    {
        await using var connection = new MySqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using (var restore = new MySqlCommand("SET GLOBAL init_connect = @statement", connection))
        {
            restore.Parameters.AddWithValue("@statement", _previousInitConnect);
            await restore.ExecuteNonQueryAsync();
        }

        await ExecuteAsync(connection, $"DROP USER IF EXISTS '{_user}'@'%'");
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
