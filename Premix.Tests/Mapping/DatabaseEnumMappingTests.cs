using Premix.Mapping;
using Premix.Tests.Types;

namespace Premix.Tests.Mapping;

/// <summary>What <c>StoredAsEnumType</c> builds and refuses at startup (no database: the model alone).</summary>
public sealed class DatabaseEnumMappingTests
{
    [Test]
    public void The_labels_are_the_member_names_in_snake_case_in_the_order_of_their_values()
    {
        var property = new ModelBuilder().Add(new PatientMap()).Build().Get(typeof(Patient)).Properties.Single(p => p.Name == nameof(Patient.Mood));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(property.EnumStorage, Is.EqualTo(EnumStorage.EnumType));
            Assert.That(property.EnumType!.Name, Is.EqualTo(PatientMap.EnumType));
            Assert.That(property.EnumType.Labels, Is.EqualTo(new[] { "happy", "very_sad", "calm" }));
            Assert.That(property.EnumType.Label(Mood.VerySad), Is.EqualTo("very_sad"));
            Assert.That(property.EnumType.Value("calm"), Is.EqualTo(Mood.Calm));
        }
    }

    [Test]
    public void Two_enums_under_one_type_name_and_a_type_on_a_non_enum_are_reported_together()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new PatientMap()).Add(new ClashMap()).Build());

        Assert.That(error!.Problems.Select(p => p.ToString()), Is.EquivalentTo(new[]
        {
            "Clash.Name: is stored as text/number but is a String, not an enum. Fix: Use StoredAsText()/StoredAsNumber()/StoredAsEnumType(...) only on enum properties.",
            "Patient.Mood: stores Mood (happy, very_sad, calm) as the database enum type pg_mood, and so does another enum: Clash.Weather stores Weather (sunny, rainy). Fix: Give each C# enum its own type name in StoredAsEnumType(...), or use one C# enum for both properties.",
        }));
    }

    private enum Weather
    {
        Sunny,
        Rainy,
    }

    private sealed class Clash
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public Weather Weather { get; set; }
    }

    private sealed class ClashMap : ModelConfiguration<Clash>
    {
        public override void Configure(EntityBuilder<Clash> e)
        {
            e.Property(c => c.Weather).StoredAsEnumType(PatientMap.EnumType);
            e.Property(c => c.Name).StoredAsEnumType("name");
        }
    }
}
