using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Plans;

/// <summary>
/// Plans compile their delegates, and make some by reflection, on first use (issue 19). Making them can fail in ways
/// no startup check sees (a delegate type that does not fit, an invalid expression tree); so the feature-rich test
/// models start here with <see cref="LazyDelegates.Eager"/> on, which makes every delegate at startup as before, on
/// every engine: value converters, nested value objects, JSON columns and both table-per-hierarchy models.
/// </summary>
public sealed class EagerStartupTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task The_converted_owned_JSON_and_hierarchy_models_make_every_delegate_at_startup()
    {
        await EagerStartup.AssertStartsAsync(() => CreatePremix(p =>
        {
            AccountMap.Registry(p.AddModelConfiguration(new AccountMap()).AddModelConfiguration(new Types.InvoiceMap()));
            p.AddModelConfiguration(new ResidentMap())
                .AddModelConfiguration(new KeeperMap()).AddModelConfiguration(new PetMap()).AddModelConfiguration(new DogMap())
                .AddModelConfiguration(new RiderMap()).AddModelConfiguration(new MountMap()).AddModelConfiguration(new PonyMap())
                .AddModelConfiguration(new SaddleMap()).AddModelConfiguration(new ShowMap());
        }));
        await EagerStartup.AssertStartsAsync(() => CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new TenantMap())));
    }
}
