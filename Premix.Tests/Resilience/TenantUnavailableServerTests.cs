using Microsoft.Extensions.Logging;
using MySqlConnector;
using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// <see cref="ResilienceOptions.MaxUnavailableTime"/> with a database per tenant: a tenant's database reached before keeps
/// that fact when its tenant is closed (here evicted at <see cref="TenancyOptions.MaxOpenDatabases"/>), so, opened again
/// while its server cuts every connection off (a <see cref="TcpRelay"/> that is <see cref="TcpRelay.Refusing"/>), it rides
/// the outage out for the window as a tenant that stayed open does, instead of failing after MaxRetries as a server never
/// reached would. The fact is kept by server (hosts and port), not by connection string: a tenant new to a server another
/// tenant reached gets the window too, and a string rebuilt at every open is remembered once. PostgreSQL and MariaDB:
/// SQLite has no server to lose.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class TenantUnavailableServerTests(Engine engine) : ResilienceTest(engine)
{
    [Test]
    public async Task A_tenant_database_reached_before_closed_and_opened_again_while_its_server_is_away_gets_the_MaxUnavailableTime_window()
    {
        await using var relay = RelayToServer();
        var throughRelay = ConnectionStringThrough(relay, pooling: false); // every attempt a new connection the relay sees
        await using var premix = Create(tenant => tenant == "acme" ? throughRelay : ConnectionString);
        Assert.That(await ReadOneAsync(premix, "acme"), Is.EqualTo(1), "acme's server was reached");
        Assert.That(await ReadOneAsync(premix, "globex"), Is.EqualTo(1), "globex took the one open tenant database: acme's was closed");
        relay.Refusing = true;

        AssertRidesTheWindowOut(() => ReadOneAsync(premix, "acme"));
    }

    [Test]
    public async Task A_tenant_database_opened_for_the_first_time_on_a_server_another_tenant_reached_gets_the_MaxUnavailableTime_window()
    {
        await using var relay = RelayToServer();
        var throughRelay = ConnectionStringThrough(relay, pooling: false);
        await using var premix = Create(tenant => tenant switch
        {
            "acme" => throughRelay,
            "initech" => WithApplicationName(throughRelay, "initech"), // another database's string, the same server
            _ => ConnectionString,
        });
        Assert.That(await ReadOneAsync(premix, "acme"), Is.EqualTo(1), "acme's server was reached");
        Assert.That(await ReadOneAsync(premix, "globex"), Is.EqualTo(1), "globex took the one open tenant database: acme's was closed");
        relay.Refusing = true;

        AssertRidesTheWindowOut(() => ReadOneAsync(premix, "initech"));
    }

    [Test]
    public async Task A_tenant_whose_connection_string_changes_at_every_open_is_remembered_once_per_server_and_keeps_the_MaxUnavailableTime_window()
    {
        await using var relay = RelayToServer();
        var throughRelay = ConnectionStringThrough(relay, pooling: false);
        var opens = 0; // a string rebuilt per call, as with a rotating password or access token
        await using var premix = Create(tenant => tenant == "acme" ? WithApplicationName(throughRelay, $"acme{Interlocked.Increment(ref opens)}") : ConnectionString);
        for (var round = 0; round < 3; round++)
        {
            Assert.That(await ReadOneAsync(premix, "acme"), Is.EqualTo(1), "acme's server was reached");
            Assert.That(await ReadOneAsync(premix, "globex"), Is.EqualTo(1), "globex took the one open tenant database: acme's was closed");
        }

        relay.Refusing = true;

        AssertRidesTheWindowOut(() => ReadOneAsync(premix, "acme"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(opens, Is.EqualTo(4), "acme was opened four times, each with a new connection string");
            Assert.That(((PremixDatabase)premix).Tenants!.ServersReachedBefore, Is.EqualTo(2), "two servers were reached (the relay's and the server's), whatever the strings");
        }
    }

    private IPremix Create(Func<string, string> connectionStringOf) => PremixFactory.Create(
        p => p.UseProvider(Provider).AddModelConfiguration(new CustomerMap())
            .UseTenants(t => t.DatabasePerTenant(connectionStringOf).MaxOpenDatabases = 1)
            .ConfigureResilience(o =>
            {
                o.MaxRetries = MaxRetries;
                o.BaseDelay = TimeSpan.FromMilliseconds(10);
                o.MaxDelay = TimeSpan.FromMilliseconds(200);
                o.MaxUnavailableTime = TimeSpan.FromSeconds(2);
            }),
        LoggerFactory.Create(logging => logging.AddProvider(Logs)));

    private string WithApplicationName(string connectionString, string name) => Engine == Engine.PostgreSql
        ? new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = name }.ConnectionString
        : new MySqlConnectionStringBuilder(connectionString) { ApplicationName = name }.ConnectionString;

    private void AssertRidesTheWindowOut(Func<Task> read)
    {
        var error = Assert.CatchAsync(read);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.TypeOf<DatabaseConnectionException>());
            Assert.That(error?.Message, Does.Contain("ResilienceOptions.MaxUnavailableTime given to a server reached before ran out"));
            Assert.That(Retries("read"), Is.GreaterThan(MaxRetries), "the window gives more than MaxRetries");
        }
    }

    private static async Task<long> ReadOneAsync(IPremix premix, string tenant)
    {
        using (PremixTenant.Begin(tenant))
        {
            await using var uow = premix.BeginUnitOfWork();
            return await uow.Raw("SELECT 1").ReadOnly().ScalarAs<long>();
        }
    }
}
