using Microsoft.Extensions.DependencyInjection;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>AddPremix validates at startup and gives each scope its own unit of work and repositories.</summary>
public sealed class DependencyInjectionTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Scoped_repositories_write_through_the_scope_unit_of_work()
    {
        await using var services = new ServiceCollection().AddPremix(p => p.UseProvider(Provider).AddModelConfiguration<CustomerMap>()).BuildServiceProvider(validateScopes: true);
        await RecreateTablesAsync(services.GetRequiredService<IPremix>());

        long id;
        await using (var scope = services.CreateAsyncScope())
        {
            var customers = scope.ServiceProvider.GetRequiredService<IRepository<Customer>>();
            var customer = new Customer { Name = "Ada" };
            customers.Add(customer);
            Assert.That(scope.ServiceProvider.GetRequiredService<IUnitOfWork>().HasPendingChanges, Is.True, "the repository and the unit of work share the scope");
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync();
            id = customer.Id;
        }

        await using var other = services.CreateAsyncScope();
        Assert.That(other.ServiceProvider.GetRequiredService<IUnitOfWork>().HasPendingChanges, Is.False, "each scope has its own unit of work");
        Assert.That((await other.ServiceProvider.GetRequiredService<IRepository<Customer>>().GetAsync(id)).Name, Is.EqualTo("Ada"));
        Assert.That(services.GetRequiredService<IPremix>(), Is.SameAs(other.ServiceProvider.GetRequiredService<IPremix>()));
    }

    [Test]
    public void A_bad_mapping_fails_AddPremix_itself_so_the_host_never_starts()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<MappingException>(() => services.AddPremix(p => p.UseProvider(Provider).AddModelConfiguration<KeylessMap>()));

        Assert.That(error!.Message, Does.Contain("Keyless: has no key."));
        Assert.That(services, Is.Empty, "nothing is registered for a model that cannot run");
    }

    [Test]
    public void Disposing_a_scope_discards_uncommitted_writes()
    {
        using var services = new ServiceCollection().AddPremix(p => p.UseProvider(Provider).AddModelConfiguration<CustomerMap>()).BuildServiceProvider();
        IUnitOfWork uow;
        using (var scope = services.CreateScope())
        {
            uow = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().Add(new Customer { Name = "never" });
        }

        Assert.Throws<ObjectDisposedException>(() => _ = uow.HasPendingChanges, "nothing is pending any more, and the disposed unit of work says so by refusing");
        Assert.Throws<ObjectDisposedException>(() => uow.Commit());
    }

    [Test]
    public async Task Hooks_registered_in_DI_use_scoped_services_before_the_insert_and_after_the_commit()
    {
        var services = new ServiceCollection()
            .AddPremix(p => p.UseProvider(Provider).AddModelConfiguration<CustomerMap>())
            .AddScoped<VisitStamp>()
            .AddScoped<IEntityHook<Customer>, StampingHook>();
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        await RecreateTablesAsync(provider.GetRequiredService<IPremix>());

        await using var scope = provider.CreateAsyncScope();
        var customer = new Customer { Name = "hooked" };
        scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().Add(customer);
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync();

        var stamp = scope.ServiceProvider.GetRequiredService<VisitStamp>();
        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")}"), Is.EqualTo(42), "the before-hook's change is saved");
        Assert.That(stamp.CommittedIds, Is.EqualTo(new[] { customer.Id }), "the after-hook sees the generated key");
    }

    public sealed class VisitStamp
    {
        public List<long> CommittedIds { get; } = [];
    }

    public sealed class StampingHook(VisitStamp stamp) : IEntityHook<Customer>
    {
        public ValueTask BeforeInsertAsync(Customer entity, CancellationToken cancellationToken)
        {
            entity.Visits = 42;
            return ValueTask.CompletedTask;
        }

        public ValueTask AfterInsertAsync(Customer entity, CancellationToken cancellationToken)
        {
            stamp.CommittedIds.Add(entity.Id);
            return ValueTask.CompletedTask;
        }
    }

    public sealed class Keyless
    {
        public string Name { get; set; } = "";
    }

    private sealed class KeylessMap : ModelConfiguration<Keyless>
    {
        public override void Configure(EntityBuilder<Keyless> e)
        {
        }
    }
}
