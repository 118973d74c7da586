using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Relations with navigations on a Premix started with the generated model, on every engine (issue 19 item 2): a commit of a
/// parent with its children writes them parents first and gives each child its parent's generated key, Include and
/// ThenInclude fill collections, one-to-one children and parents, and none of it compiles a delegate. Checked through plain
/// SQL. The model has each kind of navigation: a collection with a public setter (replaced), one without a setter (refilled
/// in place), a one-to-one child, a parent, a relation declared without a navigation, and a composite-key relation whose
/// collection has a non-public getter and whose parent navigation is init-only.
/// </summary>
public sealed class GeneratedRelationsTests(Engine engine) : PremixTest(engine)
{
    private GeneratedModel _generated = null!;
    private IPremix _premix = null!;

    /// <summary>
    /// The maps, parents first (RecreateTablesAsync creates the tables in this order); the mismatch tests pass a changed
    /// <paramref name="shelf"/> or <paramref name="notes"/> map.
    /// </summary>
    internal static ModelConfiguration[] Maps(ShelfMap? shelf = null, BookNoteMap? notes = null) =>
        [shelf ?? new ShelfMap(), new ShelfLabelMap(), new BookMap(), notes ?? new BookNoteMap(), new BayMap(), new SlotMap()];

    /// <summary>Registers <see cref="Maps"/> on <paramref name="options"/>.</summary>
    internal static PremixOptionsBuilder Register(PremixOptionsBuilder options, ShelfMap? shelf = null, BookNoteMap? notes = null)
    {
        foreach (var map in Maps(shelf, notes))
        {
            options.AddModelConfiguration(map);
        }

        return options;
    }

    [OneTimeSetUp]
    public void Generate()
    {
        using var built = CreatePremix(p => Register(p));
        _generated = GeneratedModels.Compile(built, "Relations");
    }

    [SetUp]
    public async Task StartOnTheGeneratedModelAsync()
    {
        _premix = CreatePremix(p => Register(p).UseGeneratedModel(_generated));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task A_commit_of_a_new_parent_with_children_writes_them_all_with_the_generated_keys_propagated_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var first = new Book { Title = "first" };
        first.Notes.Add(new BookNote { Text = "a" });
        first.Notes.Add(new BookNote { Text = "b" });
        var second = new Book { Title = "second" };
        var shelf = new Shelf { Name = "top", Books = [first, second], Label = new ShelfLabel { Text = "fiction" } };

        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Shelf>().Add(shelf); // the books, their notes and the label are found through the navigations
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(shelf.Id, Is.GreaterThan(0));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("gen_books")} WHERE {Q("ShelfId")} = @id AND {Q("Title")} IN ('first', 'second')", new { id = shelf.Id }), Is.EqualTo(2));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("gen_book_notes")} WHERE {Q("BookId")} = @id", new { id = first.Id }), Is.EqualTo(2));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Text")} FROM {Q("gen_shelf_labels")} WHERE {Q("ShelfId")} = @id", new { id = shelf.Id }), Is.EqualTo("fiction"));
            Assert.That((first.ShelfId, second.ShelfId, first.Notes.Select(n => n.BookId).Distinct().Single()), Is.EqualTo((shelf.Id, shelf.Id, first.Id)));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_child_added_with_a_new_parent_in_its_navigation_gets_the_parents_key_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var book = new Book { Title = "alone", Shelf = new Shelf { Name = "new" } };

        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Book>().Add(book); // the shelf is inserted first, through the BelongsTo navigation
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT s.{Q("Name")} FROM {Q("gen_books")} b JOIN {Q("gen_shelves")} s ON s.{Q("Id")} = b.{Q("ShelfId")} WHERE b.{Q("Id")} = @id", new { id = book.Id }), Is.EqualTo("new"));
            Assert.That(book.ShelfId, Is.EqualTo(book.Shelf!.Id).And.GreaterThan(0));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task Include_and_ThenInclude_fill_collections_the_one_to_one_child_and_the_parent_without_compiling()
    {
        var (top, bottom) = await ArrangeAsync();
        var compiles = LazyDelegates.CountInThisFlow();

        IReadOnlyList<Shelf> shelves;
        IReadOnlyList<Book> books;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            shelves = await uow.Repository<Shelf>().Query().OrderBy(s => s.Name).Include(s => s.Books).ThenInclude(b => b.Notes).Include(s => s.Label).ToListAsync();
            books = await uow.Repository<Book>().Query().AsNoTracking().OrderBy(b => b.Title).Include(b => b.Shelf).ToListAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(shelves.Select(s => s.Id), Is.EqualTo(new[] { bottom, top }));
            Assert.That(shelves.Select(s => string.Join(",", s.Books.OrderBy(b => b.Title).Select(b => b.Title))), Is.EqualTo(new[] { "", "a,b" }));
            Assert.That(shelves[1].Books.Single(b => b.Title == "a").Notes.Select(n => n.Text).Order(), Is.EqualTo(new[] { "n1", "n2" }));
            Assert.That(shelves[1].Books.Single(b => b.Title == "b").Notes, Is.Empty);
            Assert.That(shelves.Select(s => s.Label?.Text), Is.EqualTo(new[] { null, "top label" }));
            Assert.That(shelves[1].Books.Select(b => b.Shelf), Has.All.SameAs(shelves[1]), "the inverse navigation is stitched");
            Assert.That(books.Select(b => (b.Title, b.Shelf?.Name)), Is.EqualTo(new[] { ("a", (string?)"top"), ("b", "top") }));
            Assert.That(books[0].Shelf!.Books, Is.EquivalentTo(books), "the BelongsTo include fills the parent's collection with the rows read");
            Assert.That(books.Select(b => b.Shelf), Has.All.SameAs(books[0].Shelf), "the books of one shelf share it");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_child_moved_to_another_parents_collection_gets_its_key_on_commit_without_compiling()
    {
        var (top, bottom) = await ArrangeAsync();
        var compiles = LazyDelegates.CountInThisFlow();

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var shelves = await uow.Repository<Shelf>().Query().Include(s => s.Books).ToListAsync();
            var from = shelves.Single(s => s.Id == top);
            var moved = from.Books.Single(b => b.Title == "b");
            var to = shelves.Single(s => s.Id == bottom);
            from.Books.Remove(moved);
            to.Books.Add(moved);
            moved.Shelf = to; // both ends: the include stitched the parent navigation, which names the parent too
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT {Q("ShelfId")} FROM {Q("gen_books")} WHERE {Q("Title")} = 'b'"), Is.EqualTo(bottom));
            Assert.That(await ScalarAsync<long>($"SELECT {Q("ShelfId")} FROM {Q("gen_books")} WHERE {Q("Title")} = 'a'"), Is.EqualTo(top));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    // A composite key (its includes number parents boxed, and a commit sets each part of the foreign key through its
    // generated setter), a collection navigation with a non-public getter and a parent navigation with an init setter (both
    // read or set through UnsafeAccessor), and a tracked include of the parent.
    [Test]
    public async Task A_composite_key_relation_commits_its_key_parts_and_includes_both_ends_through_non_public_and_init_accessors_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var bay = new Bay { Aisle = 3, Number = 7, Name = "cold", Slots = [new Slot { Label = "s1" }, new Slot { Label = "s2" }] };

        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Bay>().Add(bay); // the slots are found through the navigation's non-public getter
            await uow.CommitAsync();
        }

        IReadOnlyList<Bay> bays;
        IReadOnlyList<Slot> slots;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            bays = await uow.Repository<Bay>().Query().Include(b => b.Slots).ToListAsync();
            slots = await uow.Repository<Slot>().Query().OrderBy(s => s.Label).Include(s => s.Bay).ToListAsync(); // tracked
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("gen_slots")} WHERE {Q("BayAisle")} = 3 AND {Q("BayNumber")} = 7 AND {Q("Label")} IN ('s1', 's2')"), Is.EqualTo(2));
            Assert.That(bays.Single().Slots.Select(s => s.Label).Order(), Is.EqualTo(new[] { "s1", "s2" }));
            Assert.That(slots.Select(s => (s.Label, s.Bay?.Name)), Is.EqualTo(new[] { ("s1", (string?)"cold"), ("s2", "cold") }));
            Assert.That(slots[0].Bay, Is.SameAs(slots[1].Bay), "one tracked bay");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    // Compiled plans (the generated model shares CommitPlanner): the user moves the child between the collections only;
    // Include also stitched its parent navigation to the old shelf, which the user did not touch.
    [Test]
    public async Task On_compiled_plans_a_child_moved_between_included_collections_only_gets_the_new_parents_key()
    {
        var (top, bottom) = await ArrangeAsync();
        await using var compiled = CreatePremix(p => Register(p));

        await using (var uow = compiled.BeginUnitOfWork())
        {
            var shelves = await uow.Repository<Shelf>().Query().Include(s => s.Books).ToListAsync();
            var from = shelves.Single(s => s.Id == top);
            var moved = from.Books.Single(b => b.Title == "b");
            from.Books.Remove(moved);
            shelves.Single(s => s.Id == bottom).Books.Add(moved);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT {Q("ShelfId")} FROM {Q("gen_books")} WHERE {Q("Title")} = 'b'"), Is.EqualTo(bottom));
            Assert.That(await ScalarAsync<long>($"SELECT {Q("ShelfId")} FROM {Q("gen_books")} WHERE {Q("Title")} = 'a'"), Is.EqualTo(top));
        }
    }

    [Test]
    public async Task Without_the_generated_model_the_same_include_compiles_delegates()
    {
        // The counter the tests above rely on sees the compiled navigations' first use.
        await ArrangeAsync();
        await using var compiled = CreatePremix(p => Register(p));
        var compiles = LazyDelegates.CountInThisFlow();

        await using (var uow = compiled.BeginUnitOfWork())
        {
            _ = await uow.Repository<Shelf>().Query().Include(s => s.Books).ToListAsync();
        }

        Assert.That(compiles.Value, Is.GreaterThan(0));
    }

    // Through plain SQL: shelf "top" with books a (notes n1, n2) and b and a label; shelf "bottom" with nothing.
    private async Task<(long Top, long Bottom)> ArrangeAsync()
    {
        await ExecuteAsync($"INSERT INTO {Q("gen_shelves")} ({Q("Name")}) VALUES ('top'), ('bottom')");
        var top = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("gen_shelves")} WHERE {Q("Name")} = 'top'");
        var bottom = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("gen_shelves")} WHERE {Q("Name")} = 'bottom'");
        await ExecuteAsync($"INSERT INTO {Q("gen_books")} ({Q("Title")}, {Q("ShelfId")}) VALUES ('a', @top), ('b', @top)", new { top });
        var a = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("gen_books")} WHERE {Q("Title")} = 'a'");
        await ExecuteAsync($"INSERT INTO {Q("gen_book_notes")} ({Q("BookId")}, {Q("Text")}) VALUES (@a, 'n1'), (@a, 'n2')", new { a });
        await ExecuteAsync($"INSERT INTO {Q("gen_shelf_labels")} ({Q("ShelfId")}, {Q("Text")}) VALUES (@top, 'top label')", new { top });
        return (top, bottom);
    }

    public sealed class Shelf
    {
        public long Id { get; private set; }

        public string Name { get; set; } = "";

        public List<Book> Books { get; set; } = [];

        public List<Book> Volumes { get; set; } = [];

        public ShelfLabel? Label { get; set; }
    }

    public sealed class ShelfLabel
    {
        public long Id { get; set; }

        public long ShelfId { get; set; }

        public string Text { get; set; } = "";
    }

    public sealed class Book
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";

        public long ShelfId { get; set; }

        public Shelf? Shelf { get; set; }

        public ICollection<BookNote> Notes { get; } = new List<BookNote>();
    }

    public sealed class BookNote
    {
        public long Id { get; set; }

        public long BookId { get; set; }

        public string Text { get; set; } = "";
    }

    /// <summary>A parent with a composite key; its collection navigation's getter is not public.</summary>
    public sealed class Bay
    {
        public int Aisle { get; set; }

        public int Number { get; set; }

        public string Name { get; set; } = "";

        public List<Slot> Slots { internal get; set; } = [];
    }

    /// <summary>A child of a <see cref="Bay"/>, by a two-part foreign key; its parent navigation is init-only.</summary>
    public sealed class Slot
    {
        public long Id { get; set; }

        public int BayAisle { get; set; }

        public int BayNumber { get; set; }

        public string Label { get; set; } = "";

        public Bay? Bay { get; init; }
    }

    /// <summary>The shelf's map; the mismatch tests change it after generation (a relation removed, a navigation renamed).</summary>
    public sealed class ShelfMap : ModelConfiguration<Shelf>
    {
        public bool WithoutLabel { get; init; }

        public bool BooksAsVolumes { get; init; }

        /// <summary>The label's foreign key is its own key (a one-to-one sharing the shelf's key) instead of ShelfId.</summary>
        public bool LabelByItsKey { get; init; }

        public override void Configure(EntityBuilder<Shelf> e)
        {
            e.ToTable("gen_shelves");
            e.Property(s => s.Name).HasMaxLength(20);
            if (BooksAsVolumes)
            {
                e.HasMany(s => s.Volumes).WithForeignKey(b => b.ShelfId);
                e.Ignore(s => s.Books);
            }
            else
            {
                e.HasMany(s => s.Books).WithForeignKey(b => b.ShelfId);
                e.Ignore(s => s.Volumes);
            }

            if (WithoutLabel)
            {
                e.Ignore(s => s.Label);
            }
            else if (LabelByItsKey)
            {
                e.HasOne(s => s.Label).WithForeignKey(l => l.Id);
            }
            else
            {
                e.HasOne(s => s.Label).WithForeignKey(l => l.ShelfId);
            }
        }
    }

    public sealed class ShelfLabelMap : ModelConfiguration<ShelfLabel>
    {
        public override void Configure(EntityBuilder<ShelfLabel> e)
        {
            e.ToTable("gen_shelf_labels");
            e.Property(l => l.Text).HasMaxLength(20);
        }
    }

    /// <summary>The book's map; the mismatch tests add a relation after generation (the notes' parent, without a navigation).</summary>
    public sealed class BookMap : ModelConfiguration<Book>
    {
        public override void Configure(EntityBuilder<Book> e)
        {
            e.ToTable("gen_books");
            e.Property(b => b.Title).HasMaxLength(20);
            e.BelongsTo(b => b.Shelf).WithForeignKey(b => b.ShelfId);
            e.HasMany(b => b.Notes).WithForeignKey(n => n.BookId);
        }
    }

    public sealed class BookNoteMap : ModelConfiguration<BookNote>
    {
        public bool WithoutParent { get; init; }

        public override void Configure(EntityBuilder<BookNote> e)
        {
            e.ToTable("gen_book_notes");
            e.Property(n => n.Text).HasMaxLength(20);
            if (!WithoutParent)
            {
                e.BelongsTo<Book>().WithForeignKey(n => n.BookId);
            }
        }
    }

    public sealed class BayMap : ModelConfiguration<Bay>
    {
        public override void Configure(EntityBuilder<Bay> e)
        {
            e.ToTable("gen_bays");
            e.HasKey(b => new { b.Aisle, b.Number });
            e.Property(b => b.Name).HasMaxLength(20);
            e.HasMany(b => b.Slots).WithForeignKey(s => new { s.BayAisle, s.BayNumber });
        }
    }

    public sealed class SlotMap : ModelConfiguration<Slot>
    {
        public override void Configure(EntityBuilder<Slot> e)
        {
            e.ToTable("gen_slots");
            e.Property(s => s.Label).HasMaxLength(20);
            e.BelongsTo(s => s.Bay).WithForeignKey(s => new { s.BayAisle, s.BayNumber });
        }
    }
}
