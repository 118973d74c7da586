using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>A table-per-hierarchy mapping that cannot work fails at startup with every problem listed in one exception.</summary>
public sealed class InheritanceMappingTests
{
    [Test]
    public void Every_problem_of_a_hierarchy_is_reported_at_once()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new VehicleMap()).Add(new VanMap()).Build());

        Assert.That(error!.Problems.Select(p => $"{p.Entity}.{p.Property}"), Is.EquivalentTo(new[]
        {
            "Vehicle.Kind", // 'car' given to Car and Truck
            "Motor.",       // abstract, with a value
            "Bike.",        // concrete, without a value
            "Van.",         // its mapping declares a table of its own
            "Car.Seats",    // the column Van.Seats maps as another type
            "Sled.",        // a value with a quote
        }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain("gives the discriminator value 'car' to Car and Truck"));
            Assert.That(error.Message, Does.Contain("Motor: is abstract but has the discriminator value 'motor'"));
            Assert.That(error.Message, Does.Contain("Bike: is a concrete class of Vehicle's hierarchy but has no discriminator value").And.Contain(".HasValue<Bike>(\"...\")"));
            Assert.That(error.Message, Does.Contain("Van: shares Vehicle's table (HasDiscriminator) but VanMap declares ToTable"));
            Assert.That(error.Message, Does.Contain("Car.Seats: maps the column 'Seats' as Int32, which Van.Seats maps as String"));
        }
    }

    [Test]
    public void A_subclass_gets_its_base_table_key_and_declarations_and_its_own_columns_by_convention()
    {
        var model = new ModelBuilder().Add(new VehicleOkMap()).Add(new VanOkMap()).Build();

        var car = model.Get(typeof(Car));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(car.Table, Is.EqualTo("vehicles"));
            Assert.That(car.Key.Select(k => k.Name), Is.EqualTo(new[] { "Id" }));
            Assert.That(car.FindProperty(nameof(Vehicle.Kind))!.MaxLength, Is.EqualTo(10), "the base's declaration of an inherited property applies");
            Assert.That(car.FindProperty(nameof(Car.Seats)), Has.Property(nameof(PropertyModel.IsRequired)).True.And.Property(nameof(PropertyModel.ColumnAllowsNull)).True);
            Assert.That(car.Inheritance!.Value, Is.EqualTo("car"));
            Assert.That(model.Get(typeof(Van)).FindProperty(nameof(Van.Seats))!.Column, Is.EqualTo("van_seats"), "a subclass's own mapping configures its own properties");
            Assert.That(model.Get(typeof(Vehicle)).Inheritance!.Values.Keys, Is.EquivalentTo(new[] { typeof(Car), typeof(Van), typeof(Truck), typeof(Sled), typeof(Bike) }));
        }
    }

    public abstract class Vehicle
    {
        public int Id { get; set; }

        public string Kind { get; set; } = "";
    }

    public abstract class Motor : Vehicle;

    public sealed class Car : Motor
    {
        public int Seats { get; set; }
    }

    public sealed class Truck : Motor;

    public sealed class Van : Vehicle
    {
        public string? Seats { get; set; }
    }

    public sealed class Sled : Vehicle;

    public sealed class Bike : Vehicle;

    private sealed class VehicleMap : ModelConfiguration<Vehicle>
    {
        public override void Configure(EntityBuilder<Vehicle> e) =>
            e.HasDiscriminator(v => v.Kind).HasValue<Car>("car").HasValue<Truck>("car").HasValue<Motor>("motor").HasValue<Van>("van").HasValue<Sled>("sled's");
    }

    private sealed class VanMap : ModelConfiguration<Van>
    {
        public override void Configure(EntityBuilder<Van> e) => e.ToTable("vans");
    }

    private sealed class VehicleOkMap : ModelConfiguration<Vehicle>
    {
        public override void Configure(EntityBuilder<Vehicle> e)
        {
            e.ToTable("vehicles");
            e.Property(v => v.Kind).HasMaxLength(10);
            e.HasDiscriminator(v => v.Kind).HasValue<Car>("car").HasValue<Truck>("truck").HasValue<Van>("van").HasValue<Sled>("sled").HasValue<Bike>("bike");
        }
    }

    private sealed class VanOkMap : ModelConfiguration<Van>
    {
        public override void Configure(EntityBuilder<Van> e) => e.Property(v => v.Seats).HasColumnName("van_seats");
    }
}
