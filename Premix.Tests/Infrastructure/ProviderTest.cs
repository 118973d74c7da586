using System.Data.Common;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Base of every provider-matrix fixture: a test written once runs on SQLite, PostgreSQL and MariaDB, each
/// fixture instance in a database of its own so fixtures can run in parallel.
/// </summary>
/// <remarks>
/// Derive, take the engine in the constructor and pass it on:
/// <code>
/// public sealed class ConnectionTests(Engine engine) : ProviderTest(engine) { ... }
/// </code>
/// NUnit applies the inherited <see cref="TestFixtureSourceAttribute"/> to the derived fixture, which runs
/// once per value of <see cref="Engines"/> and shows up as <c>ConnectionTests(PostgreSql)</c> and so on.
/// </remarks>
[TestFixtureSource(typeof(ProviderTest), nameof(Engines))]
public abstract class ProviderTest
{
    private IsolatedDatabase? _database;
    private IDatabaseProvider? _provider;
    private PoolerLoad? _poolerLoad;

    /// <summary>Binds the fixture instance to one engine.</summary>
    protected ProviderTest(Engine engine) => Engine = engine;

    /// <summary>Every engine a provider-matrix fixture runs on.</summary>
    public static IEnumerable<Engine> Engines { get; } = [Engine.Sqlite, Engine.PostgreSql, Engine.MySql];

    /// <summary>
    /// The engines with a server at the other end of a network: a fixture whose fault only exists there (a session killed,
    /// an answer lost on the way) names this source itself, <c>[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]</c>,
    /// and so has no SQLite instance at all rather than one that tests something else (docs/testing.md).
    /// </summary>
    public static IEnumerable<Engine> ServerEngines { get; } = [Engine.PostgreSql, Engine.MySql];

    /// <summary>The engine this fixture instance runs on.</summary>
    protected Engine Engine { get; }

    /// <summary>The connection string of the fixture's own database.</summary>
    protected string ConnectionString => Database.ConnectionString;

    /// <summary>The name of the fixture's own database (the file path on SQLite).</summary>
    protected string DatabaseName => Database.Name;

    /// <summary>The Premix provider for the fixture's own database.</summary>
    protected IDatabaseProvider Provider =>
        _provider ?? throw new InvalidOperationException("The provider exists from OneTimeSetUp on.");

    private IsolatedDatabase Database =>
        _database ?? throw new InvalidOperationException("The database exists from OneTimeSetUp on.");

    /// <summary>Creates the fixture's database and the provider on it.</summary>
    [OneTimeSetUp]
    public async Task CreateIsolatedDatabaseAsync()
    {
        _database = await IsolatedDatabase.CreateAsync(Engine);
        _provider = Engine switch
        {
            Engine.Sqlite => new SqliteProvider(_database.ConnectionString),
            Engine.PostgreSql => new PostgreSqlProvider(_database.ConnectionString),
            Engine.MySql => new MySqlProvider(_database.ConnectionString),
            _ => throw new InvalidOperationException($"Unknown engine {Engine}."),
        };
        if (ThroughPooler)
        {
            _poolerLoad = PoolerLoad.Start(_database.ConnectionString);
        }
    }

    /// <summary>Whether this instance reaches its database through PgBouncer (PostgreSQL in the pooled leg, docs/testing.md).</summary>
    protected bool ThroughPooler => Engine == Engine.PostgreSql && TestEnvironment.PooledLeg;

    /// <summary>
    /// Through the pooler, after each test (a base class's TearDown runs after the fixture's own): fails the test if any
    /// server session of the fixture's database carries state it left (issue 22: nothing may outlive a transaction).
    /// A TearDown, not a OneTimeTearDown, because the test adapter does not count a OneTimeTearDown failure as failed.
    /// </summary>
    [TearDown]
    public async Task AssertPooledSessionsAfterTestAsync()
    {
        if (ThroughPooler && _database is not null)
        {
            await AssertPooledSessionsCarryNothingAsync();
        }
    }

    /// <summary>Drops the fixture's database.</summary>
    [OneTimeTearDown]
    public async Task DropIsolatedDatabaseAsync()
    {
        if (_poolerLoad is not null)
        {
            await _poolerLoad.StopAsync();
            _poolerLoad = null;
        }

        if (_database is null || _provider is null)
        {
            return;
        }

        await using var connectionOfProviderPool = _provider.CreateConnection();
        await _database.DropAsync(connectionOfProviderPool);
        if (_provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>
    /// Through the pooler (<see cref="ThroughPooler"/>): asserts that no server session of the fixture's database carries a
    /// setting changed for the session, an advisory lock or other session state (<see cref="PooledSessions"/>).
    /// </summary>
    protected async Task AssertPooledSessionsCarryNothingAsync()
    {
        if (!ThroughPooler)
        {
            throw new InvalidOperationException("Only a fixture that goes through the pooler has pooled server sessions to inspect.");
        }

        // The load would take server connections while they are inspected: it pauses for the inspection.
        await _poolerLoad!.StopAsync();
        try
        {
            Assert.That(await PooledSessions.LeftoversAsync(Database.ConnectionString, Database.AdminConnectionString!, Database.Name), Is.Empty,
                "what the test left on the pooled server sessions of the fixture's database");
        }
        finally
        {
            _poolerLoad = PoolerLoad.Start(Database.ConnectionString);
        }
    }

    /// <summary>Opens a connection to the fixture's database through <see cref="Provider"/>.</summary>
    protected async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = Provider.CreateConnection();
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
