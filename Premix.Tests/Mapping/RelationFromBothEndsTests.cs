using Premix.Mapping;
using Premix.Tests.Migrations;

namespace Premix.Tests.Mapping;

/// <summary>
/// A relation declared from both ends is one foreign key: what one end states and the other leaves out is merged, and
/// ends that state different things are listed together in the startup MappingException. No database is needed.
/// </summary>
public sealed class RelationFromBothEndsTests
{
    [TestCase(true, TestName = "The_docs_HasMany_and_BelongsTo_OnDelete_Cascade_merge_into_one_cascading_key_with_the_customer_map_first")]
    [TestCase(false, TestName = "The_docs_HasMany_and_BelongsTo_OnDelete_Cascade_merge_into_one_cascading_key_with_the_order_map_first")]
    public void The_docs_HasMany_and_BelongsTo_OnDelete_Cascade_merge_into_one_cascading_key(bool customerFirst)
    {
        var maps = new ModelConfiguration[] { new DocsCustomerMap(), new DocsOrderMap() };
        var builder = new ModelBuilder();
        foreach (var map in customerFirst ? maps : maps.Reverse())
        {
            builder.Add(map);
        }

        var model = builder.Build();

        var key = model.ForeignKeys.Single();
        var customerEnd = model.Get(typeof(DocsCustomer)).Relations.Single();
        var orderEnd = model.Get(typeof(DocsOrder)).Relations.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((key.Principal, key.Dependent, key.Property.Name, key.OnDelete), Is.EqualTo((typeof(DocsCustomer), typeof(DocsOrder), "CustomerId", ReferentialAction.Cascade)));
            Assert.That((customerEnd.Constraint, orderEnd.Constraint), Is.EqualTo((key, key)), "both ends follow the one merged key");
            Assert.That((customerEnd.OnDelete, orderEnd.OnDelete), Is.EqualTo((ReferentialAction.Cascade, ReferentialAction.Cascade)));
            Assert.That((customerEnd.Navigation!.Name, orderEnd.Navigation!.Name), Is.EqualTo(("Orders", "Customer")));
        }
    }

    [Test]
    public void Ends_that_repeat_each_other_or_leave_out_what_the_other_says_merge_without_a_problem()
    {
        var model = new ModelBuilder().Add(new PublisherMap()).Add(new MagazineMap()).Add(new IssueMap()).Build();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.ForeignKeys.Select(k => $"{k.Dependent.Name}.{k.Property.Name} {k.OnDelete}"), Is.EquivalentTo(new[] { "Magazine.PublisherId SetNull", "Issue.MagazineId NoAction" }));
            Assert.That(model.Get(typeof(Magazine)).Relations.Select(r => $"{r.Kind} {r.Navigation?.Name}"), Is.EqualTo(new[] { "BelongsTo Publisher", "HasMany Issues" }), "one end per side");
            Assert.That(model.Get(typeof(Issue)).Relations.Select(r => $"{r.Kind} {r.Navigation?.Name}"), Is.EqualTo(new[] { "BelongsTo Magazine" }), "BelongsTo<Magazine>() adds nothing to BelongsTo(i => i.Magazine)");
        }
    }

    [Test]
    public void Every_contradiction_is_listed_in_one_MappingException_with_both_declarations_and_the_fix()
    {
        var builder = new ModelBuilder()
            .Add(new CustomerMap()).Add(new OrderMap())
            .Add(new PersonMap()).Add(new PassportMap())
            .Add(new InvoiceMap()).Add(new LineMap())
            .Add(new CarrierMap()).Add(new WarehouseMap()).Add(new ShipmentMap())
            .Add(new TeamMap()).Add(new PlayerMap());

        var error = Assert.Throws<MappingException>(() => builder.Build());

        Assert.That(error!.Problems.Select(p => p.ToString()), Is.EquivalentTo(new[]
        {
            // The message docs/mapping.md shows.
            "Order.CustomerId: is one foreign key declared with different delete actions (NoAction, Cascade): "
                + "CustomerMap: HasMany(c => c.Orders).WithForeignKey(o => o.CustomerId).OnDelete(ReferentialAction.NoAction); "
                + "OrderMap: BelongsTo(o => o.Customer).WithForeignKey(o => o.CustomerId).OnDelete(ReferentialAction.Cascade). "
                + "Fix: State OnDelete on one end only, or the same action on both (NoAction refuses to delete the Customer while Order rows refer to it; "
                + "Cascade deletes the Order rows with their Customer): keep .OnDelete(...) on the declaration that says what you mean and remove it from the other.",
            "Passport.PersonId: is declared both one-to-many (HasMany) and one-to-one (HasOne): "
                + "PersonMap: HasOne(p => p.Passport).WithForeignKey(x => x.PersonId); PersonMap: HasMany(p => p.Passports).WithForeignKey(x => x.PersonId). "
                + "Fix: Keep HasMany(...) if a Person can have several Passport rows, or HasOne(...) if it has at most one, "
                + "and leave the other navigation out with e.Ignore(x => x.Passport) or e.Ignore(x => x.Passports).",
            "Line.InvoiceId: is one foreign key with 2 navigations on Line (Invoice, Bill): "
                + "LineMap: BelongsTo(l => l.Invoice).WithForeignKey(l => l.InvoiceId); LineMap: BelongsTo(l => l.Bill).WithForeignKey(l => l.InvoiceId). "
                + "Fix: Keep one navigation per end and leave the others out with e.Ignore(x => x.Bill), or give each relation a foreign-key property of its own.",
            "Shipment.PartyId: is the foreign key of relations to different entities (Carrier, Warehouse): "
                + "ShipmentMap: BelongsTo<Carrier>().WithForeignKey(s => s.PartyId); ShipmentMap: BelongsTo<Warehouse>().WithForeignKey(s => s.PartyId). "
                + "Fix: A foreign key points at one entity: give each relation a foreign-key property of its own (for example Shipment.WarehouseId).",
            "Team.Players: is declared with 2 foreign keys (Player.TeamId, Player.FormerTeamId): "
                + "TeamMap: HasMany(t => t.Players).WithForeignKey(p => p.TeamId); TeamMap: HasMany(t => t.Players).WithForeignKey(p => p.FormerTeamId). "
                + "Fix: A navigation follows one foreign key: keep the declaration you mean and remove the other, or add a second navigation for the second key.",
        }));
    }

    // The relation checks list in the model's order, whatever they group by: navigations given two keys first, then each
    // foreign key at its first declaration (maps as registered, relations as declared). Registering the same maps the other
    // way round reverses the keys' problems, so the order is the model's, not one a grouping or a hash happens to give.
    [TestCase(false, new[] { "Team.Players", "Order.CustomerId", "Passport.PersonId", "Line.InvoiceId", "Shipment.PartyId" }, TestName = "The_contradictions_are_listed_in_the_order_the_maps_declare_them")]
    [TestCase(true, new[] { "Team.Players", "Shipment.PartyId", "Line.InvoiceId", "Passport.PersonId", "Order.CustomerId" }, TestName = "The_contradictions_are_listed_in_the_order_the_maps_declare_them_registered_in_reverse")]
    public void The_contradictions_are_listed_in_the_order_the_maps_declare_them(bool reversed, string[] expected)
    {
        var maps = new ModelConfiguration[]
        {
            new CustomerMap(), new OrderMap(), new PersonMap(), new PassportMap(), new InvoiceMap(), new LineMap(),
            new CarrierMap(), new WarehouseMap(), new ShipmentMap(), new TeamMap(), new PlayerMap(),
        };
        var builder = new ModelBuilder();
        foreach (var map in reversed ? maps.Reverse() : maps)
        {
            builder.Add(map);
        }

        var error = Assert.Throws<MappingException>(() => builder.Build());

        Assert.That(error!.Problems.Select(p => $"{p.Entity}.{p.Property}"), Is.EqualTo(expected));
    }

    [Test]
    public void A_foreign_key_problem_is_reported_once_though_both_ends_declare_the_key()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new ClubMap()).Add(new MemberMap()).Build());

        Assert.That(error!.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "Club.Members: deletes with SetNull, but the foreign key Member.ClubId is required. Fix: Make Member.ClubId nullable, or choose OnDelete(ReferentialAction.Cascade) or NoAction.",
        }));
    }

    public sealed class Publisher
    {
        public long Id { get; set; }
    }

    public sealed class Magazine
    {
        public long Id { get; set; }

        public long? PublisherId { get; set; }

        public Publisher? Publisher { get; set; }

        public List<Issue> Issues { get; set; } = [];
    }

    public sealed class Issue
    {
        public long Id { get; set; }

        public long MagazineId { get; set; }

        public Magazine? Magazine { get; set; }
    }

    public sealed class Customer
    {
        public long Id { get; set; }

        public List<Order> Orders { get; set; } = [];
    }

    public sealed class Order
    {
        public long Id { get; set; }

        public long CustomerId { get; set; }

        public Customer? Customer { get; set; }
    }

    public sealed class Person
    {
        public long Id { get; set; }

        public Passport? Passport { get; set; }

        public List<Passport> Passports { get; set; } = [];
    }

    public sealed class Passport
    {
        public long Id { get; set; }

        public long PersonId { get; set; }
    }

    public sealed class Invoice
    {
        public long Id { get; set; }
    }

    public sealed class Line
    {
        public long Id { get; set; }

        public long InvoiceId { get; set; }

        public Invoice? Invoice { get; set; }

        public Invoice? Bill { get; set; }
    }

    public sealed class Carrier
    {
        public long Id { get; set; }
    }

    public sealed class Warehouse
    {
        public long Id { get; set; }
    }

    public sealed class Shipment
    {
        public long Id { get; set; }

        public long PartyId { get; set; }
    }

    public sealed class Team
    {
        public long Id { get; set; }

        public List<Player> Players { get; set; } = [];
    }

    public sealed class Player
    {
        public long Id { get; set; }

        public long TeamId { get; set; }

        public long? FormerTeamId { get; set; }
    }

    public sealed class Club
    {
        public long Id { get; set; }

        public List<Member> Members { get; set; } = [];
    }

    public sealed class Member
    {
        public long Id { get; set; }

        public long ClubId { get; set; }
    }

    private sealed class PublisherMap : ModelConfiguration<Publisher>
    {
        public override void Configure(EntityBuilder<Publisher> e)
        {
        }
    }

    // The action stated on one end only, and the other relation stated identically twice over (as scaffolded code does).
    private sealed class MagazineMap : ModelConfiguration<Magazine>
    {
        public override void Configure(EntityBuilder<Magazine> e)
        {
            e.BelongsTo(m => m.Publisher).WithForeignKey(m => m.PublisherId).OnDelete(ReferentialAction.SetNull);
            e.HasMany(m => m.Issues).WithForeignKey(i => i.MagazineId).OnDelete(ReferentialAction.NoAction);
            e.HasMany(m => m.Issues).WithForeignKey(i => i.MagazineId);
        }
    }

    private sealed class IssueMap : ModelConfiguration<Issue>
    {
        public override void Configure(EntityBuilder<Issue> e)
        {
            e.BelongsTo<Magazine>().WithForeignKey(i => i.MagazineId);
            e.BelongsTo(i => i.Magazine).WithForeignKey(i => i.MagazineId).OnDelete(ReferentialAction.NoAction);
        }
    }

    private sealed class CustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e) => e.HasMany(c => c.Orders).WithForeignKey(o => o.CustomerId).OnDelete(ReferentialAction.NoAction);
    }

    private sealed class OrderMap : ModelConfiguration<Order>
    {
        public override void Configure(EntityBuilder<Order> e) => e.BelongsTo(o => o.Customer).WithForeignKey(o => o.CustomerId).OnDelete(ReferentialAction.Cascade);
    }

    private sealed class PersonMap : ModelConfiguration<Person>
    {
        public override void Configure(EntityBuilder<Person> e)
        {
            e.HasOne(p => p.Passport).WithForeignKey(x => x.PersonId);
            e.HasMany(p => p.Passports).WithForeignKey(x => x.PersonId);
        }
    }

    private sealed class PassportMap : ModelConfiguration<Passport>
    {
        public override void Configure(EntityBuilder<Passport> e)
        {
        }
    }

    private sealed class InvoiceMap : ModelConfiguration<Invoice>
    {
        public override void Configure(EntityBuilder<Invoice> e)
        {
        }
    }

    private sealed class LineMap : ModelConfiguration<Line>
    {
        public override void Configure(EntityBuilder<Line> e)
        {
            e.BelongsTo(l => l.Invoice).WithForeignKey(l => l.InvoiceId);
            e.BelongsTo(l => l.Bill).WithForeignKey(l => l.InvoiceId);
        }
    }

    private sealed class CarrierMap : ModelConfiguration<Carrier>
    {
        public override void Configure(EntityBuilder<Carrier> e)
        {
        }
    }

    private sealed class WarehouseMap : ModelConfiguration<Warehouse>
    {
        public override void Configure(EntityBuilder<Warehouse> e)
        {
        }
    }

    private sealed class ShipmentMap : ModelConfiguration<Shipment>
    {
        public override void Configure(EntityBuilder<Shipment> e)
        {
            e.BelongsTo<Carrier>().WithForeignKey(s => s.PartyId);
            e.BelongsTo<Warehouse>().WithForeignKey(s => s.PartyId);
        }
    }

    private sealed class TeamMap : ModelConfiguration<Team>
    {
        public override void Configure(EntityBuilder<Team> e)
        {
            e.HasMany(t => t.Players).WithForeignKey(p => p.TeamId);
            e.HasMany(t => t.Players).WithForeignKey(p => p.FormerTeamId);
        }
    }

    private sealed class PlayerMap : ModelConfiguration<Player>
    {
        public override void Configure(EntityBuilder<Player> e)
        {
        }
    }

    private sealed class ClubMap : ModelConfiguration<Club>
    {
        public override void Configure(EntityBuilder<Club> e) => e.HasMany(c => c.Members).WithForeignKey(m => m.ClubId).OnDelete(ReferentialAction.SetNull);
    }

    private sealed class MemberMap : ModelConfiguration<Member>
    {
        public override void Configure(EntityBuilder<Member> e) => e.BelongsTo<Club>().WithForeignKey(m => m.ClubId);
    }
}
