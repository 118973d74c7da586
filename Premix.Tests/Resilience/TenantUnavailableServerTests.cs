using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// <see cref="ResilienceOptions.MaxUnavailableTime"/> with a database per tenant: a tenant's database reached before keeps
/// that fact when its tenant is closed (here evicted at <see cref="TenancyOptions.MaxOpenDatabases"/>), so, opened again
/// while its server cuts every connection off (a <see cref="TcpRelay"/> that is <see cref="TcpRelay.Refusing"/>), it rides
/// the outage out for the window as a tenant that stayed open does, instead of failing after MaxRetries as a server never
/// reached would. PostgreSQL and MariaDB: SQLite has no server to lose.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class TenantUnavailableServerTests(Engine engine) : ResilienceTest(engine)
{
    [Test]
    public async Task A_tenant_database_reached_before_closed_and_opened_again_while_its_server_is_away_gets_the_MaxUnavailableTime_window()
    {
        await using var relay = RelayToServer();
        var throughRelay = ConnectionStringThrough(relay, pooling: false); // every attempt a new connection the relay sees
        await using var premix = PremixFactory.Create(
            p => p.UseProvider(Provider).AddModelConfiguration(new CustomerMap())
                .UseTenants(t => t.DatabasePerTenant(tenant => tenant == "acme" ? throughRelay : ConnectionString).MaxOpenDatabases = 1)
                .ConfigureResilience(o =>
                {
                    o.MaxRetries = MaxRetries;
                    o.BaseDelay = TimeSpan.FromMilliseconds(10);
                    o.MaxDelay = TimeSpan.FromMilliseconds(200);
                    o.MaxUnavailableTime = TimeSpan.FromSeconds(2);
                }),
            LoggerFactory.Create(logging => logging.AddProvider(Logs)));
        Assert.That(await ReadOneAsync(premix, "acme"), Is.EqualTo(1), "acme's server was reached");
        Assert.That(await ReadOneAsync(premix, "globex"), Is.EqualTo(1), "globex took the one open tenant database: acme's was closed");
        relay.Refusing = true;

        var error = Assert.CatchAsync(() => ReadOneAsync(premix, "acme"));

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
