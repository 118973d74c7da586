using System.Data.Common;
using System.Security.Cryptography;
using MySqlConnector;
using Npgsql;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A server at its connection limit (MariaDB 1203, PostgreSQL 53300, here a user allowed one connection) is up and
/// saturated, not away: a read gets <see cref="ResilienceOptions.MaxRetries"/> retries and no more, even from a Premix
/// that reached the server before and has a <see cref="ResilienceOptions.MaxUnavailableTime"/> window, which is for a
/// server that is down or restarting. Retrying for the whole window would only add to the load.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
[NeedsServerSession("The limit is the server's count of one user's sessions; behind the pooler the client's connections are not the server's.")]
public sealed class ConnectionLimitTests(Engine engine) : ResilienceTest(engine)
{
    private readonly string _user = "premix_limit_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string _password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    [SetUp]
    public async Task CreateUserAllowedOneConnectionAsync()
    {
        // Generated names and passwords, so DDL that takes no parameters can carry them as literals.
        await ExecuteAsync(Engine == Engine.PostgreSql
            ? $"CREATE ROLE {_user} LOGIN PASSWORD '{_password}' CONNECTION LIMIT 1"
            : $"CREATE USER '{_user}'@'%' IDENTIFIED BY '{_password}' WITH MAX_USER_CONNECTIONS 1; GRANT SELECT ON `{DatabaseName}`.* TO '{_user}'@'%'");
    }

    [TearDown]
    public async Task DropUserAsync() =>
        await ExecuteAsync(Engine == Engine.PostgreSql ? $"DROP ROLE IF EXISTS {_user}" : $"DROP USER IF EXISTS '{_user}'@'%'");

    [Test]
    public async Task A_read_at_the_connection_limit_of_a_server_reached_before_gets_MaxRetries_not_the_MaxUnavailableTime_window()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap(), o => o.MaxUnavailableTime = TimeSpan.FromSeconds(30), LimitedProvider());
        Assert.That(await ReadOneAsync(premix), Is.EqualTo(1), "the server was reached: a server that goes away now gets the window");
        await using var holder = await HoldTheOneConnectionAsync();

        var error = Assert.CatchAsync(() => ReadOneAsync(premix));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.TypeOf<DatabaseConnectionException>());
            Assert.That((error as DatabaseConnectionException)?.Failure, Is.EqualTo(ConnectionFailureKind.ConnectionLimit));
            Assert.That(error?.Message, Does.Contain("the server is at its connection limit"));
            Assert.That(Retries("read"), Is.EqualTo(MaxRetries), "the window is for a server that is away; this one is up and saturated");
        }
    }

    private static async Task<long> ReadOneAsync(IPremix premix)
    {
        await using var uow = premix.BeginUnitOfWork();
        return await uow.Raw("SELECT 1").ReadOnly().ScalarAs<long>();
    }

    // Without driver pooling, Premix's connection is the user's one session only while it is in use.
    private IDatabaseProvider LimitedProvider() => Engine == Engine.PostgreSql
        ? new PostgreSqlProvider(new NpgsqlConnectionStringBuilder(ConnectionString) { Username = _user, Password = _password, Pooling = false }.ConnectionString)
        : new MySqlProvider(new MySqlConnectionStringBuilder(ConnectionString) { UserID = _user, Password = _password, Pooling = false }.ConnectionString);

    // The user's one connection, taken once the server has ended the session of Premix's last read (it ends after the client closed).
    private async Task<DbConnection> HoldTheOneConnectionAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            DbConnection connection = Engine == Engine.PostgreSql
                ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Username = _user, Password = _password, Pooling = false }.ConnectionString)
                : new MySqlConnection(new MySqlConnectionStringBuilder(ConnectionString) { UserID = _user, Password = _password, Pooling = false }.ConnectionString);
            try
            {
                await connection.OpenAsync();
                return connection;
            }
            catch (DbException) when (attempt < 50)
            {
                await connection.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
