using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// The PostgreSQL types other engines do not store: a range property (<see cref="BookingMap"/>) is a startup problem on
/// SQLite and MySQL/MariaDB that names the property and what to do instead. PostgreSQL stores them (<see cref="RangeTests"/>).
/// </summary>
[TestFixtureSource(nameof(OtherEngines))]
public sealed class PostgreSqlTypeStartupTests(Engine engine) : PremixTest(engine)
{
    /// <summary>The engines without PostgreSQL's ranges and composite types.</summary>
    public static IEnumerable<Engine> OtherEngines { get; } = [Engine.Sqlite, Engine.MySql];

    [Test]
    public void A_range_property_fails_the_start_naming_the_property_and_the_alternative()
    {
        var error = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new BookingMap())).Dispose());

        Assert.That(error!.Problems.Select(p => p.ToString()), Has.Member(
            "Booking.Seats: has type NpgsqlRange<Int32>, a PostgreSQL type, which this database cannot store in a column. Fix: Only the PostgreSQL provider stores it (UsePostgreSql); on this database keep its parts in properties of their own, for example a value object declared with Owns(x => x.Seats) over a class of its bounds, or leave it out with Ignore(x => x.Seats)."));
        Assert.That(error.Problems, Has.Count.EqualTo(6), "every range property is reported");
    }

    [Test]
    public void A_composite_type_property_fails_the_start_naming_the_property_and_the_alternatives()
    {
        var error = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new ShipmentMap())).Dispose());

        Assert.That(error!.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "Shipment.To: is stored as the composite type pg_postal_address, which only PostgreSQL has. Fix: On this database store its parts as columns with Owns(x => x.To), or the whole value as a document with StoredAsJson().",
            "Shipment.From: is stored as the composite type pg_postal_address, which only PostgreSQL has. Fix: On this database store its parts as columns with Owns(x => x.From), or the whole value as a document with StoredAsJson().",
        }));
    }
}
