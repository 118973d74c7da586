using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// A generated model that no longer describes the mapping fails the start with one message listing every difference
/// (issue 19 item 2, pillar 3: never silently wrong). Startup opens no connection, so nothing can be written.
/// </summary>
public sealed class GeneratedModelMismatchTests
{
    private static GeneratedModel _shop = null!;
    private static GeneratedModel _tickets = null!;
    private static GeneratedModel _shelves = null!;
    private static GeneratedModel _shelvesWithoutNoteParent = null!;
    private static GeneratedModel _shelvesBooksWithoutSetter = null!;

    [OneTimeSetUp]
    public static void GenerateTheShop()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()));
        using var tickets = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new TicketMap()));
        using var shelves = StartShelves();
        using var withoutNoteParent = StartShelves(notes: new GeneratedRelationsTests.BookNoteMap { WithoutParent = true });
        var models = GeneratedModels.CompileAll([(premix, "Mismatch"), (tickets, "MismatchTickets"), (shelves, "MismatchShelves"), (withoutNoteParent, "MismatchShelvesNoParent")]);
        (_shop, _tickets, _shelves, _shelvesWithoutNoteParent) = (models[0], models[1], models[2], models[3]);
        // What the generator writes for Shelf.Books when it has no public setter ({ get; }): its description's relation record says it does not set it,
        // and its code has no Set line.
        _shelvesBooksWithoutSetter = GeneratedModels.CompileAll([(shelves, "MismatchShelvesBooksWithoutSetter")],
            text => Regex.Replace(text.Replace("5:Books 1\\n", "5:Books 0\\n", StringComparison.Ordinal), @"^ *Set = static \(e, v\) => \(\([^)]*\)e\)\.Books = .*\r?\n", "", RegexOptions.Multiline))[0];
        var books = _shelvesBooksWithoutSetter.Entity(typeof(GeneratedRelationsTests.Shelf))!;
        var position = books.Relations.ToList().FindIndex(r => r.Navigation == "Books");
        Assert.That((books.Relations[position].SetsNavigation, books.Code.Relations[position].Set), Is.EqualTo((false, (Action<object, object?>?)null)));
    }

    // Each change below leaves every statement's SQL as it was, but the generated reader hard-codes how the column is read.
    [Test]
    public void An_enum_stored_as_text_since_generation_fails_the_start_naming_the_property()
    {
        var error = StartTickets(new TicketMap { StatusAsText = true });

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Ticket.Status is now read as: stored as Premix.Tests.Plans.Generated.GeneratedModelMismatchTests+TicketStatus, column type TEXT, enum as Text, required; "
                + "the generated model reads it as: stored as Premix.Tests.Plans.Generated.GeneratedModelMismatchTests+TicketStatus, column type INTEGER, enum as Number, required.",
        }));
    }

    [Test]
    public void A_date_stored_as_utc_since_generation_fails_the_start_naming_the_property()
    {
        var error = StartTickets(new TicketMap { DueAsUtc = true });

        Assert.That(error.Differences, Has.Count.EqualTo(1).And.Some.StartsWith("Ticket.Due is now read as: ").And.Some.Contains("UTC instants").And.Some.Contains("reads it as: stored as System.DateTime, column type TEXT, wall clock, required."));
    }

    [Test]
    public void A_converter_added_since_generation_fails_the_start_naming_the_property_and_the_converter()
    {
        var error = StartTickets(new TicketMap { NoteConverted = true });

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Ticket.Note now has a value converter (value => (value).ToUpperInvariant() | value => (value).ToLowerInvariant()); the generated model reads it without one.",
        }));
    }

    // The check's fix text when dynamic code is off (a native binary, or dotnet run of a PublishAot project): removing
    // UseGeneratedModel would lead to the start's refusal of a model without one, so it must not be advised there.
    [Test]
    public void A_json_column_with_dynamic_code_off_is_named_as_not_runnable_yet_without_advising_to_remove_the_generated_model()
    {
        using var json = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new TicketMap { NoteAsJson = true }));

        var differences = GeneratedModelCheck.Structure(_tickets, json.Model, json.Provider.Name, json.Provider.Dialect, dynamicCode: false);

        Assert.That(differences, Is.EqualTo(new[]
        {
            "Ticket.Note: a JSON column (StoredAsJson) is not generated yet. The generated model cannot run it as it is mapped now, and while dynamic code is off "
                + "(RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot) a plan without generated code cannot be compiled, "
                + "so this feature cannot run yet: remove it from the mapping, or turn PublishAot off, or set the System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported switch to true in a JIT build (docs/aot.md, Native AOT).",
        }));
    }

    [Test]
    public void A_model_written_in_another_generated_code_format_fails_the_start()
    {
        var other = new GeneratedModel("sqlite", GeneratedModel.CurrentFormat + 1, _tickets.Entities);

        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new TicketMap()).UseGeneratedModel(other)));

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            $"It was written by premix optimize in generated-code format {GeneratedModel.CurrentFormat + 1}, and this version of Premix reads format {GeneratedModel.CurrentFormat} (what generated code holds has changed: regenerate).",
        }));
        Assert.That(error.Message, Does.Contain("run premix optimize again"));
    }

    // A format-1 model has no relations: without stopping at the format, the start would also list every relation as added.
    [Test]
    public void A_model_in_another_format_lists_only_the_format_even_when_its_relations_differ()
    {
        var other = new GeneratedModel("sqlite", GeneratedModel.CurrentFormat - 1, _shelvesWithoutNoteParent.Entities);

        var error = Assert.Throws<GeneratedModelMismatchException>(() => StartShelves(generated: other));

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            $"It was written by premix optimize in generated-code format {GeneratedModel.CurrentFormat - 1}, and this version of Premix reads format {GeneratedModel.CurrentFormat} (what generated code holds has changed: regenerate).",
        }));
    }

    [Test]
    public void The_same_ticket_mapping_starts_on_the_generated_model()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new TicketMap()).UseGeneratedModel(_tickets));

        Assert.That(premix.Model.Entities.Select(e => e.Name), Is.EqualTo(new[] { "Ticket" }));
    }

    private static GeneratedModelMismatchException StartTickets(TicketMap map) =>
        Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(map).UseGeneratedModel(_tickets)))!;

    [Test]
    public void A_renamed_column_and_an_entity_added_since_generation_fail_the_start_listing_both()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new RenamedCustomerMap()).AddModelConfiguration(new GadgetMap()).UseGeneratedModel(_shop)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Differences, Is.EquivalentTo(new[]
            {
                "Customer.Name is mapped to column full_name; the generated model has Name.",
                "Gadget is mapped (table gadgets) but is not in the generated model.",
            }));
            Assert.That(error.Message, Does.StartWith("The generated model does not match the mapping (2 differences); run premix optimize again"));
            Assert.That(error.Message, Does.Contain("Customer.Name is mapped to column full_name").And.Contain("Gadget is mapped"));
        }
    }

    [Test]
    public void An_entity_no_longer_mapped_and_another_engine_fail_the_start_listing_both()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.PostgreSql))
            .AddModelConfiguration(new GadgetMap()).UseGeneratedModel(_shop)));

        Assert.That(error.Differences, Is.EquivalentTo(new[]
        {
            "It was generated for sqlite, and this application runs on postgresql: its statements and row readers are another engine's.",
            "Gadget is mapped (table gadgets) but is not in the generated model.",
            "Customer is in the generated model (table customers) but is no longer mapped.",
        }));
    }

    [Test]
    public void A_statement_changed_by_the_mapping_fails_the_start_naming_the_entity_and_the_statement()
    {
        // Same properties and columns, but Visits is now the version column: the update and delete match it too.
        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new VersionedCustomerMap()).UseGeneratedModel(_shop)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Differences, Has.Some.StartsWith("Customer: its Update statement is now \"UPDATE \"customers\" SET"));
            Assert.That(error.Differences, Has.Some.StartsWith("Customer: its Delete statement is now \"DELETE FROM \"customers\" WHERE \"Id\" = @Id AND \"Visits\" = @Visits\""));
        }
    }

    [Test]
    public void The_same_mapping_starts_on_the_generated_model()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()).UseGeneratedModel(_shop));

        Assert.That(premix.Model.Entities.Select(e => e.Name), Is.EqualTo(new[] { "Customer" }));
    }

    [Test]
    public void A_relation_removed_since_generation_fails_the_start_naming_it()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => StartShelves(new GeneratedRelationsTests.ShelfMap { WithoutLabel = true }, generated: _shelves));

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Shelf: the generated model has the relation HasOne Label to ShelfLabel by ShelfId, which the mapping no longer declares.",
        }));
    }

    [Test]
    public void A_navigation_renamed_since_generation_fails_the_start_naming_the_old_and_the_new_relation()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => StartShelves(new GeneratedRelationsTests.ShelfMap { BooksAsVolumes = true }, generated: _shelves));

        Assert.That(error.Differences, Is.EquivalentTo(new[]
        {
            "Shelf declares the relation HasMany Volumes to Book by ShelfId, which is not in the generated model.",
            "Shelf: the generated model has the relation HasMany Books to Book by ShelfId, which the mapping no longer declares.",
        }));
    }

    // Same navigation, another foreign key: the generated code is wired to the old relation, so the start names both.
    [Test]
    public void A_foreign_key_changed_since_generation_fails_the_start_naming_the_navigation_and_both_relations()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => StartShelves(new GeneratedRelationsTests.ShelfMap { LabelByItsKey = true }, generated: _shelves));

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Shelf.Label is now the relation HasOne Label to ShelfLabel by Id; the generated model has HasOne Label to ShelfLabel by ShelfId.",
        }));
    }

    [Test]
    public void A_relation_without_a_navigation_added_since_generation_fails_the_start_naming_it()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => StartShelves(generated: _shelvesWithoutNoteParent));

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "BookNote declares the relation BelongsTo (no navigation) to Book by BookId, which is not in the generated model.",
        }));
    }

    // Without the check, the start would pass and Include would set Shelf.Books through a compiled setter (under AOT: fail).
    [Test]
    public void A_navigation_setter_made_public_since_generation_fails_the_start_naming_the_navigation()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => StartShelves(generated: _shelvesBooksWithoutSetter));

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Shelf.Books now has a public setter; the generated model was generated without one.",
        }));
        Assert.That(error.Message, Does.Contain("run premix optimize again"));
    }

    // A generated relation's code is made once per process and shared by every Premix of it: its typed keys are set once, by the code that makes it.
    [Test]
    public void Typed_keys_given_again_to_a_generated_relation_throw_and_keep_the_first_ones()
    {
        var shelf = _shelves.Entity(typeof(GeneratedRelationsTests.Shelf))!;
        var books = shelf.Code.Relations[shelf.Relations.ToList().FindIndex(r => r.Navigation == "Books")];
        var slots = books.ParentSlots;

        var error = Assert.Throws<InvalidOperationException>(() => books.WithTypedKeys<long>(_ => 0, _ => 0));

        Assert.That(error.Message, Is.EqualTo("The relation's code already has its typed keys: WithTypedKeys is called once, by the generated code that creates it."));
        Assert.That(slots, Is.Not.Null);
        Assert.That(books.ParentSlots, Is.SameAs(slots));
    }

    [Test]
    public void The_same_relations_start_on_the_generated_model()
    {
        using var premix = StartShelves(generated: _shelves);

        Assert.That(premix.Model.Entities.Sum(e => e.Relations.Count), Is.EqualTo(7));
    }

    // The shelves of GeneratedRelationsTests, with the shelf's or the note's map changed.
    private static IPremix StartShelves(GeneratedRelationsTests.ShelfMap? shelf = null, GeneratedRelationsTests.BookNoteMap? notes = null, GeneratedModel? generated = null) =>
        PremixFactory.Create(p =>
        {
            GeneratedRelationsTests.Register(p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)), shelf, notes);
            if (generated is not null)
            {
                p.UseGeneratedModel(generated);
            }
        });

    public sealed class RenamedCustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasColumnName("full_name").HasMaxLength(20);
            e.Property(c => c.Email).HasMaxLength(100).Sensitive();
        }
    }

    public sealed class VersionedCustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasMaxLength(20);
            e.Property(c => c.Email).HasMaxLength(100).Sensitive();
            e.Version(c => c.Visits);
        }
    }

    public enum TicketStatus
    {
        Open,
        Closed,
    }

    public sealed class Ticket
    {
        public long Id { get; set; }

        public TicketStatus Status { get; set; }

        public DateTime Due { get; set; }

        public string Note { get; set; } = "";
    }

    /// <summary>The ticket map as generated (all switches off), and the changes made to it after generation.</summary>
    public sealed class TicketMap : ModelConfiguration<Ticket>
    {
        public bool StatusAsText { get; init; }

        public bool DueAsUtc { get; init; }

        public bool NoteConverted { get; init; }

        public bool NoteAsJson { get; init; }

        public override void Configure(EntityBuilder<Ticket> e)
        {
            e.ToTable("tickets");
            e.HasKey(t => t.Id);
            var status = e.Property(t => t.Status);
            if (StatusAsText)
            {
                status.StoredAsText();
            }

            var due = e.Property(t => t.Due);
            if (DueAsUtc)
            {
                due.StoredAsUtc();
            }

            var note = e.Property(t => t.Note);
            if (NoteConverted)
            {
                note.HasConversion(text => text.ToUpperInvariant(), stored => stored.ToLowerInvariant());
            }

            if (NoteAsJson)
            {
                note.StoredAsJson();
            }
        }
    }
}
