using System.Text.RegularExpressions;
using Premix.Generation;
using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Features the first phase of the generated model does not cover are refused at generation, all in one message naming
/// each entity and property with its feature, and nothing is generated (issue 19 item 2).
/// </summary>
public sealed class GenerationRefusalTests
{
    [Test]
    public void A_model_with_uncovered_features_is_refused_with_every_entity_and_feature_listed()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new CrateMap()).AddModelConfiguration(new PalletMap()).AddModelConfiguration(new CrateItemMap()));

        var error = Assert.Throws<ModelGenerationException>(() => ModelGenerator.Generate(premix));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Refusals, Is.EquivalentTo(new[]
            {
                "CrateItem: polymorphic relations (BelongsToOneOf: Holder) are not generated yet: their navigations read through compiled accessors.",
                "Crate.Label: its value converter cannot be written as C#: its conversion to the stored value uses the captured variable host, whose value generated code would have to hard-code; write it as a constant (a const) or read it through a public static property, field or method, which generated code reads on every use; "
                + "for a parameter of the method that makes the lambda, make one lambda per value (as ValueConverters.DateTimeKind does) or build it with Expression.Constant(value), which is written as a literal.",
                "Crate.Labels: a JSON column (StoredAsJson) is not generated yet.",
            }));
            Assert.That(error.Message, Does.StartWith("The generated model does not cover 3 parts of this model yet, so nothing was generated"));
        }
    }

    [Test]
    public void Value_objects_generated_code_cannot_make_are_refused_naming_each_and_why()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new ParcelMap()));

        var error = Assert.Throws<ModelGenerationException>(() => ModelGenerator.Generate(premix));

        Assert.That(error.Refusals, Is.EquivalentTo(new[]
        {
            "Parcel.Tag: its class ParcelTag has the required members Hidden, Serial, which are not mapped, so generated code cannot set them in new ParcelTag(...) { ... } (its constructor has no [SetsRequiredMembers]); map them, remove required or add [SetsRequiredMembers] to the constructor.",
            "Parcel.Stamp: its class ParcelStamp has the required member Hidden, which is not mapped, so generated code cannot set it in new ParcelStamp(...) { ... } (its constructor has no [SetsRequiredMembers]); map it, remove required or add [SetsRequiredMembers] to the constructor.",
        }));
    }

    // C# lets an internal class's required member have an internal setter, which generated code does not set in its
    // initializer (C# would reject the new EnvelopeNote() it writes): refused, naming it.
    [Test]
    public void A_value_object_whose_required_member_has_a_setter_that_is_not_public_is_refused_naming_it()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new EnvelopeMap()));

        var error = Assert.Throws<ModelGenerationException>(() => ModelGenerator.Generate(premix));

        Assert.That(error.Refusals, Is.EqualTo(new[]
        {
            "Envelope.Note: its class EnvelopeNote has the required member Text, whose setter is not public, so generated code cannot set it in new EnvelopeNote(...) { ... } (its constructor has no [SetsRequiredMembers]); make the setter public (or init), remove required or add [SetsRequiredMembers] to the constructor.",
        }));
    }

    // Every required member mapped: the generated initializer sets them all, those the constructor takes again (Seal.Code)
    // and those a base class declares (Mark.Text), which C# accepts without [SetsRequiredMembers]; an entity whose base
    // class declares a required member is made through the generated constructor accessor (compiled here by Roslyn, as
    // the application's build would).
    [Test]
    public void A_value_object_whose_required_members_are_all_mapped_is_generated_and_its_code_compiles()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new LabelledParcelMap()).AddModelConfiguration(new DocketMap()));

        var generated = GeneratedModels.Compile(premix, "RefusalRequiredLabel");

        Assert.That(generated.Entities.Select(e => e.EntityType), Is.EquivalentTo(new[] { typeof(Parcel), typeof(Docket) }));
        Assert.DoesNotThrow(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new LabelledParcelMap()).AddModelConfiguration(new DocketMap()).UseGeneratedModel(generated)).Dispose());
    }

    [Test]
    public void A_converter_generated_code_cannot_call_is_refused_naming_the_property_and_the_construct()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new StickerMap()));

        var error = Assert.Throws<ModelGenerationException>(() => ModelGenerator.Generate(premix));

        Assert.That(error.Refusals, Is.EqualTo(new[]
        {
            "Sticker.Link: its value converter cannot be written as C#: its conversion to the stored value uses the method StickerMap.Text, which generated code cannot call.",
            "Sticker.Mirror: its value converter cannot be written as C#: its conversion from the stored value uses an invoked delegate or lambda.",
            "Sticker.Backup: its value converter cannot be written as C#: its conversion to the stored value uses the method StickerText.Shown, which generated code cannot call.",
            "Sticker.Rank: its value converter cannot be written as C#: its conversion to the stored value uses the field StickerMap._shift (now 1), which can change after generated code hard-coded it; write it as a constant (a const local) or a readonly field of the mapping class, or read it through a public static property, field or method, which generated code reads on every use.",
            "Sticker.Home: its value converter cannot be written as C#: its conversion to the stored value uses the field StickerMap._host, whose value generated code would have to hard-code; write it as a constant (a const) or read it through a public static property, field or method, which generated code reads on every use.",
            "Sticker.Level: its value converter cannot be written as C#: its conversion to the stored value uses the property StickerMap.Step, whose value generated code would have to hard-code; write it as a constant (a const local) or a readonly field of the mapping class, or read it through a public static property, field or method, which generated code reads on every use.",
        }));
    }

    // A class with a private constructor is created by generated code through an UnsafeAccessor, which still compiles once
    // the constructor is gone (here: the generated code of Kiosk, given to ShutKiosk, which has only Kiosk(long id)); the
    // start with that generated model names the entity instead of the first read throwing MissingMethodException.
    [Test]
    public void A_generated_model_whose_entity_lost_its_parameterless_constructor_since_generation_fails_the_start_naming_it()
    {
        using var kiosks = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new KioskMap()));
        var generated = GeneratedModels.CompileAll([(kiosks, "RefusalKiosks")], text => Regex.Replace(text, @"\bKiosk\b", nameof(ShutKiosk)))[0];

        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new ShutKioskMap()).UseGeneratedModel(generated)).Dispose());

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "ShutKiosk: it needs a parameterless constructor (it may be private) so generated code can create it from a row. The generated model cannot run it as it is mapped now: remove UseGeneratedModel while the mapping uses it.",
        }));
    }

    [Test]
    public void A_namespace_that_is_not_a_CSharp_name_is_refused_before_anything_is_generated()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()));

        var error = Assert.Throws<ArgumentException>(() => ModelGenerator.Generate(premix, new ModelGeneratorOptions { Namespace = "My-App.Generated" }));

        Assert.That(error.Message, Does.StartWith("The namespace (My-App.Generated) and the model class (PremixModel) must be C# names"));
    }

    public sealed class Crate
    {
        public long Id { get; set; }

        public Uri Label { get; set; } = new("https://example.com/");

        public List<string> Labels { get; set; } = [];

        public CrateSize? Size { get; set; }

        public List<CrateItem> Items { get; set; } = [];
    }

    public sealed record CrateSize(int Width, int Height);

    public sealed class CrateItem
    {
        public long Id { get; set; }

        public long CrateId { get; set; }

        public long? HolderCrateId { get; set; }

        public long? HolderPalletId { get; set; }

        public object? Holder { get; set; }
    }

    public sealed class Parcel
    {
        public long Id { get; set; }

        public ParcelLabel Label { get; set; } = new() { Text = "" };

        public ParcelTag? Tag { get; set; }

        public ParcelSeal? Seal { get; set; }

        public ParcelStamp? Stamp { get; set; }

        public ParcelMark? Mark { get; set; }
    }

    // Hidden is ignored by the map; Serial is a field, which a value object never maps.
    public sealed class ParcelTag
    {
        public required string Text { get; set; }

        public required string Hidden { get; set; }

#pragma warning disable CA1051 // a required field, which the generated initializer cannot set
        public required int Serial;
#pragma warning restore CA1051
    }

    public sealed class ParcelSeal(string code)
    {
        public required string Code { get; init; } = code;
    }

    // Its required Hidden, declared by its base class, is ignored by the map.
    public sealed class ParcelStamp : ParcelStampBase
    {
        public string? Text { get; set; }
    }

    public class ParcelStampBase
    {
        public required string Hidden { get; set; }
    }

    // Its required Text, declared by its base class, is mapped.
    public sealed class ParcelMark : ParcelMarkBase
    {
        public int Size { get; set; }
    }

    public class ParcelMarkBase
    {
        public required string Text { get; set; }
    }

    public sealed class Docket : DocketBase
    {
        public long Id { get; set; }
    }

    public class DocketBase
    {
        public required string Reference { get; set; }
    }

    public sealed class DocketMap : ModelConfiguration<Docket>
    {
        public override void Configure(EntityBuilder<Docket> e) => e.ToTable("dockets");
    }

    internal sealed class Envelope
    {
        public long Id { get; set; }

        public EnvelopeNote? Note { get; set; }
    }

    internal sealed class EnvelopeNote
    {
        public required string Text { get; internal set; }
    }

    internal sealed class EnvelopeMap : ModelConfiguration<Envelope>
    {
        public override void Configure(EntityBuilder<Envelope> e)
        {
            e.ToTable("envelopes");
            e.Owns(x => x.Note);
        }
    }

    public sealed class ParcelLabel
    {
        public required string Text { get; set; }

        public string? Note { get; set; }
    }

    public sealed class ParcelMap : ModelConfiguration<Parcel>
    {
        public override void Configure(EntityBuilder<Parcel> e)
        {
            e.ToTable("parcels");
            e.Owns(p => p.Label);
            e.Owns(p => p.Tag, t => t.Ignore(v => v.Hidden));
            e.Ignore(p => p.Seal);
            e.Owns(p => p.Stamp, t => t.Ignore(v => v.Hidden));
            e.Ignore(p => p.Mark);
        }
    }

    /// <summary><see cref="Parcel"/> with the value objects whose required members are all mapped.</summary>
    public sealed class LabelledParcelMap : ModelConfiguration<Parcel>
    {
        public override void Configure(EntityBuilder<Parcel> e)
        {
            e.ToTable("parcels");
            e.Owns(p => p.Label);
            e.Ignore(p => p.Tag);
            e.Owns(p => p.Seal);
            e.Ignore(p => p.Stamp);
            e.Owns(p => p.Mark);
        }
    }

    public sealed class Kiosk
    {
        private Kiosk()
        {
        }

        public long Id { get; set; }

        public string Code { get; set; } = "";
    }

    /// <summary><see cref="Kiosk"/> as it is after its parameterless constructor was dropped.</summary>
    public sealed class ShutKiosk(long id)
    {
        public long Id { get; set; } = id;

        public string Code { get; set; } = "";
    }

    public sealed class KioskMap : ModelConfiguration<Kiosk>
    {
        public override void Configure(EntityBuilder<Kiosk> e) => e.ToTable("kiosks");
    }

    public sealed class ShutKioskMap : ModelConfiguration<ShutKiosk>
    {
        public override void Configure(EntityBuilder<ShutKiosk> e) => e.ToTable("kiosks");
    }

    public sealed class Pallet
    {
        public long Id { get; set; }
    }

    public sealed class PalletMap : ModelConfiguration<Pallet>
    {
        public override void Configure(EntityBuilder<Pallet> e) => e.ToTable("pallets");
    }

    public sealed class CrateMap : ModelConfiguration<Crate>
    {
        public override void Configure(EntityBuilder<Crate> e)
        {
            e.ToTable("crates");
            var host = "https://example.com/"; // captured text: generated code would hard-code it, and it may be a secret
            e.Property(c => c.Label).HasConversion(u => u.ToString().Replace(host, ""), s => new Uri(host + s));
            e.Property(c => c.Labels).StoredAsJson();
            e.Owns(c => c.Size);
            e.HasMany(c => c.Items).WithForeignKey(i => i.CrateId);
        }
    }

    public sealed class Sticker
    {
        public long Id { get; set; }

        public Uri Link { get; set; } = new("https://example.com/");

        public Uri Mirror { get; set; } = new("https://example.com/");

        public Uri Backup { get; set; } = new("https://example.com/");

        public int Rank { get; set; }

        public Uri Home { get; set; } = new("https://example.com/");

        public int Level { get; set; }
    }

    /// <summary>
    /// An internal helper of the entities' assembly: the generated code may be compiled into another project (the entity is
    /// public), where it could not call it.
    /// </summary>
    public static class StickerText
    {
        internal static string Shown(Uri uri) => uri.OriginalString;
    }

    public sealed class StickerMap : ModelConfiguration<Sticker>
    {
        // The mapping's own field, which can change after the start: the compiled converter reads it on every call.
        private int _shift = 1;

        // Text of the map, readonly: generated code could only hard-code it (and it may be a secret); a const or a static member is the way.
        private readonly string _host = "https://example.com/";

        // A get-only property of the map: its getter could return anything on each call.
        public int Step { get; } = 2;

        public void ShiftBy(int shift) => _shift = shift;

        public override void Configure(EntityBuilder<Sticker> e)
        {
            Func<string, Uri> parse = s => new Uri(s);
            e.ToTable("stickers");
            e.Property(s => s.Link).HasConversion(u => Text(u), s => new Uri(s));
            e.Property(s => s.Mirror).HasConversion(u => u.OriginalString, s => parse(s));
            e.Property(s => s.Backup).HasConversion(u => StickerText.Shown(u), s => new Uri(s));
            e.Property(s => s.Rank).HasConversion(r => r + _shift, r => r - _shift);
            e.Property(s => s.Home).HasConversion(u => u.OriginalString.Replace(_host, ""), s => new Uri(_host + s));
            e.Property(s => s.Level).HasConversion(l => l + Step, l => l - Step);
        }

        private static string Text(Uri uri) => uri.OriginalString;
    }

    public sealed class CrateItemMap : ModelConfiguration<CrateItem>
    {
        public override void Configure(EntityBuilder<CrateItem> e)
        {
            e.ToTable("crate_items");
            e.BelongsToOneOf(i => i.Holder).Via<Crate>(i => i.HolderCrateId).Via<Pallet>(i => i.HolderPalletId);
        }
    }
}
