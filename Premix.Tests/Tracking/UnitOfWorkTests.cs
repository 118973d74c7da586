using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Premix.Providers.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>Identity map, change tracking, ordering, versions and failure semantics of the unit of work.</summary>
public sealed class UnitOfWorkTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;
    private CapturingLoggerProvider _logs = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _logs = new CapturingLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _premix = await CreatePremixWithTablesAsync(factory, new AuthorMap(), new BookMap(), new CounterMap(), new CustomerMap());
    }

    [Test]
    public async Task Loading_one_key_twice_gives_the_same_instance_and_untracked_reads_give_new_ones()
    {
        var id = await AddAuthorAsync("Ursula", "Earthsea");
        await using var uow = _premix.BeginUnitOfWork();
        var authors = uow.Repository<Author>();

        var first = await authors.GetAsync(id);
        var statementsAfterFirst = Statements().Count;
        var second = await authors.FindAsync(id);
        var listed = (await authors.ListAsync()).Single();
        var untracked = await authors.AsNoTracking().GetAsync(id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(listed, Is.SameAs(first));
            Assert.That(untracked, Is.Not.SameAs(first));
            Assert.That(Statements(), Has.Count.EqualTo(statementsAfterFirst + 2), "a key already loaded is answered without a round trip; the list and the untracked read each send one");
        }
    }

    [Test]
    public async Task A_commit_with_no_change_sends_no_statement()
    {
        var id = await AddAuthorAsync("Ursula", "Earthsea");
        await using var uow = _premix.BeginUnitOfWork();
        await uow.Repository<Author>().GetAsync(id);
        var before = Statements().Count;

        await uow.CommitAsync();

        Assert.That(Statements(), Has.Count.EqualTo(before));
        Assert.That(uow.HasPendingChanges, Is.False);
    }

    [Test]
    public async Task Changing_one_property_of_a_loaded_entity_updates_that_column_only()
    {
        var id = await AddAuthorAsync("Ursula", "Earthsea");
        await using var uow = _premix.BeginUnitOfWork();
        var author = await uow.Repository<Author>().GetAsync(id);
        author.Name = "Ursula K. Le Guin";
        var before = Statements().Count;

        await uow.CommitAsync();

        var sent = Statements().Skip(before).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Has.Count.EqualTo(1));
            Assert.That(sent[0], Does.Contain($"UPDATE {Q("authors")} SET {Q("Name")} = @Name WHERE {Q("Id")} = @Id"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("authors")}"), Is.EqualTo("Ursula K. Le Guin"));
        }
    }

    [Test]
    public async Task A_new_parent_with_new_children_is_inserted_parent_first_with_its_key_in_the_children()
    {
        var author = new Author { Name = "Ursula", Books = [new Book { Title = "Earthsea" }, new Book { Title = "The Dispossessed" }] };
        var orphan = new Book { Title = "Lavinia", Author = new Author { Name = "Ursula again" } };
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Book>().Add(orphan); // the child first: the commit still inserts its parent before it
        uow.Repository<Author>().Add(author);

        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(author.Books.Select(b => b.AuthorId), Is.All.EqualTo(author.Id));
            Assert.That(orphan.AuthorId, Is.EqualTo(orphan.Author!.Id).And.Not.Zero);
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("books")} WHERE {Q("AuthorId")} = @id", new { id = author.Id }), Is.EqualTo(2));
            Assert.That(await ScalarAsync<long>($"SELECT {Q("AuthorId")} FROM {Q("books")} WHERE {Q("Title")} = 'Lavinia'"), Is.EqualTo(orphan.Author.Id));
        }
    }

    [Test]
    public async Task A_child_added_to_a_loaded_parent_gets_its_key_and_deletes_run_children_first()
    {
        var id = await AddAuthorAsync("Ursula", "Earthsea");
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var author = await uow.Repository<Author>().GetAsync(id);
            author.Books.Add(new Book { Title = "Tehanu" });
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var author = await uow.Repository<Author>().GetAsync(id);
            uow.Repository<Author>().Remove(author); // removed before its books: the commit deletes the books first
            foreach (var book in await uow.Repository<Book>().ListAsync())
            {
                uow.Repository<Book>().Remove(book);
            }

            await uow.CommitAsync();
        }

        Assert.That(await CountRowsAsync("authors"), Is.Zero);
        Assert.That(await CountRowsAsync("books"), Is.Zero);
    }

    [Test]
    public async Task A_unique_violation_in_the_middle_of_a_commit_leaves_the_database_and_the_objects_as_before()
    {
        await _premix.Raw($"CREATE UNIQUE INDEX {I("ux_books_title")} ON {I("books")} ({I("Title")})").ExecuteAsync();
        var author = new Author { Name = "Ursula", Books = [.. new[] { "A", "B", "A", "C" }.Select(t => new Book { Title = t })] };
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Author>().Add(author);

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Entity, Is.EqualTo("Book"));
            Assert.That(await CountRowsAsync("authors"), Is.Zero);
            Assert.That(await CountRowsAsync("books"), Is.Zero);
            Assert.That(author.Id, Is.Zero, "generated keys are not left assigned");
            Assert.That(author.Books.Select(b => (b.Id, b.AuthorId)), Is.All.EqualTo((0L, 0L)), "foreign keys are not left assigned");
        }

        author.Books[2].Title = "A2";
        await uow.CommitAsync();
        Assert.That(await CountRowsAsync("books"), Is.EqualTo(4), "the same unit of work can be fixed and committed");
    }

    [Test]
    public async Task Two_writers_of_one_versioned_row_one_wins_the_other_gets_ConcurrencyException_and_keeps_its_state()
    {
        var id = await AddCounterAsync();
        await using var first = _premix.BeginUnitOfWork();
        await using var second = _premix.BeginUnitOfWork();
        var mine = await first.Repository<Counter>().GetAsync(id);
        var theirs = await second.Repository<Counter>().GetAsync(id);
        mine.Value = 10;
        theirs.Value = 20;

        await first.CommitAsync();
        var error = Assert.ThrowsAsync<ConcurrencyException>(() => second.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("Counter").And.Contain(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("reload"));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Value")} FROM {Q("counters")}"), Is.EqualTo(10), "no update is lost");
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("counters")}"), Is.EqualTo(2));
            Assert.That((mine.Version, theirs.Version, theirs.Value), Is.EqualTo((2, 1, 20)), "the loser's version is not bumped");
        }
    }

    [Test]
    public async Task Rewriting_identical_values_is_not_mistaken_for_a_conflict()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Id = 0, Name = "Same" });
            await uow.CommitAsync();
        }

        var id = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")}");
        await using var writer = _premix.BeginUnitOfWork();
        writer.Repository<Customer>().Update(new Customer { Id = id, Name = "Same" }); // matched 1 row, changed 0

        Assert.DoesNotThrowAsync(() => writer.CommitAsync());
    }

    [Test]
    public async Task Raw_writes_in_a_unit_of_work_commit_with_it_and_roll_back_when_it_is_disposed()
    {
        await using (var discarded = _premix.BeginUnitOfWork())
        {
            await discarded.Raw($"INSERT INTO {I("authors")} ({I("Name")}) VALUES ({"discarded"})").ExecuteAsync();
            Assert.That(discarded.HasPendingChanges, Is.True);
        }

        await using (var kept = _premix.BeginUnitOfWork(IsolationLevel.Serializable))
        {
            await kept.Raw($"INSERT INTO {I("authors")} ({I("Name")}) VALUES ({"kept"})").ExecuteAsync();
            kept.Repository<Author>().Add(new Author { Name = "added" });
            await kept.CommitAsync();
        }

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("Name")} = 'discarded'"), Is.Zero);
        Assert.That(await CountRowsAsync("authors"), Is.EqualTo(2));
    }

    [Test]
    public async Task Updating_a_second_instance_with_a_tracked_key_is_refused_and_removing_an_added_entity_forgets_it()
    {
        var id = await AddAuthorAsync("Ursula", "Earthsea");
        await using var uow = _premix.BeginUnitOfWork();
        var authors = uow.Repository<Author>();
        await authors.GetAsync(id);
        var fresh = new Author { Name = "never written" };
        authors.Add(fresh);
        authors.Remove(fresh);
        var before = Statements().Count;

        var error = Assert.Throws<InvalidOperationException>(() => authors.Update(new Author { Id = id, Name = "impostor" }));
        await uow.CommitAsync();

        Assert.That(error!.Message, Does.Contain("Another Author instance with the same key is already tracked"));
        Assert.That(Statements(), Has.Count.EqualTo(before), "the added-then-removed author is never sent");
        Assert.That(await CountRowsAsync("authors"), Is.EqualTo(1));
    }

    // Neither level is any engine's default but SQLite's serializable: a unit of work that ignored the level asked for
    // would fail every case but that one (see SqliteIsolationInForceAsync).
    [TestCase(IsolationLevel.Serializable, "serializable")]
    [TestCase(IsolationLevel.ReadUncommitted, "read uncommitted")]
    public async Task The_chosen_isolation_level_is_the_one_in_force_in_the_transaction(IsolationLevel level, string inForce)
    {
        var observed = Engine == Engine.Sqlite ? await SqliteIsolationInForceAsync(level) : await ServerReportedIsolationAsync(level);

        Assert.That(observed, Is.EqualTo(inForce).IgnoreCase);
    }

    [Test]
    public async Task A_composite_key_is_found_with_an_object_naming_its_parts()
    {
        var premix = await CreatePremixWithTablesAsync(new LineMap());
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Line>().Add(new Line { OrderId = 7, LineNo = 2, Sku = "x" });
        await uow.CommitAsync();

        await using var reader = premix.BeginUnitOfWork();
        var line = await reader.Repository<Line>().GetAsync(new { OrderId = 7L, LineNo = 2 });
        var missing = await reader.Repository<Line>().FindAsync(new { OrderId = 7L, LineNo = 3 });
        var wrongShape = Assert.ThrowsAsync<ArgumentException>(() => reader.Repository<Line>().GetAsync(7L));

        Assert.That(line.Sku, Is.EqualTo("x"));
        Assert.That(missing, Is.Null);
        Assert.That(wrongShape!.Message, Does.Contain("composite key (OrderId, LineNo)"));
    }

    [TearDown]
    public void DisposeLogs() => _logs.Dispose();

    private List<string> Statements() => _logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message).ToList();

    private async Task<long> AddAuthorAsync(string name, string title)
    {
        await using var uow = _premix.BeginUnitOfWork();
        var author = new Author { Name = name, Books = [new Book { Title = title }] };
        uow.Repository<Author>().Add(author);
        await uow.CommitAsync();
        return author.Id;
    }

    private async Task<long> AddCounterAsync()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var counter = new Counter { Name = "hits", Version = 1 };
        uow.Repository<Counter>().Add(counter);
        await uow.CommitAsync();
        return counter.Id;
    }

    // PostgreSQL and MariaDB say which level the running transaction has (their defaults are read committed and
    // repeatable read).
    private async Task<string?> ServerReportedIsolationAsync(IsolationLevel level)
    {
        await using var uow = _premix.BeginUnitOfWork(level);
        var insert = $"INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('isolated')"; // a plain string: Raw($"...") would send each hole as a value
        await uow.Raw(insert).ExecuteAsync(); // starts the transaction

        return Engine == Engine.PostgreSql
            ? await uow.Raw("SHOW transaction_isolation").ScalarAs<string>()
            : await uow.Raw("SELECT trx_isolation_level FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()").ScalarAs<string>();
    }

    // SQLite reports no level, so the test watches what the transaction does. Microsoft.Data.Sqlite knows two: serializable,
    // SQLite's default, which it begins with BEGIN IMMEDIATE (the database's write lock, taken at once), and read
    // uncommitted, which only a shared-cache connection has (PRAGMA read_uncommitted, then a BEGIN that takes no lock);
    // it maps every other level to serializable. So on a shared-cache database, while the unit of work's transaction is
    // open, another connection writes a row without committing it: refused as locked, the unit of work holds the write
    // lock (serializable); let through, the unit of work reads that uncommitted row only under read uncommitted.
    private async Task<string> SqliteIsolationInForceAsync(IsolationLevel level)
    {
        var sharedCache = new SqliteConnectionStringBuilder(ConnectionString)
        {
            Cache = SqliteCacheMode.Shared,
            Pooling = false, // a pooled connection would keep PRAGMA read_uncommitted for the next unit of work
            DefaultTimeout = 1, // how long the other writer waits for the lock
        }.ToString();
        await using var premix = PremixFactory.Create(p => p.UseProvider(new SqliteProvider(sharedCache)).AddModelConfiguration(new AuthorMap()).AddModelConfiguration(new BookMap()));
        await using var uow = premix.BeginUnitOfWork(level);
        await uow.Raw("CREATE TEMP TABLE isolation_probe (x INTEGER)").ExecuteAsync(); // starts the transaction without touching a shared table

        await using var other = new SqliteConnection(sharedCache);
        await other.OpenAsync();
        await using var write = other.CreateCommand();
        write.CommandText = $"BEGIN; INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('uncommitted')";
        try
        {
            await write.ExecuteNonQueryAsync();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 6) // SQLITE_LOCKED: the shared cache has another writer
        {
            return "serializable";
        }

        try
        {
            var count = $"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("Name")} = 'uncommitted'"; // a plain string: Raw($"...") would send each hole as a value
            var seen = await uow.Raw(count).ScalarAs<long>();
            return seen == 1 ? "read uncommitted" : $"a transaction that took no lock and saw {seen} uncommitted rows";
        }
        catch (DatabaseCommandException e)
        {
            return "a transaction that took no lock and may not read uncommitted rows: " + e.Message;
        }
    }

    public sealed class Line
    {
        public long OrderId { get; set; }

        public int LineNo { get; set; }

        public string Sku { get; set; } = "";
    }

    private sealed class LineMap : Premix.Mapping.ModelConfiguration<Line>
    {
        public override void Configure(Premix.Mapping.EntityBuilder<Line> e)
        {
            e.ToTable("lines");
            e.HasKey(l => new { l.OrderId, l.LineNo });
            e.Property(l => l.Sku).HasMaxLength(20);
        }
    }
}
