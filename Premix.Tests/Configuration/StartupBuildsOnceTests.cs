using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Premix.Mapping;
using Premix.Tests.Hosting;

namespace Premix.Tests.Configuration;

/// <summary>
/// Registration builds the model and its plans once, however many times the application resolves Premix and whatever
/// starts it (issue 19: a second build would double the start). Engine-independent: nothing connects, SQLite stands in.
/// </summary>
public sealed class StartupBuildsOnceTests
{
    private const string Memory = "Data Source=:memory:";

    [Test]
    public async Task Services_AddPremix_builds_the_model_once_through_host_start_and_every_resolution()
    {
        var map = new CountingMap();
        var services = new ServiceCollection();
        services.AddPremix(p => p.UseSqlite(Memory).AddModelConfiguration(map));

        await ResolveEverythingAsync(services);

        Assert.That(map.Configured, Is.EqualTo(1));
    }

    [Test]
    public async Task Builder_AddPremix_of_Premix_Hosting_builds_the_model_once_through_host_start_and_every_resolution()
    {
        var map = new CountingMap();
        var builder = HostedApp.Builder(new Dictionary<string, string?>());
        builder.AddPremix("app", p => p.UseSqlite(Memory).AddModelConfiguration(map));

        await ResolveEverythingAsync(builder.Services);

        Assert.That(map.Configured, Is.EqualTo(1));
    }

    // What an application does: start the hosted services (Premix's startup checks), then resolve Premix in scopes.
    private static async Task ResolveEverythingAsync(IServiceCollection services)
    {
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        for (var i = 0; i < 2; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<IPremix>();
            scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        }
    }

    private sealed class Counted
    {
        public long Id { get; set; }
    }

    private sealed class CountingMap : ModelConfiguration<Counted>
    {
        public int Configured { get; private set; }

        public override void Configure(EntityBuilder<Counted> e)
        {
            Configured++;
            e.ToTable("counted");
        }
    }
}
