using Microsoft.Extensions.DependencyInjection;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Configuration;

/// <summary>Disposing Premix closes the driver's data source it created and refuses new work; a provider given ready-made stays open.</summary>
public sealed class PremixLifetimeTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task Disposing_closes_what_Premix_created_and_refuses_new_work()
    {
        var premix = PremixFactory.Create(UseEngine);
        Assert.That(await premix.Raw("SELECT 1").ScalarAs<int>(), Is.EqualTo(1));

        await premix.DisposeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => premix.BeginUnitOfWork(), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(() => premix.Raw("SELECT 1"), Throws.InstanceOf<ObjectDisposedException>());
            if (Engine == Engine.Sqlite)
            {
                // SQLite has no data source: disposing clears its connection pool (SqliteTenantEvictionTests proves the file is released).
                Assert.That(premix.Provider, Is.InstanceOf<IAsyncDisposable>(), "SQLite's provider releases its pooled connections on dispose");
            }
            else
            {
                Assert.That(async () => await OpenAsync(premix.Provider), Throws.InstanceOf<ObjectDisposedException>(), "the data source is disposed");
            }
        }
    }

    [Test]
    public async Task A_provider_given_ready_made_stays_open()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AllowEmptyModel());

        await premix.DisposeAsync();

        Assert.That(async () => await OpenAsync(Provider), Throws.Nothing);
    }

    [Test]
    public async Task The_container_disposes_Premix_with_itself()
    {
        var services = new ServiceCollection();
        services.AddPremix(UseEngine);
        IPremix premix;
        await using (var container = services.BuildServiceProvider())
        {
            premix = container.GetRequiredService<IPremix>();
            Assert.That(await premix.Raw("SELECT 1").ScalarAs<int>(), Is.EqualTo(1));
        }

        Assert.That(() => premix.BeginUnitOfWork(), Throws.InstanceOf<ObjectDisposedException>());
    }

    private void UseEngine(PremixOptionsBuilder p) => _ = (Engine switch
    {
        Engine.Sqlite => p.UseSqlite(ConnectionString),
        Engine.PostgreSql => p.UsePostgreSql(ConnectionString),
        _ => p.UseMySql(ConnectionString),
    }).AllowEmptyModel();

    private static async Task OpenAsync(Premix.Providers.IDatabaseProvider provider)
    {
        await using var connection = provider.CreateConnection();
        await connection.OpenAsync();
    }
}
