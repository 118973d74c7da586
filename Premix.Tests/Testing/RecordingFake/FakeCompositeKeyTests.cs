using Premix.Mapping;
using Premix.Testing;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>The recording fake with a composite key and a composite foreign key: found by tuple, keys copied to children, Include in both directions.</summary>
public sealed class FakeCompositeKeyTests
{
    [Test]
    public async Task The_fake_finds_by_tuple_copies_every_key_part_to_children_and_includes_both_ways()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<TripMap>().AddModelConfiguration<LegMap>());
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Trip>().Add(new Trip { Route = 5, Day = 20, Legs = [new Leg { Stop = "a" }, new Leg { Stop = "b" }] });
            uow.Repository<Trip>().Add(new Trip { Route = 5, Day = 21, Legs = [new Leg { Stop = "c" }] });
            await uow.CommitAsync();
        }

        await using var reader = fake.BeginUnitOfWork();
        var trip = await reader.Repository<Trip>().GetAsync((5, 21));
        var trips = await reader.Repository<Trip>().Query().OrderBy(t => t.Day).Include(t => t.Legs).ToListAsync();
        var legs = await reader.Repository<Leg>().Query().OrderBy(l => l.Stop).Include(l => l.Trip).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fake.Rows<Leg>().Select(l => (l.Stop, l.Route, l.Day)), Is.EqualTo(new[] { ("a", 5, 20), ("b", 5, 20), ("c", 5, 21) }));
            Assert.That(trips.Select(t => string.Join(",", t.Legs.Select(l => l.Stop).Order())), Is.EqualTo(new[] { "a,b", "c" }));
            Assert.That(legs.Select(l => l.Trip?.Day), Is.EqualTo(new int?[] { 20, 20, 21 }));
            Assert.That(legs[2].Trip, Is.SameAs(trip));
        }
    }

    public sealed class Trip
    {
        public int Route { get; set; }

        public int Day { get; set; }

        public List<Leg> Legs { get; set; } = [];
    }

    public sealed class Leg
    {
        public long Id { get; set; }

        public int Route { get; set; }

        public int Day { get; set; }

        public string Stop { get; set; } = "";

        public Trip? Trip { get; set; }
    }

    private sealed class TripMap : ModelConfiguration<Trip>
    {
        public override void Configure(EntityBuilder<Trip> e)
        {
            e.HasKey(t => new { t.Route, t.Day });
            e.HasMany(t => t.Legs).WithForeignKey(l => new { l.Route, l.Day });
        }
    }

    private sealed class LegMap : ModelConfiguration<Leg>
    {
        public override void Configure(EntityBuilder<Leg> e) => e.BelongsTo(l => l.Trip).WithForeignKey(l => new { l.Route, l.Day });
    }
}
