using Dapper;
using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Repositories;

/// <summary>
/// Upsert and InsertOrIgnore on every engine, arranged and checked through plain SQL: the insert path, the update path,
/// generated keys and versions written back, a unique index as the conflict target, concurrent upserts of one key, and bad
/// input refused before anything is sent.
/// </summary>
public sealed class UpsertTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Upsert_on_a_unique_index_inserts_a_new_row_and_writes_its_generated_key_back()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        var ada = new Subscriber { Email = "ada@example.org", Name = "Ada" };
        UpsertOutcome outcome;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcome = uow.Repository<Subscriber>().Upsert(ada, on: m => m.Email);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ada.Id, Is.GreaterThan(0));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("subscribers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo("Ada"));
            Assert.That(outcome.IsCommitted, Is.True);
            // PostgreSQL tells (xmax = 0), MariaDB too (LAST_INSERT_ID in the many-row form); without a version column SQLite cannot (see docs).
            Assert.That(outcome.Inserted, Engine == Engine.Sqlite ? Is.Null : Is.True);
        }
    }

    [Test]
    public async Task Upsert_on_a_unique_index_updates_the_existing_row_and_writes_its_key_back()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES ('ada@example.org', 'Ada')");
        var existing = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")}");
        var ada = new Subscriber { Email = "ada@example.org", Name = "Ada Lovelace" };
        UpsertOutcome outcome;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcome = uow.Repository<Subscriber>().Upsert(ada, on: m => m.Email);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ada.Id, Is.EqualTo(existing));
            Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("subscribers")}"), Is.EqualTo("Ada Lovelace"));
            Assert.That(outcome.Inserted, Engine == Engine.Sqlite ? Is.Null : Is.False);
        }
    }

    [Test]
    public async Task Upsert_by_key_inserts_then_updates_and_bumps_the_version()
    {
        var premix = await CreatePremixWithTablesAsync(new PreferenceMap());
        var first = new Preference { Name = "theme", Value = "dark" };
        var second = new Preference { Name = "theme", Value = "light" };
        UpsertOutcome inserted, updated;
        await using (var uow = premix.BeginUnitOfWork())
        {
            inserted = uow.Repository<Preference>().Upsert(first);
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("preferences")}"), Is.EqualTo(0));
        await using (var uow = premix.BeginUnitOfWork())
        {
            updated = uow.Repository<Preference>().Upsert(second);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await CountRowsAsync("preferences"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Value")} FROM {Q("preferences")}"), Is.EqualTo("light"));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("preferences")}"), Is.EqualTo(1));
            Assert.That(second.Version, Is.EqualTo(1));
            Assert.That((inserted.Inserted, updated.Inserted), Is.EqualTo(((bool?)true, (bool?)false)));
        }
    }

    [Test]
    public async Task Upsert_with_a_stale_version_throws_ConcurrencyException_and_leaves_the_row()
    {
        var premix = await CreatePremixWithTablesAsync(new PreferenceMap());
        await ExecuteAsync($"INSERT INTO {Q("preferences")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('theme', 'dark', 3)");
        var stale = new Preference { Name = "theme", Value = "light", Version = 1 };
        await using var uow = premix.BeginUnitOfWork();
        var outcome = uow.Repository<Preference>().Upsert(stale);

        Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Value")} FROM {Q("preferences")}"), Is.EqualTo("dark"));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("preferences")}"), Is.EqualTo(3));
            Assert.That(stale.Version, Is.EqualTo(1));
            Assert.That(outcome.IsCommitted, Is.False);
        }
    }

    [Test]
    public async Task Upserting_many_entities_writes_each_and_a_stale_one_rolls_back_the_whole_commit()
    {
        var premix = await CreatePremixWithTablesAsync(new PreferenceMap());
        await ExecuteAsync($"INSERT INTO {Q("preferences")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('theme', 'dark', 0)");
        var batch = new[] { new Preference { Name = "theme", Value = "light" }, new Preference { Name = "font", Value = "serif" }, new Preference { Name = "size", Value = "12" } };
        IReadOnlyList<UpsertOutcome> outcomes;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Preference>().Upsert(batch);
            await uow.CommitAsync();
        }

        await using (var stale = premix.BeginUnitOfWork())
        {
            stale.Repository<Preference>().Upsert([new Preference { Name = "color", Value = "red" }, new Preference { Name = "theme", Value = "blue", Version = 0 }]);
            Assert.ThrowsAsync<ConcurrencyException>(() => stale.CommitAsync());
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(new bool?[] { false, true, true }));
            Assert.That(batch.Select(p => p.Version), Is.EqualTo(new[] { 1, 0, 0 }));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Value")} FROM {Q("preferences")} WHERE {Q("Name")} = 'theme'"), Is.EqualTo("light"));
            Assert.That(await CountRowsAsync("preferences"), Is.EqualTo(3)); // color was rolled back with the stale theme
        }
    }

    [Test]
    public async Task New_children_of_an_upserted_parent_get_the_key_of_the_row_it_updated()
    {
        var premix = await CreatePremixWithTablesAsync(new UniquelyNamedAuthorMap(), new BookMap());
        await ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('Le Guin')");
        var existing = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("authors")}");
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Author>().Upsert(new Author { Name = "Le Guin", Books = [new Book { Title = "Tehanu" }] }, on: a => a.Name);
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<long>($"SELECT {Q("AuthorId")} FROM {Q("books")} WHERE {Q("Title")} = 'Tehanu'"), Is.EqualTo(existing));
    }

    [Test]
    public async Task New_children_of_a_parent_with_a_client_assigned_key_upserted_on_a_unique_index_get_the_key_of_the_row_it_updated()
    {
        var premix = await CreatePremixWithTablesAsync(new CountryMap(), new CityMap());
        await ExecuteAsync($"INSERT INTO {Q("countries")} ({Q("Code")}, {Q("Name")}) VALUES ('FR', 'France')");
        var france = new Country { Code = "FX", Name = "France", Cities = [new City { Name = "Paris" }] };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Country>().Upsert(france, on: c => c.Name);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(france.Code, Is.EqualTo("FR"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("CountryCode")} FROM {Q("cities")} WHERE {Q("Name")} = 'Paris'"), Is.EqualTo("FR"));
            Assert.That(await CountRowsAsync("countries"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task New_children_of_a_parent_InsertOrIgnored_on_a_unique_index_get_the_key_of_the_row_that_was_already_there()
    {
        var premix = await CreatePremixWithTablesAsync(new UniquelyNamedAuthorMap(), new BookMap());
        await ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('Someone'), ('Le Guin')");
        var existing = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("authors")} WHERE {Q("Name")} = 'Le Guin'");
        var author = new Author { Name = "Le Guin", Books = [new Book { Title = "Tehanu" }, new Book { Title = "Tales from Earthsea" }] };
        UpsertOutcome outcome;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcome = uow.Repository<Author>().InsertOrIgnore(author, on: a => a.Name);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Inserted, Is.False);
            Assert.That(author.Id, Is.EqualTo(existing));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("books")} WHERE {Q("AuthorId")} = @existing", new { existing }), Is.EqualTo(2));
            Assert.That(await CountRowsAsync("authors"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task New_children_of_a_parent_with_a_client_assigned_key_InsertOrIgnored_on_a_unique_index_get_the_key_of_the_row_that_was_already_there()
    {
        var premix = await CreatePremixWithTablesAsync(new CountryMap(), new CityMap());
        // The key given (FX) belongs to another country: children must not silently end up there.
        await ExecuteAsync($"INSERT INTO {Q("countries")} ({Q("Code")}, {Q("Name")}) VALUES ('FR', 'France'), ('FX', 'Metropolitan France')");
        var france = new Country { Code = "FX", Name = "France", Cities = [new City { Name = "Paris" }] };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Country>().InsertOrIgnore(france, on: c => c.Name);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(france.Code, Is.EqualTo("FR"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("CountryCode")} FROM {Q("cities")} WHERE {Q("Name")} = 'Paris'"), Is.EqualTo("FR"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("countries")} WHERE {Q("Code")} = 'FX'"), Is.EqualTo("Metropolitan France"));
        }
    }

    [Test]
    public async Task A_parent_InsertOrIgnored_without_new_children_keeps_its_unassigned_key_and_costs_no_extra_read()
    {
        var premix = await CreatePremixWithTablesAsync(new UniquelyNamedAuthorMap(), new BookMap());
        await ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('Le Guin')");
        var author = new Author { Name = "Le Guin" };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Author>().InsertOrIgnore(author, on: a => a.Name);
            using var queries = premix.RecordQueries();
            await uow.CommitAsync();
            Assert.That(queries.Statements.Select(s => s.Operation), Is.EqualTo(new[] { Engine == Engine.MySql ? "InsertOrIgnoreMany" : "InsertOrIgnore" }), "MariaDB lists even one row");
        }

        Assert.That(author.Id, Is.Zero);
    }

    [Test]
    public async Task A_batch_with_the_same_entity_twice_or_a_tracked_one_is_refused_whole_and_the_next_commit_writes_none_of_it()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        var ada = new Subscriber { Email = "ada@example.org", Name = "Ada" };
        var grace = new Subscriber { Email = "grace@example.org", Name = "Grace" };
        var tracked = new Subscriber { Email = "tracked@example.org", Name = "Tracked" };
        await using (var uow = premix.BeginUnitOfWork())
        {
            var subscribers = uow.Repository<Subscriber>();
            subscribers.Add(tracked);
            Assert.Throws<InvalidOperationException>(() => subscribers.Upsert([ada, ada], on: m => m.Email));
            Assert.Throws<InvalidOperationException>(() => subscribers.InsertOrIgnore([grace, tracked], on: m => m.Email));
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Q("Email")} FROM {Q("subscribers")}"), Is.EqualTo("tracked@example.org"));
        Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(1));
    }

    [Test]
    public async Task Upsert_on_a_unique_index_of_an_entity_with_a_key_of_several_columns_is_refused_and_nothing_is_written()
    {
        var premix = await CreatePremixWithTablesAsync(new ShelfMap());
        await using (var uow = premix.BeginUnitOfWork())
        {
            var error = Assert.Throws<ArgumentException>(() => uow.Repository<Shelf>().Upsert(new Shelf { Aisle = 1, Row = 2, Label = "A1" }, on: s => s.Label));
            Assert.That(error!.Message, Does.Contain("Shelf").And.Contain("(Aisle, Row)").And.Contain("Upsert on the key"));
            uow.Repository<Shelf>().Upsert(new Shelf { Aisle = 1, Row = 2, Label = "A1" });
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Q("Label")} FROM {Q("shelves")} WHERE {Q("Aisle")} = 1 AND {Q("Row")} = 2"), Is.EqualTo("A1"));
    }

    [Test]
    public async Task Upsert_that_finds_a_soft_deleted_row_restores_it()
    {
        var premix = await CreatePremixWithTablesAsync(new LapsedMemberMap());
        await ExecuteAsync($"INSERT INTO {Q("members")} ({Q("Email")}, {Q("Name")}, {Q("DeletedAt")}) VALUES ('ada@example.org', 'Ada', '2020-01-01 00:00:00')");
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<LapsedMember>().Upsert(new LapsedMember { Email = "ada@example.org", Name = "Ada Lovelace" }, on: m => m.Email);
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("members")} WHERE {Q("DeletedAt")} IS NULL AND {Q("Name")} = 'Ada Lovelace'"), Is.EqualTo(1));
    }

    [Test]
    public async Task InsertOrIgnore_inserts_new_rows_and_leaves_existing_ones_as_they_are()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES ('ada@example.org', 'Ada')");
        var again = new Subscriber { Email = "ada@example.org", Name = "Someone else" };
        var grace = new Subscriber { Email = "grace@example.org", Name = "Grace" };
        IReadOnlyList<UpsertOutcome> outcomes;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Subscriber>().InsertOrIgnore([again, grace], on: m => m.Email);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(new bool?[] { false, true }));
            Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(2));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'ada@example.org'"), Is.EqualTo("Ada"));
            Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'grace@example.org'"), Is.EqualTo(grace.Id));
            Assert.That(again.Id, Is.Zero);
        }
    }

    [Test]
    public async Task InsertOrIgnore_runs_AfterInsert_hooks_only_for_the_rows_it_inserted()
    {
        var inserted = new List<string>();
        var premix = await CreatePremixWithTablesAsync(new HookedSubscriberMap(inserted));
        await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES ('ada@example.org', 'Ada')");
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Subscriber>().InsertOrIgnore([new Subscriber { Email = "ada@example.org", Name = "Again" }, new Subscriber { Email = "grace@example.org", Name = "Grace" }], on: m => m.Email);
            await uow.CommitAsync();
        }

        Assert.That(inserted, Is.EqualTo(new[] { "grace@example.org" }));
        Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(2));
    }

    [Test]
    public async Task InsertOrIgnore_by_a_client_assigned_key_tells_whether_it_inserted()
    {
        var premix = await CreatePremixWithTablesAsync(new PreferenceMap());
        await ExecuteAsync($"INSERT INTO {Q("preferences")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('theme', 'dark', 0)");
        IReadOnlyList<UpsertOutcome> outcomes;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Preference>().InsertOrIgnore([new Preference { Name = "theme", Value = "light" }, new Preference { Name = "font", Value = "serif" }]);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(new bool?[] { false, true }));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Value")} FROM {Q("preferences")} WHERE {Q("Name")} = 'theme'"), Is.EqualTo("dark"));
            Assert.That(await CountRowsAsync("preferences"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Concurrent_upserts_of_the_same_email_leave_one_row_and_raise_no_error()
    {
        const int Workers = 8, Rounds = 25;
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        var keys = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                var member = new Subscriber { Email = "same@example.org", Name = $"worker {w} round {i}" };
                await using var uow = premix.BeginUnitOfWork();
                uow.Repository<Subscriber>().Upsert(member, on: m => m.Email);
                await uow.CommitAsync();
                keys.Add(member.Id);
            }
        })));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(1));
            Assert.That(keys.Distinct(), Is.EqualTo(new[] { await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")}") }));
            Assert.That(keys, Has.Count.EqualTo(Workers * Rounds));
        }
    }

    [Test]
    public async Task A_run_of_upserts_is_one_round_trip_on_PostgreSQL_and_MariaDB_and_one_re_bound_command_on_SQLite_and_each_gets_its_rows_key()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES ('m3@example.org', 'old'), ('m7@example.org', 'old')");
        var members = Enumerable.Range(0, 10).Select(i => new Subscriber { Email = $"m{i}@example.org", Name = $"new {i}" }).ToArray();
        var ignored = new[] { new Subscriber { Email = "m3@example.org", Name = "ignored" }, new Subscriber { Email = "n1@example.org", Name = "inserted" } };
        using var queries = premix.RecordQueries();
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Subscriber>().Upsert(members, on: m => m.Email);
            uow.Repository<Subscriber>().InsertOrIgnore(ignored, on: m => m.Email);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(queries.RoundTrips, Is.EqualTo(Engine == Engine.Sqlite ? 12 : 2));
            Assert.That(queries.Statements.Select(s => s.Sql).Distinct().Count(), Is.EqualTo(2));
            if (Engine == Engine.MySql)
            {
                Assert.That(queries.Statements[0].Sql, Does.Contain("VALUES(`Name`)").And.Not.Contain("__new"), "MariaDB rejects the row alias");
            }

            foreach (var member in members)
            {
                Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")} WHERE {Q("Email")} = @email AND {Q("Name")} = @name", new { email = member.Email, name = member.Name }), Is.EqualTo(member.Id), member.Email);
            }

            Assert.That(ignored[0].Id, Is.Zero);
            Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'n1@example.org'"), Is.EqualTo(ignored[1].Id));
            Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(11));
        }
    }

    [Test]
    public async Task A_run_of_upserts_of_new_and_existing_rows_with_one_email_twice_writes_each_gives_each_its_rows_key_and_tells_what_it_did()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES ('ada@example.org', 'Ada'), ('alan@example.org', 'Alan')");
        var run = new[]
        {
            new Subscriber { Email = "grace@example.org", Name = "Grace" },
            new Subscriber { Email = "ada@example.org", Name = "Ada Lovelace" },
            new Subscriber { Email = "alan@example.org", Name = "Alan" }, // the values it already holds
            new Subscriber { Email = "grace@example.org", Name = "Grace Hopper" }, // listed twice: the later wins
            new Subscriber { Email = "edsger@example.org", Name = "Edsger" },
        };
        IReadOnlyList<UpsertOutcome> outcomes;
        using var queries = premix.RecordQueries();
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Subscriber>().Upsert(run, on: m => m.Email);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            // PostgreSQL cannot update a row twice in one statement: its run is split where grace repeats, one statement each.
            Assert.That(queries.RoundTrips, Is.EqualTo(Engine switch { Engine.Sqlite => 5, Engine.PostgreSql => 2, _ => 1 }));
            Assert.That(queries.Statements[0].Operation, Is.EqualTo(Engine == Engine.Sqlite ? "Upsert" : "UpsertMany"), "MariaDB lists the rows in one statement, PostgreSQL writes them from arrays");
            foreach (var member in run)
            {
                Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")} WHERE {Q("Email")} = @email", new { email = member.Email }), Is.EqualTo(member.Id), member.Email);
            }

            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'grace@example.org'"), Is.EqualTo("Grace Hopper"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'ada@example.org'"), Is.EqualTo("Ada Lovelace"));
            Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(4));
            // SQLite cannot tell without a version column; PostgreSQL (xmax) and MariaDB's many-row statement (LAST_INSERT_ID) can.
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(Engine == Engine.Sqlite ? new bool?[] { null, null, null, null, null } : new bool?[] { true, false, false, false, true }));
        }
    }

    [Test]
    public async Task Concurrent_runs_of_upserts_of_the_same_emails_leave_one_row_each_and_give_every_caller_its_key()
    {
        const int Workers = 8, Rounds = 10, Emails = 20;
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        var keys = new System.Collections.Concurrent.ConcurrentBag<(string Email, long Id)>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                var members = Enumerable.Range(0, Emails).Select(e => new Subscriber { Email = $"m{e}@example.org", Name = $"worker {w} round {i}" }).ToArray();
                await using var uow = premix.BeginUnitOfWork();
                uow.Repository<Subscriber>().Upsert(members, on: m => m.Email);
                await uow.CommitAsync();
                foreach (var member in members)
                {
                    keys.Add((member.Email, member.Id));
                }
            }
        })));

        HashSet<(string Email, long Id)> rows;
        await using (var connection = await OpenConnectionAsync())
        {
            rows = (await connection.QueryAsync<(string, long)>($"SELECT {Q("Email")}, {Q("Id")} FROM {Q("subscribers")}")).ToHashSet();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.EqualTo(Emails));
            Assert.That(keys.Distinct(), Is.EquivalentTo(rows));
            Assert.That(keys, Has.Count.EqualTo(Workers * Rounds * Emails));
        }
    }

    [Test]
    public async Task A_run_of_1200_upserts_half_existing_gives_each_row_its_key_and_outcome_in_one_statement_on_PostgreSQL()
    {
        const int Rows = 1200;
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        // The existing rows are every other email, inserted in reverse so their keys do not follow the run's order.
        foreach (var i in Enumerable.Range(0, Rows).Where(i => i % 2 == 1).Reverse())
        {
            await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES (@email, 'old')", new { email = $"m{i}@example.org" });
        }

        var run = Enumerable.Range(0, Rows).Select(i => new Subscriber { Email = $"m{i}@example.org", Name = $"new {i}" }).ToArray();
        IReadOnlyList<UpsertOutcome> outcomes;
        using var queries = premix.RecordQueries();
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Subscriber>().Upsert(run, on: m => m.Email);
            await uow.CommitAsync();
        }

        Dictionary<string, (long Id, string Name)> rows;
        await using (var connection = await OpenConnectionAsync())
        {
            rows = (await connection.QueryAsync<(string Email, long Id, string Name)>($"SELECT {Q("Email")}, {Q("Id")}, {Q("Name")} FROM {Q("subscribers")}")).ToDictionary(r => r.Email, r => (r.Id, r.Name));
        }

        using (Assert.EnterMultipleScope())
        {
            if (Engine == Engine.PostgreSql)
            {
                Assert.That(queries.Statements.Select(s => s.Operation), Is.EqualTo(new[] { "UpsertMany" }));
            }

            Assert.That(rows, Has.Count.EqualTo(Rows));
            Assert.That(run.Select(m => rows[m.Email]), Is.EqualTo(run.Select(m => (m.Id, m.Name))));
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(Enumerable.Range(0, Rows).Select(i => Engine == Engine.Sqlite ? null : (bool?)(i % 2 == 0))));
        }
    }

    [Test]
    public async Task A_run_that_upserts_one_key_twice_with_a_version_writes_both_in_order_as_a_statement_per_row_would()
    {
        var premix = await CreatePremixWithTablesAsync(new PreferenceMap());
        await ExecuteAsync($"INSERT INTO {Q("preferences")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('font', 'serif', 4)");
        var run = new[]
        {
            new Preference { Name = "theme", Value = "dark" }, // inserted with version 0
            new Preference { Name = "font", Value = "sans", Version = 4 },
            new Preference { Name = "theme", Value = "light" }, // version 0 is the row's now: an update to version 1
            new Preference { Name = "size", Value = "12" },
        };
        IReadOnlyList<UpsertOutcome> outcomes;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Preference>().Upsert(run);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(new bool?[] { true, false, false, true }));
            Assert.That(run.Select(p => p.Version), Is.EqualTo(new[] { 0, 5, 1, 0 }));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Value")} FROM {Q("preferences")} WHERE {Q("Name")} = 'theme'"), Is.EqualTo("light"));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("preferences")} WHERE {Q("Name")} = 'theme'"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("preferences")} WHERE {Q("Name")} = 'font'"), Is.EqualTo(5));
            Assert.That(await CountRowsAsync("preferences"), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task A_run_that_repeats_a_key_with_the_version_it_had_before_the_run_is_stale_and_rolls_back_the_whole_commit()
    {
        var premix = await CreatePremixWithTablesAsync(new PreferenceMap());
        await ExecuteAsync($"INSERT INTO {Q("preferences")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('font', 'serif', 4)");
        var run = new[]
        {
            new Preference { Name = "size", Value = "12" },
            new Preference { Name = "font", Value = "sans", Version = 4 }, // bumps the row to 5
            new Preference { Name = "font", Value = "mono", Version = 4 }, // stale by then
        };
        await using var uow = premix.BeginUnitOfWork();
        var outcomes = uow.Repository<Preference>().Upsert(run);

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("font"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Value")} FROM {Q("preferences")}"), Is.EqualTo("serif"));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("preferences")}"), Is.EqualTo(4));
            Assert.That(await CountRowsAsync("preferences"), Is.EqualTo(1));
            Assert.That(run.Select(p => p.Version), Is.EqualTo(new[] { 0, 4, 4 }));
            Assert.That(outcomes.Select(o => o.IsCommitted), Is.All.False);
        }
    }

    [Test]
    public async Task A_run_of_InsertOrIgnore_with_an_email_twice_inserts_the_first_and_ignores_the_second_as_a_statement_per_row_would()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES ('ada@example.org', 'Ada')");
        var run = new[]
        {
            new Subscriber { Email = "grace@example.org", Name = "Grace" },
            new Subscriber { Email = "ada@example.org", Name = "ignored" },
            new Subscriber { Email = "grace@example.org", Name = "Grace again" },
            new Subscriber { Email = "alan@example.org", Name = "Alan" },
        };
        IReadOnlyList<UpsertOutcome> outcomes;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Subscriber>().InsertOrIgnore(run, on: m => m.Email);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(new bool?[] { true, false, false, true }));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'grace@example.org'"), Is.EqualTo("Grace"));
            Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'grace@example.org'"), Is.EqualTo(run[0].Id));
            Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("subscribers")} WHERE {Q("Email")} = 'alan@example.org'"), Is.EqualTo(run[3].Id));
            Assert.That((run[1].Id, run[2].Id), Is.EqualTo((0L, 0L)));
            Assert.That(await CountRowsAsync("subscribers"), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Concurrent_runs_of_InsertOrIgnore_of_the_same_emails_insert_each_email_once_and_raise_no_error()
    {
        const int Workers = 8, Rounds = 10, Emails = 20;
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        var inserted = new System.Collections.Concurrent.ConcurrentBag<(string Email, long Id)>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                var members = Enumerable.Range(0, Emails).Select(e => new Subscriber { Email = $"m{e}@example.org", Name = $"worker {w} round {i}" }).ToArray();
                IReadOnlyList<UpsertOutcome> outcomes;
                await using (var uow = premix.BeginUnitOfWork())
                {
                    outcomes = uow.Repository<Subscriber>().InsertOrIgnore(members, on: m => m.Email);
                    await uow.CommitAsync();
                }

                for (var m = 0; m < Emails; m++)
                {
                    if (outcomes[m].Inserted == true)
                    {
                        inserted.Add((members[m].Email, members[m].Id));
                    }
                }
            }
        })));

        HashSet<(string Email, long Id)> rows;
        await using (var connection = await OpenConnectionAsync())
        {
            rows = (await connection.QueryAsync<(string, long)>($"SELECT {Q("Email")}, {Q("Id")} FROM {Q("subscribers")}")).ToHashSet();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.EqualTo(Emails));
            Assert.That(inserted, Is.EquivalentTo(rows), "each email reported inserted exactly once, with the key of its row");
        }
    }

    [Test]
    public async Task A_run_on_a_nullable_unique_index_inserts_each_row_with_a_NULL_there_and_updates_the_others()
    {
        var premix = await CreatePremixWithTablesAsync(new NotedSubscriberMap());
        await ExecuteAsync($"INSERT INTO {Q("noted_subscribers")} ({Q("Email")}, {Q("Name")}, {Q("Note")}) VALUES ('ada@example.org', 'Ada', 'first')");
        var run = new[]
        {
            new Subscriber { Email = "grace@example.org", Name = "Grace" },
            new Subscriber { Email = "ada2@example.org", Name = "Ada again", Note = "first" },
            new Subscriber { Email = "alan@example.org", Name = "Alan" },
            new Subscriber { Email = "edsger@example.org", Name = "Edsger", Note = "second" },
        };
        IReadOnlyList<UpsertOutcome> outcomes;
        await using (var uow = premix.BeginUnitOfWork())
        {
            outcomes = uow.Repository<Subscriber>().Upsert(run, on: s => s.Note);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await CountRowsAsync("noted_subscribers"), Is.EqualTo(4), "a NULL never conflicts");
            foreach (var member in run)
            {
                Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("noted_subscribers")} WHERE {Q("Email")} = @email", new { email = member.Email }), Is.EqualTo(member.Id), member.Email);
            }

            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("noted_subscribers")} WHERE {Q("Note")} = 'first'"), Is.EqualTo("Ada again"));
            Assert.That(outcomes.Select(o => o.Inserted), Is.EqualTo(Engine == Engine.Sqlite ? new bool?[] { null, null, null, null } : new bool?[] { true, false, true, true }));
        }
    }

    [Test]
    public async Task Upsert_without_a_conflict_target_of_an_entity_with_a_generated_key_is_refused_and_nothing_is_written()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await using var uow = premix.BeginUnitOfWork();
        var subscribers = uow.Repository<Subscriber>();

        var error = Assert.Throws<ArgumentException>(() => subscribers.Upsert(new Subscriber { Email = "ada@example.org", Name = "Ada" }));
        await uow.CommitAsync();

        Assert.That(error.Message, Does.Contain("Upsert of Subscriber needs a conflict target").And.Contain("ux_subscribers_Email (Email)"));
        Assert.That(await CountRowsAsync("subscribers"), Is.Zero);
    }

    [Test]
    public async Task Upsert_on_a_property_without_a_unique_index_is_refused_and_nothing_is_written()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await using var uow = premix.BeginUnitOfWork();
        var subscribers = uow.Repository<Subscriber>();

        var error = Assert.Throws<ArgumentException>(() => subscribers.Upsert([new Subscriber { Email = "ada@example.org", Name = "Ada" }], on: m => m.Name));
        await uow.CommitAsync();

        Assert.That(error.Message, Does.Contain("Subscriber has no key or unique index over exactly (Name)"));
        Assert.That(await CountRowsAsync("subscribers"), Is.Zero);
    }

    [Test]
    public async Task Upsert_on_an_unmapped_property_is_refused_and_nothing_is_written()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await using var uow = premix.BeginUnitOfWork();
        var subscribers = uow.Repository<Subscriber>();

        var error = Assert.Throws<ArgumentException>(() => subscribers.InsertOrIgnore(new Subscriber { Email = "ada@example.org", Name = "Ada" }, on: m => m.Note));
        await uow.CommitAsync();

        Assert.That(error.Message, Does.Contain("Subscriber.Note is not a mapped property"));
        Assert.That(await CountRowsAsync("subscribers"), Is.Zero);
    }

    [Test]
    public async Task An_upserted_entity_is_tracked_after_the_commit_and_later_changes_are_saved()
    {
        var premix = await CreatePremixWithTablesAsync(new SubscriberMap());
        await ExecuteAsync($"INSERT INTO {Q("subscribers")} ({Q("Email")}, {Q("Name")}) VALUES ('ada@example.org', 'Ada')");
        await using var uow = premix.BeginUnitOfWork();
        var ada = new Subscriber { Email = "ada@example.org", Name = "Ada L." };
        uow.Repository<Subscriber>().Upsert(ada, on: m => m.Email);
        await uow.CommitAsync();
        ada.Name = "Countess";
        await uow.CommitAsync();

        Assert.That(await uow.Repository<Subscriber>().GetAsync(ada.Id), Is.SameAs(ada));
        Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("subscribers")}"), Is.EqualTo("Countess"));
    }
}

/// <summary>A member found by a unique email, with a generated key.</summary>
public sealed class Subscriber
{
    public long Id { get; set; }

    public string Email { get; set; } = "";

    public string Name { get; set; } = "";

    public string? Note { get; set; }
}

/// <summary>A setting keyed by its name, which the application assigns, with a version column.</summary>
public sealed class Preference
{
    public string Name { get; set; } = "";

    public string Value { get; set; } = "";

    public int Version { get; set; }
}

public sealed class SubscriberMap : ModelConfiguration<Subscriber>
{
    public override void Configure(EntityBuilder<Subscriber> e)
    {
        e.ToTable("subscribers");
        e.Property(m => m.Email).HasMaxLength(100);
        e.Property(m => m.Name).HasMaxLength(100);
        e.HasIndex(m => m.Email).IsUnique();
        e.Ignore(m => m.Note);
    }
}

/// <summary>Subscribers whose nullable Note is unique as well.</summary>
public sealed class NotedSubscriberMap : ModelConfiguration<Subscriber>
{
    public override void Configure(EntityBuilder<Subscriber> e)
    {
        e.ToTable("noted_subscribers");
        e.Property(m => m.Email).HasMaxLength(100);
        e.Property(m => m.Name).HasMaxLength(100);
        e.Property(m => m.Note).HasMaxLength(100);
        e.HasIndex(m => m.Email).IsUnique();
        e.HasIndex(m => m.Note).IsUnique();
    }
}

public sealed class HookedSubscriberMap(List<string> inserted) : ModelConfiguration<Subscriber>
{
    public override void Configure(EntityBuilder<Subscriber> e)
    {
        new SubscriberMap().Configure(e);
        e.AfterInsert(s => inserted.Add(s.Email));
    }
}

public sealed class PreferenceMap : ModelConfiguration<Preference>
{
    public override void Configure(EntityBuilder<Preference> e)
    {
        e.ToTable("preferences");
        e.HasKey(s => s.Name);
        e.Property(s => s.Name).HasMaxLength(50);
        e.Property(s => s.Value).HasMaxLength(100);
        e.Version(s => s.Version);
    }
}

public sealed class UniquelyNamedAuthorMap : ModelConfiguration<Author>
{
    public override void Configure(EntityBuilder<Author> e)
    {
        e.ToTable("authors");
        e.Property(a => a.Name).HasMaxLength(100);
        e.HasIndex(a => a.Name).IsUnique();
        e.HasMany(a => a.Books).WithForeignKey(b => b.AuthorId);
    }
}

/// <summary>A country keyed by the code the application assigns, with a unique name and child cities.</summary>
public sealed class Country
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public List<City> Cities { get; set; } = [];
}

/// <summary>A city of a <see cref="Country"/>, with a generated key.</summary>
public sealed class City
{
    public long Id { get; set; }

    public string CountryCode { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class CountryMap : ModelConfiguration<Country>
{
    public override void Configure(EntityBuilder<Country> e)
    {
        e.ToTable("countries");
        e.HasKey(c => c.Code);
        e.Property(c => c.Code).HasMaxLength(2);
        e.Property(c => c.Name).HasMaxLength(50);
        e.HasIndex(c => c.Name).IsUnique();
        e.HasMany(c => c.Cities).WithForeignKey(c => c.CountryCode);
    }
}

public sealed class CityMap : ModelConfiguration<City>
{
    public override void Configure(EntityBuilder<City> e)
    {
        e.ToTable("cities");
        e.Property(c => c.CountryCode).HasMaxLength(2);
        e.Property(c => c.Name).HasMaxLength(50);
    }
}

/// <summary>A shelf keyed by its aisle and row (a key of several columns), with a unique label.</summary>
public sealed class Shelf
{
    public int Aisle { get; set; }

    public int Row { get; set; }

    public string Label { get; set; } = "";
}

public sealed class ShelfMap : ModelConfiguration<Shelf>
{
    public override void Configure(EntityBuilder<Shelf> e)
    {
        e.ToTable("shelves");
        e.HasKey(s => new { s.Aisle, s.Row });
        e.Property(s => s.Label).HasMaxLength(20);
        e.HasIndex(s => s.Label).IsUnique();
    }
}

/// <summary>A member with a unique email and a soft-delete marker (set when the membership lapsed).</summary>
public sealed class LapsedMember
{
    public long Id { get; set; }

    public string Email { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTime? DeletedAt { get; set; }
}

public sealed class LapsedMemberMap : ModelConfiguration<LapsedMember>
{
    public override void Configure(EntityBuilder<LapsedMember> e)
    {
        e.ToTable("members");
        e.Property(m => m.Email).HasMaxLength(100);
        e.Property(m => m.Name).HasMaxLength(100);
        e.HasIndex(m => m.Email).IsUnique();
        e.SoftDelete(m => m.DeletedAt);
    }
}
