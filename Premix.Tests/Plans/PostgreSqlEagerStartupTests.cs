using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Plans;

/// <summary>
/// <see cref="EagerStartupTests"/> for the models only PostgreSQL maps: array and enum-array columns (whose many-row
/// array builders and element comparers are made by reflection), ranges and composite types.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class PostgreSqlEagerStartupTests(Engine engine) : PremixTest(engine)
{
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [Test]
    public async Task The_array_enum_array_range_and_composite_models_make_every_delegate_at_startup_on_PostgreSQL()
    {
        await EagerStartup.AssertStartsAsync(() => CreatePremix(p => p
            .AddModelConfiguration(new Types.ArticleMap()).AddModelConfiguration(new ArrayRowMap())
            .AddModelConfiguration(new ReviewMap()).AddModelConfiguration(new BookingMap()).AddModelConfiguration(new ShipmentMap())));
    }
}
