using System.Linq.Expressions;
using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>Converters in the model: which property gets which converter, and every bad conversion reported at startup at once.</summary>
public sealed class ValueConverterMappingTests
{
    [Test]
    public void Strongly_typed_ids_and_Uris_are_converted_by_convention_and_a_generated_id_stays_generated()
    {
        var entity = new ModelBuilder().Add(new TicketMap()).Build().Get(typeof(Ticket));
        var id = entity.Properties.Single(p => p.Name == nameof(Ticket.Id));
        var link = entity.Properties.Single(p => p.Name == nameof(Ticket.Link));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((id.ValueType, id.StoredType, id.IsGenerated), Is.EqualTo((typeof(TicketId), typeof(int), true)));
            Assert.That(link.StoredType, Is.EqualTo(typeof(string)));
            Assert.That(entity.Properties.Single(p => p.Name == nameof(Ticket.Priority)).StoredType, Is.EqualTo(typeof(Priority)), "an enum keeps its own storage");
        }
    }

    [Test]
    public void HasConversion_beats_the_models_registry_which_beats_the_convention()
    {
        var entity = new ModelBuilder()
            .Convert<TicketId, string>(id => id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), text => new TicketId(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)))
            .Convert(ValueConverters.EnumToNumber<Priority, byte>())
            .Add(new TicketMap { ConvertPriority = true })
            .Build().Get(typeof(Ticket));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entity.Properties.Single(p => p.Name == nameof(Ticket.Id)).StoredType, Is.EqualTo(typeof(string)), "the registry replaces the convention");
            Assert.That(entity.Properties.Single(p => p.Name == nameof(Ticket.Priority)).StoredType, Is.EqualTo(typeof(long)), "HasConversion replaces the registry");
            Assert.That(entity.Properties.Single(p => p.Name == nameof(Ticket.Id)).IsGenerated, Is.False, "a key stored as text is assigned by the client");
        }
    }

    [Test]
    public void Every_bad_conversion_is_reported_in_one_MappingException()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new BadConversionsMap()).Add(new TicketMap()).Build());

        Assert.That(error!.Problems.Select(p => p.ToString()), Is.EquivalentTo(new[]
        {
            "BadConversions.Tags: is converted to List<Int32>, which no provider can store in a column. Fix: Convert to one of the stored types (" + ScalarTypesList + "), without Nullable: a null property is stored as NULL without the conversion.",
            "BadConversions.Count: has type Int32, but its conversion converts Int64 values. Fix: Give HasConversion a conversion of Int32 (a nullable property's conversion takes the value without Nullable: (CustomerId id) => id.Value).",
            "BadConversions.Ticket: is a navigation (a relation), so HasConversion cannot apply to it: a conversion stores one column's value. Fix: Remove HasConversion from Ticket, or convert the foreign key property instead.",
            "BadConversions.Version: is the version and has a conversion; Premix sets and compares those values itself. Fix: Use a plain int or long version, or a bool, DateTime? or DateTimeOffset? soft-delete marker, without HasConversion.",
            "BadConversions.Note: is converted to Int32?, which no provider can store in a column. Fix: Convert to one of the stored types (" + ScalarTypesList + "), without Nullable: a null property is stored as NULL without the conversion.",
        }));
    }

    [Test]
    public void StronglyTypedId_refuses_a_struct_of_more_than_one_value()
    {
        var error = Assert.Throws<ArgumentException>(() => ValueConverters.StronglyTypedId<Pair>());

        Assert.That(error!.Message, Does.StartWith("Pair is not a strongly typed id: it needs exactly one instance property"));
    }

    [Test]
    public void A_conversion_over_a_parameter_it_does_not_declare_fails_the_start_and_names_the_property()
    {
        // Only compiling such a tree finds the stray parameter, and converters compile on first use: the model check finds it at startup.
        var error = Assert.Throws<MappingException>(() => PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:").AddModelConfiguration(new PartMap())));

        var problems = error!.Problems.Select(p => p.ToString()).ToList();
        Assert.That(problems, Has.Count.EqualTo(1), "Part.Alias declares every parameter it uses (a block variable, a nested lambda's parameter)");
        Assert.That(problems[0], Does.StartWith("Part.Code: has a conversion to String that uses the parameter 'other' of type PartCode, which it does not declare, so it cannot be compiled."));
    }

    [Test]
    public void StronglyTypedId_of_TId_and_TValue_prints_as_the_conventions_converter_so_a_generated_model_still_matches()
    {
        var registered = ValueConverters.StronglyTypedId<TicketId, int>();
        var conventional = ValueConverters.ByConvention(typeof(TicketId))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((registered.ModelType, registered.ProviderType), Is.EqualTo((typeof(TicketId), typeof(int))));
            Assert.That(Premix.Plans.ConverterText.Describe(registered, home: null), Is.EqualTo(Premix.Plans.ConverterText.Describe(conventional, home: null)).And.Not.Null);
            Assert.That(registered.ToProvider.Compile().DynamicInvoke(new TicketId(7)), Is.EqualTo(7));
            Assert.That(registered.FromProvider.Compile().DynamicInvoke(7), Is.EqualTo(new TicketId(7)));
        }
    }

    [Test]
    public void StronglyTypedId_of_TId_and_TValue_refuses_another_value_type_naming_the_right_one_and_a_struct_of_two_values()
    {
        var wrongValue = Assert.Throws<ArgumentException>(() => ValueConverters.StronglyTypedId<TicketId, long>());
        var notAnId = Assert.Throws<ArgumentException>(() => ValueConverters.StronglyTypedId<Pair, int>());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(wrongValue!.Message, Does.StartWith("TicketId holds a Int32 (Value), not a Int64: write StronglyTypedId<TicketId, Int32>()."));
            Assert.That(notAnId!.Message, Does.StartWith("Pair is not a strongly typed id: it needs exactly one instance property"));
        }
    }

    [Test]
    public void A_registered_StronglyTypedId_of_TId_and_TValue_is_the_converter_the_property_gets()
    {
        var registered = ValueConverters.StronglyTypedId<TicketId, int>();
        var entity = new ModelBuilder().Convert(registered).Add(new TicketMap()).Build().Get(typeof(Ticket));
        var id = entity.Properties.Single(p => p.Name == nameof(Ticket.Id));

        Assert.That((id.Converter, id.StoredType, id.IsGenerated), Is.EqualTo(((ValueConverter?)registered, typeof(int), true)));
    }

    private const string ScalarTypesList = "bool, byte, short, int, long, decimal, double, float, string, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan, byte[], enums, and their nullable forms";

    public readonly record struct TicketId(int Value);

    public readonly record struct Pair(int A, int B);

    public enum Priority
    {
        Low,
        High,
    }

    public sealed class Ticket
    {
        public TicketId Id { get; set; }

        public Uri Link { get; set; } = new("https://example.com");

        public Priority Priority { get; set; }
    }

    public sealed class BadConversions
    {
        public Guid Id { get; set; }

        public string Tags { get; set; } = "";

        public int Count { get; set; }

        public string? Note { get; set; }

        public long Version { get; set; }

        public TicketId TicketId { get; set; }

        public Ticket? Ticket { get; set; }
    }

    private sealed class TicketMap : ModelConfiguration<Ticket>
    {
        public bool ConvertPriority { get; init; }

        public override void Configure(EntityBuilder<Ticket> e)
        {
            if (ConvertPriority)
            {
                e.Property(t => t.Priority).HasConversion(p => (long)p, n => (Priority)n);
            }
        }
    }

    public readonly record struct PartCode(string Value);

    public sealed class Part
    {
        public long Id { get; set; }

        public PartCode Code { get; set; }

        public PartCode Alias { get; set; }
    }

    private sealed class PartMap : ModelConfiguration<Part>
    {
        public override void Configure(EntityBuilder<Part> e)
        {
            // A hand-built conversion whose body reads another lambda's parameter: building the tree accepts it.
            var other = Expression.Parameter(typeof(PartCode), "other");
            var code = Expression.Parameter(typeof(PartCode), "code");
            e.Property(p => p.Code).HasConversion(new ValueConverter<PartCode, string>(Expression.Lambda<Func<PartCode, string>>(Expression.Property(other, nameof(PartCode.Value)), code), v => new PartCode(v)));

            // Declared: a block's variable and a nested lambda's parameter.
            var alias = Expression.Parameter(typeof(PartCode), "alias");
            var text = Expression.Variable(typeof(string), "text");
            var toProvider = Expression.Lambda<Func<PartCode, string>>(
                Expression.Block([text], Expression.Assign(text, Expression.Property(alias, nameof(PartCode.Value))), text), alias);
            e.Property(p => p.Alias).HasConversion(new ValueConverter<PartCode, string>(toProvider, v => new PartCode(new[] { v }.Select(s => s.Trim()).First())));
        }
    }

    private sealed class BadConversionsMap : ModelConfiguration<BadConversions>
    {
        public override void Configure(EntityBuilder<BadConversions> e)
        {
            e.Property(b => b.Tags).HasConversion(text => text.Split(',').Select(int.Parse).ToList(), list => string.Join(",", list));
            e.Property(b => b.Count).HasConversion((long count) => count, stored => stored);
            e.Property(b => b.Note).HasConversion(new ValueConverter<string, int?>(note => note.Length, length => new string('x', length ?? 0)));
            e.Property(b => b.Version).HasConversion(v => v, v => v);
            e.Version(b => b.Version);
            e.Property(b => b.Ticket).HasConversion(t => t!.Id.Value, v => new Ticket());
            e.BelongsTo(b => b.Ticket).WithForeignKey(b => b.TicketId);
        }
    }
}
