using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>A property whose type no column can hold is reported with the fix that fits what the type is.</summary>
public sealed class UnsupportedTypeMessageTests
{
    [Test]
    public void A_dictionary_of_values_is_told_to_become_rows_or_be_ignored_not_to_declare_a_relation()
    {
        var fix = FixFor(nameof(Customer.Counters));

        Assert.That(fix, Does.StartWith("A column holds one value, not a dictionary: store the entries as rows of an entity of their own")
            .And.EndWith("or leave it out with Ignore(x => x.Counters)."));
        Assert.That(fix, Does.Not.Contain("declare the relation"));
    }

    [Test]
    public void A_set_of_strings_is_told_to_become_rows_or_be_ignored()
    {
        var fix = FixFor(nameof(Customer.Nicknames));

        Assert.That(fix, Does.StartWith("A column holds one value, not a collection: store the values as rows of an entity of their own")
            .And.EndWith("or leave it out with Ignore(x => x.Nicknames)."));
    }

    [Test]
    public void An_unmapped_class_is_told_to_be_mapped_or_ignored()
    {
        Assert.That(FixFor(nameof(Customer.Address)), Is.EqualTo(
            "Address is not mapped: map it with a ModelConfiguration<Address> and declare the relation with e.BelongsTo(x => x.Address).WithForeignKey(...) when Customer holds the foreign key, or e.HasOne(x => x.Address).WithForeignKey(...) when Address does,"
            + " move its values into properties of Customer, or leave it out with Ignore(x => x.Address)."));
    }

    [Test]
    public void An_interface_is_told_to_be_ignored()
    {
        Assert.That(FixFor(nameof(Customer.Notifier)), Is.EqualTo(
            "Premix cannot tell what to store for an interface, nor what to create when loading: leave it out with Ignore(x => x.Notifier)."));
    }

    [Test]
    public void An_undeclared_navigation_to_a_mapped_entity_is_told_which_relation_to_declare()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(FixFor(nameof(Customer.Orders)), Is.EqualTo(
                "Order is a mapped entity: declare the relation with e.HasMany(x => x.Orders).WithForeignKey(o => o.CustomerId), or leave it out with Ignore(x => x.Orders)."));
            Assert.That(FixFor(nameof(Customer.Profile)), Is.EqualTo(
                "Profile is a mapped entity: declare the relation with e.HasOne(x => x.Profile).WithForeignKey(p => p.CustomerId), or leave it out with Ignore(x => x.Profile)."));
            Assert.That(FixFor(nameof(Order.Customer), "Order"), Is.EqualTo(
                "Customer is a mapped entity: declare the relation with e.BelongsTo(x => x.Customer).WithForeignKey(x => x.CustomerId), or leave it out with Ignore(x => x.Customer)."));
        }
    }

    [Test]
    public void An_unsigned_number_is_told_the_signed_type_that_holds_it()
    {
        Assert.That(FixFor(nameof(Customer.Visits)), Is.EqualTo("Use long, which holds every UInt32 value, or leave it out with Ignore(x => x.Visits)."));
    }

    [Test]
    public void Every_unsupported_property_keeps_the_problem_sentence_naming_its_type()
    {
        Assert.That(Problems().Where(p => p.Entity == nameof(Customer)).Select(p => p.Problem), Has.Member("has type Dictionary<String, Int32>, which no provider can store in a column.")
            .And.Member("has type HashSet<String>, which no provider can store in a column.")
            .And.Member("has type UInt32?, which no provider can store in a column."));
    }

    [Test]
    public void A_struct_is_told_with_dynamic_code_off_how_to_register_it_if_it_is_a_strongly_typed_id_whose_shape_trimming_hid()
    {
        var window = typeof(Reading).GetProperty(nameof(Reading.Window))!;
        var expose = "Expose its parts as properties of one of the supported types (";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(UnsupportedTypeFix.For(typeof(Reading), window, new HashSet<Type>(), dynamicCode: false), Does.StartWith(
                "If Window is a strongly typed id, register its converter where Premix is configured with Convert(ValueConverters.StronglyTypedId<UnsupportedTypeMessageTests.Window, TValue>())"
                + " (TValue the type of its value), which makes nothing at run time and works with dynamic code off. Any other struct: " + expose)
                .And.EndWith("or leave it out with Ignore(x => x.Window)."));
            Assert.That(UnsupportedTypeFix.For(typeof(Reading), window, new HashSet<Type>(), dynamicCode: true), Does.StartWith(expose), "with dynamic code on an id is converted by convention");
        }
    }

    private static string FixFor(string property, string entity = nameof(Customer)) =>
        Problems().Single(p => p.Entity == entity && p.Property == property).Fix;

    private static IReadOnlyList<MappingProblem> Problems() =>
        Assert.Throws<MappingException>(() => new ModelBuilder().Add(new ProfileMap()).Add(new CustomerMap()).Add(new OrderMap()).Build())!.Problems;

    public interface INotifier
    {
        void Notify();
    }

    public sealed class Address
    {
        public string Street { get; set; } = "";
    }

    public sealed class Customer
    {
        public long Id { get; set; }

        public Dictionary<string, int> Counters { get; set; } = [];

        public HashSet<string> Nicknames { get; set; } = []; // a List<string> is an array column on PostgreSQL

        public Address Address { get; set; } = new();

        public INotifier? Notifier { get; set; }

        public List<Order> Orders { get; set; } = [];

        public Profile? Profile { get; set; }

        public uint? Visits { get; set; }
    }

    public readonly record struct Window(int From, int To);

    public sealed class Reading
    {
        public Window Window { get; set; }
    }

    public sealed class Order
    {
        public long Id { get; set; }

        public long CustomerId { get; set; }

        public Customer? Customer { get; set; }
    }

    public sealed class Profile
    {
        public long Id { get; set; }

        public long CustomerId { get; set; }
    }

    private sealed class CustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e) => e.ToTable("customers");
    }

    private sealed class OrderMap : ModelConfiguration<Order>
    {
        public override void Configure(EntityBuilder<Order> e) => e.ToTable("orders");
    }

    private sealed class ProfileMap : ModelConfiguration<Profile>
    {
        public override void Configure(EntityBuilder<Profile> e) => e.ToTable("profiles");
    }
}
