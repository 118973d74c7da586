using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// A generated model written before a value object (<c>Owns</c>) was added to the mapping, after one was removed from it,
/// or after a member of one was renamed, fails the start with <see cref="GeneratedModelMismatchException"/> naming the
/// entity, the value object and each member (issue 19 item 2; a value object whose shape changed is
/// <see cref="GeneratedValueObjectTests"/>'). The generated code is compiled by Roslyn from each mapping as
/// <c>premix optimize</c> writes it. The start opens no connection, so this runs once, on SQLite's dialect, as
/// <see cref="GeneratedModelMismatchTests"/> does.
/// </summary>
public sealed class GeneratedValueObjectMismatchTests
{
    private static GeneratedModel _withoutAddress = null!;
    private static GeneratedModel _withCity = null!;

    [OneTimeSetUp]
    public static void Generate()
    {
        using var without = PremixFactory.Create(p => Register(p, new CrateMap { Address = CrateAddressMapping.Ignored }));
        using var withCity = PremixFactory.Create(p => Register(p, new CrateMap { Address = CrateAddressMapping.City }));
        var models = GeneratedModels.CompileAll([(without, "ValueObjectMismatchNone"), (withCity, "ValueObjectMismatchCity")]);
        (_withoutAddress, _withCity) = (models[0], models[1]);
    }

    // Each expected list is the check's full output for that change, in its order and wording: a change of the wording or
    // of the order of the members in the check changes these lines (they were read from a run and checked by hand).
    [Test]
    public void A_value_object_added_since_generation_fails_the_start_naming_the_entity_the_value_object_and_each_of_its_members()
    {
        var error = Start(CrateAddressMapping.City, _withoutAddress);

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Crate.Address.Street is mapped (column address_street) but is not in the generated model.",
            "Crate.Address.City is mapped (column address_city) but is not in the generated model.",
            "Crate.Address.Floor is mapped (column address_floor) but is not in the generated model.",
            "Crate.Address is a value object (CrateAddress, optional, made with new() then sets Street, City, Floor) that is not in the generated model.",
        }));
    }

    [Test]
    public void A_value_object_removed_since_generation_fails_the_start_naming_the_entity_the_value_object_and_each_of_its_members()
    {
        var error = Start(CrateAddressMapping.Ignored, _withCity);

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Crate.Address.Street is in the generated model (column address_street) but is no longer mapped.",
            "Crate.Address.City is in the generated model (column address_city) but is no longer mapped.",
            "Crate.Address.Floor is in the generated model (column address_floor) but is no longer mapped.",
            "Crate: the generated model has the value object Address (CrateAddress, optional, made with new() then sets Street, City, Floor), which the mapping no longer has.",
        }));
    }

    [Test]
    public void A_member_of_a_value_object_renamed_since_generation_fails_the_start_naming_the_old_and_the_new_member()
    {
        var error = Start(CrateAddressMapping.Town, _withCity);

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Crate.Address.Town is mapped (column address_town) but is not in the generated model.",
            "Crate.Address.City is in the generated model (column address_city) but is no longer mapped.",
            "Crate.Address, a value object, is now CrateAddress, optional, made with new() then sets Street, Town, Floor; "
                + "the generated model has CrateAddress, optional, made with new() then sets Street, City, Floor.",
        }), "the members not renamed are not listed");
    }

    private static GeneratedModelMismatchException Start(CrateAddressMapping address, GeneratedModel generated) =>
        Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => Register(p, new CrateMap { Address = address }).UseGeneratedModel(generated)).Dispose())!;

    private static PremixOptionsBuilder Register(PremixOptionsBuilder p, CrateMap map) =>
        p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(map);

    /// <summary>A crate, whose address is a value object in some of the mappings below.</summary>
    public sealed class Crate
    {
        public long Id { get; set; }

        public string Label { get; set; } = "";

        public CrateAddress? Address { get; set; }
    }

    /// <summary>Where a crate goes: <see cref="City"/> and <see cref="Town"/> stand for one member before and after a rename.</summary>
    public sealed class CrateAddress
    {
        public string Street { get; set; } = "";

        public string? City { get; set; }

        public string? Town { get; set; }

        public int Floor { get; set; }
    }

    /// <summary>How <see cref="CrateMap"/> maps the address.</summary>
    public enum CrateAddressMapping
    {
        /// <summary>Not at all (<c>Ignore</c>): the mapping before the value object was added.</summary>
        Ignored,

        /// <summary>A value object of Street, City and Floor.</summary>
        City,

        /// <summary>A value object of Street, Town and Floor: City renamed Town.</summary>
        Town,
    }

    /// <summary>Maps <see cref="Crate"/> onto <c>crates</c>, its address as <see cref="Address"/> says.</summary>
    public sealed class CrateMap : ModelConfiguration<Crate>
    {
        public CrateAddressMapping Address { get; init; }

        public override void Configure(EntityBuilder<Crate> e)
        {
            e.ToTable("crates");
            switch (Address)
            {
                case CrateAddressMapping.Ignored:
                    e.Ignore(c => c.Address);
                    break;
                case CrateAddressMapping.City:
                    e.Owns(c => c.Address, a => a.Ignore(v => v.Town));
                    break;
                default:
                    e.Owns(c => c.Address, a => a.Ignore(v => v.City));
                    break;
            }
        }
    }
}
