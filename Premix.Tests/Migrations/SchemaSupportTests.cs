using System.Data.Common;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// How Premix.Migrations finds a provider's schema support (<see cref="DatabaseProviderSchemaExtensions.SchemaSupport"/>):
/// Premix's providers serve it on request, made once, instead of implementing <see cref="ISchemaProvider"/> (so that a
/// start does not load Premix.Migrations, <see cref="Plans.StartAssembliesTests"/>); a provider that implements it itself,
/// as a third-party one may, keeps working.
/// </summary>
public sealed class SchemaSupportTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public void A_Premix_provider_serves_its_schema_support_made_once_and_does_not_implement_it()
    {
        var first = Provider.SchemaSupport();
        var again = Provider.SchemaSupport();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Provider, Is.Not.InstanceOf<ISchemaProvider>(), "a cast finds nothing: the provider serves it");
            Assert.That(first, Is.Not.Null);
            Assert.That(again, Is.SameAs(first));
            Assert.That(((IServiceProvider)Provider).GetService(typeof(ISchemaProvider)), Is.SameAs(first));
            Assert.That(((IServiceProvider)Provider).GetService(typeof(IDisposable)), Is.Null, "no other service");
        }
    }

    [Test]
    public async Task Concurrent_first_requests_on_a_new_provider_get_one_schema_support()
    {
        var provider = Provider.ForConnectionString(ConnectionString);
        try
        {
            using var ready = new Barrier(8);
            var found = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                ready.SignalAndWait();
                return provider.SchemaSupport();
            })));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(found, Has.All.Not.Null);
                Assert.That(found.Distinct().Count(), Is.EqualTo(1), "one schema support, whichever request made it");
            }
        }
        finally
        {
            await ((IAsyncDisposable)provider).DisposeAsync();
        }
    }

    [Test]
    public async Task A_provider_that_implements_ISchemaProvider_itself_is_synced()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(new SelfDescribingProvider(Provider)).AddModelConfiguration(new SelfDescribedMap()));
        await using (premix)
        {
            await premix.SyncAsync();
        }

        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM self_described_things";
        Assert.That(Convert.ToInt64(await command.ExecuteScalarAsync()), Is.Zero, "the table the sync created");
    }

    [Test]
    public void A_provider_that_neither_implements_nor_serves_it_has_no_schema_support() =>
        Assert.That(new ServiceOnlyProvider(Provider).SchemaSupport(), Is.Null);

    [Test]
    public async Task Sync_with_a_provider_without_schema_support_says_the_provider_does_not_support_schema_changes()
    {
        await using var premix = PremixFactory.Create(p => p.UseProvider(new ServiceOnlyProvider(Provider)).AddModelConfiguration(new SelfDescribedMap()));

        var error = Assert.ThrowsAsync<NotSupportedException>(() => premix.SyncAsync());

        Assert.That(error!.Message, Is.EqualTo(
            $"The {Provider.Name} provider does not support schema changes: it neither implements ISchemaProvider nor serves it through IServiceProvider."));
    }

    [Test]
    public void Scaffolding_with_a_provider_without_schema_support_says_the_provider_cannot_scaffold()
    {
        var error = Assert.ThrowsAsync<NotSupportedException>(() => Scaffolder.ScaffoldAsync(new ServiceOnlyProvider(Provider), new ScaffoldOptions()));

        Assert.That(error!.Message, Is.EqualTo(
            $"The {Provider.Name} provider cannot scaffold: it neither implements ISchemaProvider nor serves it through IServiceProvider."));
    }

    [Test]
    public async Task Migrating_with_a_provider_without_schema_support_says_the_provider_does_not_support_versioned_migrations()
    {
        await using var premix = PremixFactory.Create(p => p.UseProvider(new ServiceOnlyProvider(Provider)).AddModelConfiguration(new SelfDescribedMap()));

        var error = Assert.ThrowsAsync<NotSupportedException>(() => premix.MigrateAsync(MigrationSource.Folder(Path.GetTempPath())));

        Assert.That(error!.Message, Does.StartWith(
            $"The database provider '{Provider.Name}' (ServiceOnlyProvider) does not support versioned migrations: it neither implements ISchemaProvider nor serves it through IServiceProvider."));
    }

    // A third-party provider as providers were before: it implements ISchemaProvider (here by forwarding to Premix's).
    private sealed class SelfDescribingProvider(IDatabaseProvider inner) : IDatabaseProvider, ISchemaProvider
    {
        private readonly ISchemaProvider _support = inner.SchemaSupport()!;

        public string Name => inner.Name;

        public ISqlDialect Dialect => inner.Dialect;

        public SchemaDialect Schema => _support.Schema;

        public IMigrationDialect Migrations => _support.Migrations;

        public DbConnection CreateConnection() => inner.CreateConnection();
    }

    // A provider that is a service provider, but serves no schema support.
    private sealed class ServiceOnlyProvider(IDatabaseProvider inner) : IDatabaseProvider, IServiceProvider
    {
        public string Name => inner.Name;

        public ISqlDialect Dialect => inner.Dialect;

        public DbConnection CreateConnection() => inner.CreateConnection();

        public object? GetService(Type serviceType) => serviceType == typeof(ISqlDialect) ? Dialect : null;
    }

    private sealed class SelfDescribedThing
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";
    }

    private sealed class SelfDescribedMap : ModelConfiguration<SelfDescribedThing>
    {
        public override void Configure(EntityBuilder<SelfDescribedThing> entity)
        {
            entity.ToTable("self_described_things");
            entity.Property(t => t.Name).HasMaxLength(50);
        }
    }
}
