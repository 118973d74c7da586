using Microsoft.Extensions.DependencyInjection;
using Premix.Mapping;
using Premix.Testing;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>The recording fake on its own: no database is involved, so these run once, not per engine.</summary>
public sealed class RecordingFakeTests
{
    private static FakePremix CreateFake(FakeOptions? options = null) =>
        FakePremix.Create(p => p.AddModelConfiguration<AuthorMap>().AddModelConfiguration<BookMap>(), options);

    [Test]
    public async Task Commit_assigns_generated_keys_runs_the_mappings_hooks_and_records_the_inserts()
    {
        using var fake = CreateFake();
        var ada = new Author { Name = "Ada Lovelace" };
        var grace = new Author { Name = "Grace Hopper" };
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Author>().Add(ada);
            uow.Repository<Author>().Add(grace);
            await uow.CommitAsync();
        }

        Assert.That((ada.Id, grace.Id), Is.EqualTo((1L, 2L)));
        Assert.That(ada.Slug, Is.EqualTo("ada-lovelace"), "BeforeInsert hook of the mapping");
        var commit = fake.Commits.Single();
        Assert.That(commit.Succeeded);
        Assert.That(commit.Of<Author>(RecordedWriteKind.Insert).Select(a => (a.Id, a.Name)), Is.EqualTo(new[] { (1L, "Ada Lovelace"), (2L, "Grace Hopper") }));
        Assert.That(fake.Rows<Author>().Select(a => a.Slug), Is.EqualTo(new[] { "ada-lovelace", "grace-hopper" }));
    }

    [Test]
    public async Task A_service_under_test_reads_and_writes_through_the_fake_and_its_commit_is_recorded()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "ada lovelace", Email = "ada@example.org" });
        await using var uow = fake.BeginUnitOfWork();

        await new Catalog(uow.Repository<Author>(), uow.Repository<Book>(), uow).PublishAsync(1, "Notes", 12.5m, CancellationToken.None);

        var commit = fake.Commits.Single();
        Assert.That(commit.Of<Book>(RecordedWriteKind.Insert).Single().AuthorId, Is.EqualTo(1));
        Assert.That(commit.Writes.Single(w => w.Kind == RecordedWriteKind.Update).ChangedProperties, Is.EqualTo(new[] { "Name" }));
        Assert.That(fake.Rows<Book>().Single().Id, Is.EqualTo(1), "the generated key, assigned on commit");
    }

    [Test]
    public async Task IEntityHook_services_run_on_commit_as_in_a_dependency_injection_scope()
    {
        var hook = new CountingHook();
        var services = new ServiceCollection()
            .AddSingleton<IEntityHook<Book>>(hook)
            .BuildServiceProvider();
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<AuthorMap>().AddModelConfiguration<BookMap>(), services: services);
        fake.Seed(new Author { Id = 1, Name = "Ada" });
        await using var uow = fake.BeginUnitOfWork();
        uow.Repository<Book>().Add(new Book { AuthorId = 1, Title = "Notes" });

        await uow.CommitAsync();

        Assert.That((hook.Before, hook.After), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task Children_added_through_a_new_parents_collection_are_inserted_after_it_with_its_generated_key()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 41, Name = "Seeded" });
        var author = new Author { Name = "Ursula", Books = [new Book { Title = "The Dispossessed", Price = 9.5m }] };
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Author>().Add(author);
            await uow.CommitAsync();
        }

        Assert.That(author.Id, Is.EqualTo(42), "one past the largest seeded key, as an identity column continues");
        Assert.That(fake.Commits.Single().Writes.Select(w => w.ToString()), Is.EqualTo(new[] { "Insert Author", "Insert Book" }));
        Assert.That(fake.Rows<Book>().Single().AuthorId, Is.EqualTo(42));
    }

    [Test]
    public async Task A_loaded_entity_is_updated_on_commit_with_only_its_changed_columns_and_its_version_bumped()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada", Email = "ada@example.org" });
        await using (var uow = fake.BeginUnitOfWork())
        {
            var ada = await uow.Repository<Author>().GetAsync(1L);
            Assert.That(await uow.Repository<Author>().GetAsync(1), Is.SameAs(ada), "one instance per key in a unit of work");
            ada.Name = "Ada King";
            await uow.CommitAsync();
            Assert.That(ada.Version, Is.EqualTo(1));
        }

        var update = fake.Commits.Single().Writes.Single();
        Assert.That((update.Kind, update.ChangedProperties), Is.EqualTo((RecordedWriteKind.Update, (IReadOnlyList<string>)["Name"])));
        Assert.That(fake.Rows<Author>().Single() is { Name: "Ada King", Email: "ada@example.org", Version: 1 });
    }

    [Test]
    public async Task A_stale_version_fails_the_commit_with_ConcurrencyException_and_changes_nothing()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" });
        await using var first = fake.BeginUnitOfWork();
        await using var second = fake.BeginUnitOfWork();
        var mine = await first.Repository<Author>().GetAsync(1L);
        var theirs = await second.Repository<Author>().GetAsync(1L);
        theirs.Name = "Theirs";
        await second.CommitAsync();

        mine.Name = "Mine";
        first.Repository<Author>().Add(new Author { Name = "Added in the same commit" });
        Assert.ThrowsAsync<ConcurrencyException>(() => first.CommitAsync());

        Assert.That(fake.Rows<Author>().Select(a => a.Name), Is.EqualTo(new[] { "Theirs" }), "the failed commit's insert was rolled back too");
        Assert.That((mine.Version, fake.Commits[^1].Succeeded), Is.EqualTo((0, false)));
    }

    [Test]
    public async Task A_scripted_ConcurrencyException_fails_only_the_next_commit_and_puts_the_generated_keys_back()
    {
        using var fake = CreateFake();
        fake.FailNextCommitWithConcurrency<Author>(7L);
        await using var uow = fake.BeginUnitOfWork();
        var author = new Author { Name = "Ada" };
        uow.Repository<Author>().Add(author);

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());
        Assert.That(error!.Message, Does.Contain("Author with key 7"));
        Assert.That((author.Id, fake.Rows<Author>().Count), Is.EqualTo((0L, 0)));

        await uow.CommitAsync(); // the same writes, retried: the script was for one commit
        Assert.That((author.Id, fake.Rows<Author>().Count), Is.EqualTo((1L, 1)));
        Assert.That(fake.Commits.Select(c => c.Succeeded), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public async Task A_declared_unique_constraint_refuses_a_duplicate_with_UniqueConstraintException_and_NULLs_never_collide()
    {
        using var fake = CreateFake();
        fake.HasUniqueConstraint<Author>("ux_author_email", a => a.Email);
        fake.Seed(new Author { Id = 1, Name = "Ada", Email = "ada@example.org" }, new Author { Id = 2, Name = "No email" });
        await using var uow = fake.BeginUnitOfWork();
        uow.Repository<Author>().Add(new Author { Name = "Also no email" });
        await uow.CommitAsync();

        uow.Repository<Author>().Add(new Author { Name = "Impostor", Email = "ada@example.org" });
        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        Assert.That((error!.ConstraintName, error.Columns), Is.EqualTo(("ux_author_email", (IReadOnlyList<string>)["Email"])));
        Assert.That(error.Message, Does.Not.Contain("ada@example.org"), "the value of a sensitive column never appears");
        Assert.That(fake.Rows<Author>(), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_unique_index_of_the_mapping_is_enforced_without_being_declared_again()
    {
        using var fake = CreateFake(FakeOptions.MariaDb);
        fake.Seed(new Author { Id = 1, Name = "Ada" });
        fake.Seed(new Book { Id = 10, AuthorId = 1, Title = "Notes" });
        await using var uow = fake.BeginUnitOfWork();
        uow.Repository<Book>().Add(new Book { AuthorId = 1, Title = "NOTES" });

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        Assert.That((error!.Columns, error.Table), Is.EqualTo(((IReadOnlyList<string>)["Title"], "fake_books")), "text compared as the options say: case-insensitively here");
        Assert.That(fake.Rows<Book>(), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_scripted_unique_violation_is_the_exception_an_engine_would_give()
    {
        using var fake = CreateFake();
        fake.FailNextCommitWithUniqueViolation<Author>("ux_author_name", "name");
        using var uow = fake.BeginUnitOfWork();
        uow.Repository<Author>().Add(new Author { Name = "Ada" });

        var error = Assert.Throws<UniqueConstraintException>(uow.Commit);
        Assert.That((error!.ConstraintName, error.Table), Is.EqualTo(("ux_author_name", "fake_authors")));
    }

    [Test]
    public async Task The_mappings_validation_rules_fail_the_commit_before_anything_is_stored()
    {
        using var fake = CreateFake();
        await using var uow = fake.BeginUnitOfWork();
        uow.Repository<Author>().Add(new Author { Name = new string('x', 41), Email = "no at sign" });

        var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync());

        Assert.That(error!.Failures.Select(f => f.Property), Is.EquivalentTo(new[] { "Name", null }));
        Assert.That(error.Failures.Select(f => f.Message), Has.Some.Contains("Email must contain '@'."));
        Assert.That((fake.Rows<Author>().Count, fake.Commits.Single().Succeeded), Is.EqualTo((0, false)));
    }

    [Test]
    public void A_scripted_validation_failure_fails_the_next_commit()
    {
        using var fake = CreateFake();
        fake.FailNextCommitWithValidation<Author>("Name", "Name is taken.");
        using var uow = fake.BeginUnitOfWork();
        uow.Repository<Author>().Add(new Author { Name = "Ada" });

        var error = Assert.Throws<ValidationException>(uow.Commit);
        Assert.That(error!.Failures.Single().ToString(), Is.EqualTo("Author.Name: Name is taken."));
    }

    [Test]
    public void A_bad_mapping_fails_to_build_the_fake_as_it_fails_at_startup()
    {
        var error = Assert.Throws<MappingException>(() => FakePremix.Create(p => p.AddModelConfiguration<BookMap>()));
        Assert.That(error!.Message, Does.Contain("Author"));
    }

    [Test]
    public async Task Decimals_are_rounded_on_commit_as_the_mapping_says()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" });
        var book = new Book { AuthorId = 1, Title = "Notes", Price = 2.345m };
        await using var uow = fake.BeginUnitOfWork();
        uow.Repository<Book>().Add(book);
        await uow.CommitAsync();

        Assert.That((book.Price, fake.Rows<Book>().Single().Price), Is.EqualTo((2.35m, 2.35m)));
    }

    [Test]
    public async Task Remove_of_a_soft_deletable_entity_sets_its_marker_and_hides_it_from_every_read()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" }, new Author { Id = 2, Name = "Grace" });
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Author>().Remove(await uow.Repository<Author>().GetAsync(1L));
            await uow.CommitAsync();
        }

        await using var reader = fake.BeginUnitOfWork();
        var authors = reader.Repository<Author>();
        Assert.That(fake.Commits.Single().Writes.Single().Kind, Is.EqualTo(RecordedWriteKind.SoftDelete));
        Assert.That(await authors.FindAsync(1L), Is.Null);
        Assert.ThrowsAsync<EntityNotFoundException>(() => authors.GetAsync(1L));
        Assert.That((await authors.CountAsync(), (await authors.ListAsync()).Single().Name), Is.EqualTo((1L, "Grace")));
        Assert.That((await authors.Query().OnlyDeleted().SingleAsync()).Id, Is.EqualTo(1));
        Assert.That(await authors.Query().WithDeleted().CountAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task Query_filters_orders_and_pages_from_memory()
    {
        using var fake = CreateFake();
        fake.Seed(
            new Author { Id = 1, Name = "Carol", Email = "c@x.org" },
            new Author { Id = 2, Name = "Ada" },
            new Author { Id = 3, Name = "Bob", Email = "b@x.org" },
            new Author { Id = 4, Name = "Ada", Email = "a@x.org" });
        await using var uow = fake.BeginUnitOfWork();
        var authors = uow.Repository<Author>().Query();

        var page = await authors.Where(a => a.Id > 1).OrderBy(a => a.Name).ThenByDescending(a => a.Id).Skip(1).Take(2).ToListAsync();
        Assert.That(page.Select(a => a.Id), Is.EqualTo(new[] { 2L, 3L }));
        Assert.That((await authors.OrderByDescending(a => a.Id).FirstAsync()).Id, Is.EqualTo(4));
        Assert.That(await authors.Where(a => a.Name == "Nobody").FirstOrDefaultAsync(), Is.Null);
        Assert.That((await authors.Where(a => a.Name.StartsWith("Car")).SingleAsync()).Id, Is.EqualTo(1));
        Assert.ThrowsAsync<InvalidOperationException>(() => authors.Where(a => a.Name == "Ada").SingleAsync());
        Assert.That(await authors.Where(a => a.Name == "Ada").CountAsync(), Is.EqualTo(2));
        Assert.That(await authors.Where(a => a.Name == "Ada").Skip(1).CountAsync(), Is.EqualTo(1), "a paged count counts the page, as its SQL does");
        Assert.That(await authors.Where(a => a.Name == "Bob").Skip(5).AnyAsync(), Is.True, "EXISTS ignores paging, as its SQL does");
        Assert.That(await authors.Where(a => new long[] { 1, 3 }.Contains(a.Id)).Select(a => a.Name).ToListAsync(), Is.EqualTo(new[] { "Carol", "Bob" }));
        var streamed = new List<long>();
        await foreach (var author in authors.OrderBy(a => a.Id).AsAsyncEnumerable())
        {
            streamed.Add(author.Id);
        }

        Assert.That(streamed, Is.EqualTo(new[] { 1L, 2L, 3L, 4L }));
    }

    [Test]
    public async Task A_comparison_with_a_NULL_column_is_unknown_as_in_SQL_so_not_equal_skips_NULL_rows()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada", Email = "a@x.org" }, new Author { Id = 2, Name = "Bob" });
        await using var uow = fake.BeginUnitOfWork();
        var authors = uow.Repository<Author>().Query();
        string? none = null;

        Assert.That((await authors.Where(a => a.Email != "z@x.org").ToListAsync()).Select(a => a.Id), Is.EqualTo(new[] { 1L }), "C# would keep Bob too");
        Assert.That((await authors.Where(a => !(a.Email == "a@x.org")).ToListAsync()).Select(a => a.Id), Is.Empty, "NOT unknown is unknown");
        Assert.That((await authors.Where(a => a.Email == none).ToListAsync()).Select(a => a.Id), Is.EqualTo(new[] { 2L }), "== null is IS NULL");
        Assert.That((await authors.Where(a => new[] { "a@x.org", null }.Contains(a.Email)).ToListAsync()).Count, Is.EqualTo(2), "a null in the list matches NULL, as Premix's SQL makes it");
    }

    [Test]
    public async Task A_predicate_SQL_cannot_express_is_refused_with_the_same_NotSupportedException_not_run_in_memory()
    {
        using var fake = CreateFake();
        await using var uow = fake.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<NotSupportedException>(() => uow.Repository<Author>().Query().Where(a => a.Name.ToUpper() == "ADA").ToListAsync());

        Assert.That(error!.Message, Does.Contain("Premix cannot translate").And.Contain("Nothing is evaluated in memory instead"));
    }

    [Test]
    public async Task Include_loads_children_and_parents_from_memory_and_stitches_both_directions()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" }, new Author { Id = 2, Name = "Bob" });
        fake.Seed(new Book { Id = 10, AuthorId = 1, Title = "Notes" }, new Book { Id = 11, AuthorId = 1, Title = "Sketches" });
        await using var uow = fake.BeginUnitOfWork();

        var authors = await uow.Repository<Author>().Query().Include(a => a.Books).OrderBy(a => a.Id).ToListAsync();
        Assert.That(authors.Select(a => a.Books.Count), Is.EqualTo(new[] { 2, 0 }));
        Assert.That(authors[0].Books[0].Author, Is.SameAs(authors[0]));

        var book = await uow.Repository<Book>().Query().Include(b => b.Author).Where(b => b.Id == 11).SingleAsync();
        Assert.That(book.Author, Is.SameAs(authors[0]), "tracked: the same instance per key");
    }

    // The fake's reader hands back lists of its own rather than the one the loader offers: the level below still gets the rows.
    [Test]
    public async Task ThenInclude_loads_the_next_level_of_the_rows_the_fake_read_for_the_level_above()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" }, new Author { Id = 2, Name = "Bob" });
        fake.Seed(new Book { Id = 10, AuthorId = 1, Title = "Notes" }, new Book { Id = 11, AuthorId = 2, Title = "Sketches" }, new Book { Id = 12, AuthorId = 1, Title = "Letters" });
        await using var uow = fake.BeginUnitOfWork();

        var book = await uow.Repository<Book>().AsNoTracking().Query().Where(b => b.Id == 10).Include(b => b.Author).ThenInclude(a => a!.Books).SingleAsync();

        Assert.That(book.Author!.Name, Is.EqualTo("Ada"));
        Assert.That(book.Author.Books.Select(b => b.Id).Order(), Is.EqualTo(new[] { 10L, 12L }), "every book of the author, loaded by ThenInclude, not only the one the query read");
    }

    [Test]
    public async Task Bulk_statements_land_with_the_commit_and_are_discarded_without_one()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" });
        fake.Seed(new Book { Id = 10, AuthorId = 1, Title = "Notes", Price = 1m }, new Book { Id = 11, AuthorId = 1, Title = "Sketches", Price = 2m });
        await using (var uow = fake.BeginUnitOfWork())
        {
            Assert.That(await uow.Repository<Book>().Query().Where(b => b.Price > 1m).UpdateAllAsync(s => s.Set(b => b.Price, b => b.Price * 2)), Is.EqualTo(1));
            Assert.That((await uow.Repository<Book>().GetAsync(11L)).Price, Is.EqualTo(4m), "the unit of work sees its own bulk change");
        }

        Assert.That(fake.Rows<Book>().Select(b => b.Price), Is.EqualTo(new[] { 1m, 2m }), "disposed without a commit: rolled back");

        await using (var uow = fake.BeginUnitOfWork())
        {
            Assert.That(await uow.Repository<Book>().Query().Where(b => b.Title == "Notes").DeleteAllAsync(), Is.EqualTo(1));
            Assert.ThrowsAsync<DestructiveOperationException>(() => uow.Repository<Book>().Query().DeleteAllAsync());
            await uow.CommitAsync();
        }

        Assert.That(fake.Rows<Book>().Select(b => b.Id), Is.EqualTo(new[] { 11L }));
    }

    [Test]
    public async Task Raw_statements_are_recorded_with_their_SQL_and_parameters_and_answered_as_scripted()
    {
        using var fake = CreateFake();
        fake.OnRaw("select name as Name, count(*) as Books from fake_authors where since >= @since group by name").Returns(new AuthorReport("Ada", 2));
        fake.OnRaw(s => s.Sql.StartsWith("UPDATE", StringComparison.Ordinal)).Affects(3);
        var since = new DateTime(2026, 1, 1);
        var secret = "s3cret";

        var report = await fake.Raw("select name as Name, count(*) as Books\n  from fake_authors where since >= @since group by name", new { since }).FetchAs<AuthorReport>();
        await using var uow = fake.BeginUnitOfWork();
        var updated = await uow.Raw($"UPDATE fake_authors SET email = {RawSql.Sensitive(secret)} WHERE id = {1}").ExecuteAsync();

        Assert.That((report.Single(), updated), Is.EqualTo((new AuthorReport("Ada", 2), 3)));
        var (select, update) = (fake.Statements[0], fake.Statements[1]);
        Assert.That((select.Parameters["since"], select.InUnitOfWork, select.Kind), Is.EqualTo(((object?)since, false, RawStatementKind.Fetch)));
        Assert.That((update.Sql, update.Parameters.Values, update.InUnitOfWork), Is.EqualTo(("UPDATE fake_authors SET email = @p0 WHERE id = @p1", new object?[] { secret, 1 }, true)));
        Assert.That(update.ToString(), Does.Contain("@p0 = ***").And.Not.Contain(secret));
    }

    [Test]
    public void A_raw_statement_nothing_scripted_fails_naming_the_SQL_to_script()
    {
        using var fake = CreateFake();

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => fake.Raw("select 1").ScalarAs<int>());

        Assert.That(error!.Message, Does.Contain("'select 1'").And.Contain("fake.OnRaw"));
        Assert.That(fake.Statements.Single().Kind, Is.EqualTo(RawStatementKind.Scalar));
    }

    [Test]
    public async Task ToSql_shows_the_query_in_the_fakes_neutral_SQL_and_opens_no_connection()
    {
        using var fake = CreateFake();
        await using var uow = fake.BeginUnitOfWork();

        var sql = uow.Repository<Author>().Query().Where(a => a.Name == "Ada").Take(1).ToSql();

        Assert.That(sql, Does.Contain("FROM \"fake_authors\" WHERE \"Name\" = @p0").And.EndWith("LIMIT @__take"));
        Assert.That(fake.Connections, Is.Null);
    }

    [Test]
    public async Task Update_of_an_entity_not_loaded_here_writes_every_column_and_HardDelete_and_Restore_do_what_they_say()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" }, new Author { Id = 2, Name = "Bob", DeletedAt = new DateTime(2026, 1, 1) }, new Author { Id = 3, Name = "Cy" });
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Author>().Update(new Author { Id = 1, Name = "Ada King", Email = "ada@example.org" });
            uow.Repository<Author>().Restore(await uow.Repository<Author>().Query().OnlyDeleted().SingleAsync());
            uow.Repository<Author>().HardDelete(await uow.Repository<Author>().GetAsync(3L));
            await uow.CommitAsync();
        }

        var writes = fake.Commits.Single().Writes;
        Assert.That(writes.Select(w => w.Kind), Is.EqualTo(new[] { RecordedWriteKind.Update, RecordedWriteKind.Update, RecordedWriteKind.Delete }));
        Assert.That(writes[0].ChangedProperties, Does.Contain("Name").And.Contain("Email").And.Contain("Slug"), "an entity given to Update has every column written");
        Assert.That(fake.Rows<Author>().Select(a => (a.Id, a.Name, a.DeletedAt)), Is.EqualTo(new[] { (1L, "Ada King", (DateTime?)null), (2L, "Bob", null) }));
    }

    [Test]
    public async Task A_commit_after_a_bulk_statement_refuses_to_overwrite_what_another_unit_of_work_committed_meanwhile()
    {
        using var fake = CreateFake();
        fake.Seed(new Author { Id = 1, Name = "Ada" });
        fake.Seed(new Book { Id = 10, AuthorId = 1, Title = "Notes", Price = 1m });
        await using var bulk = fake.BeginUnitOfWork();
        await bulk.Repository<Book>().Query().Where(b => b.Id == 10).UpdateAllAsync(s => s.Set(b => b.Price, 2m));
        await using (var other = fake.BeginUnitOfWork())
        {
            other.Repository<Author>().Add(new Author { Name = "Grace" });
            await other.CommitAsync();
        }

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => bulk.CommitAsync());

        Assert.That(error!.Message, Does.Contain("cannot merge"));
        Assert.That((fake.Rows<Author>().Count, fake.Rows<Book>().Single().Price), Is.EqualTo((2, 1m)));
    }

    [Test]
    public async Task Given_an_engines_provider_the_fake_shows_that_engines_SQL_and_still_opens_no_connection()
    {
        var file = Path.Combine(Path.GetTempPath(), $"premix-fake-{Guid.NewGuid():N}.db");
        using var fake = FakePremix.Create(p => p.UseSqlite($"Data Source={file}").AddModelConfiguration<AuthorMap>().AddModelConfiguration<BookMap>());
        fake.Seed(new Author { Id = 1, Name = "Ada" });
        await using var uow = fake.BeginUnitOfWork();

        var query = uow.Repository<Author>().Query().Where(a => a.Name == "Ada").Skip(1);

        Assert.That(query.ToSql(), Does.EndWith("LIMIT -1 OFFSET @__skip"), "SQLite's paging");
        Assert.That((await uow.Repository<Author>().Query().SingleAsync()).Name, Is.EqualTo("Ada"));
        Assert.That(File.Exists(file), Is.False, "no connection was opened, so no database file was created");
    }

    [Test]
    public async Task A_disposed_unit_of_work_refuses_every_call()
    {
        using var fake = CreateFake();
        var uow = fake.BeginUnitOfWork();
        var authors = uow.Repository<Author>();
        await uow.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => authors.Add(new Author()));
        Assert.ThrowsAsync<ObjectDisposedException>(() => authors.ListAsync());
        Assert.ThrowsAsync<ObjectDisposedException>(() => uow.CommitAsync());
    }

    public sealed record AuthorReport(string Name, long Books);

    /// <summary>The kind of application service the fake is for: it depends only on Premix's interfaces.</summary>
    public sealed class Catalog(IRepository<Author> authors, IRepository<Book> books, IUnitOfWork uow)
    {
        public async Task PublishAsync(long authorId, string title, decimal price, CancellationToken cancellationToken)
        {
            var author = await authors.GetAsync(authorId, cancellationToken);
            author.Name = System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToTitleCase(author.Name);
            books.Add(new Book { AuthorId = author.Id, Title = title, Price = price });
            await uow.CommitAsync(cancellationToken);
        }
    }

    private sealed class CountingHook : IEntityHook<Book>
    {
        public int Before { get; private set; }

        public int After { get; private set; }

        public ValueTask BeforeInsertAsync(Book entity, CancellationToken cancellationToken)
        {
            Before++;
            return ValueTask.CompletedTask;
        }

        public ValueTask AfterInsertAsync(Book entity, CancellationToken cancellationToken)
        {
            After++;
            return ValueTask.CompletedTask;
        }
    }
}
