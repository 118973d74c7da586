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

        Assert.That(uow.HasPendingChanges, Is.False);
        Assert.Throws<ObjectDisposedException>(() => uow.Commit());
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
