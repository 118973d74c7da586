using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Migrations;

/// <summary>The schema sync against each engine: round trips, every kind of change with the data kept, and refusals that change nothing.</summary>
public sealed class SyncTests(Engine engine) : PremixTest(engine)
{
    [SetUp]
    public async Task DropTablesAsync()
    {
        await using var connection = await OpenConnectionAsync();
        foreach (var table in new[] { "sync_reviews", "sync_books", "sync_authors", "sync_unmapped" })
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
        }
    }

    [Test]
    public async Task A_synced_model_reads_back_as_the_same_schema()
    {
        var premix = CreatePremix(p => p.AddModelConfiguration(new TypeSampleMap()).AddModelConfiguration(new AuthorV2Map()).AddModelConfiguration(new BookV2Map()).AddModelConfiguration(new ReviewV2Map()));
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(premix.Model.Get(typeof(TypeSample)).Table)}");
        }

        var applied = await premix.SyncAsync();
        var after = await premix.DiffAsync();

        Assert.That(applied.Operations.OfType<CreateTable>().Count(), Is.EqualTo(4));
        Assert.That(after.IsEmpty, Is.True, $"introspected schema differs from the mapping:{Environment.NewLine}{after}");
    }

    [Test]
    public async Task DiffAsync_scripts_the_changes_without_applying_them()
    {
        var premix = CreatePremix(p => p.AddModelConfiguration(new AuthorV1Map()));

        var diff = await premix.DiffAsync();

        Assert.That(diff.ToSql(), Does.Contain("CREATE TABLE " + Q("sync_authors")).And.Contain("CREATE INDEX " + Q("ix_sync_authors_Name")));
        Assert.That(await TableExistsAsync("sync_authors"), Is.False);
    }

    [Test]
    public async Task Every_kind_of_change_is_applied_and_the_rows_are_kept()
    {
        await SyncV1WithRowsAsync();
        var v2 = CreatePremix(p => p.AddModelConfiguration(new AuthorV2Map()).AddModelConfiguration(new BookV2Map()).AddModelConfiguration(new ReviewV2Map()));

        // An index the mapping no longer names is dropped only when asked: by default it is left alone as unmapped.
        var applied = await v2.SyncAsync(new SyncOptions { AllowDestructive = true, DropUnmappedIndexes = true });
        var after = await v2.DiffAsync();

        var changes = applied.ToString();
        using (Assert.EnterMultipleScope())
        {
            // SQLite stores text without a length, so widening Name changes nothing there (docs/migrations.md).
            foreach (var expected in new[]
            {
                "create table sync_reviews", "add column sync_authors.Country", "drop column sync_authors.Bio", Engine == Engine.Sqlite ? "" : "alter column sync_authors.Name",
                "drop index ix_sync_authors_Name", "create unique index ux_sync_authors_Name_Country", "add column sync_books.Isbn",
                "drop foreign key", "add foreign key sync_books (AuthorId) -> sync_authors (Id) on delete Cascade",
            })
            {
                Assert.That(changes, Does.Contain(expected));
            }

            Assert.That(after.IsEmpty, Is.True, $"introspected schema differs from the mapping:{Environment.NewLine}{after}");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("sync_authors")} WHERE {Q("Id")} = 1"), Is.EqualTo("Ada"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Country")} FROM {Q("sync_authors")} WHERE {Q("Id")} = 2"), Is.EqualTo("unknown"), "a new required column takes its default");
            Assert.That(await CountRowsAsync("sync_books"), Is.EqualTo(3));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Title")} FROM {Q("sync_books")} WHERE {Q("Id")} = 3"), Is.EqualTo("Notes"));
        }

        await ExecuteAsync($"DELETE FROM {Q("sync_authors")} WHERE {Q("Id")} = 1");
        Assert.That(await CountRowsAsync("sync_books"), Is.EqualTo(1), "the re-created foreign key cascades");
        await ExecuteAsync($"INSERT INTO {Q("sync_authors")} ({Q("Name")}, {Q("Country")}) VALUES ('{new string('x', 50)}', 'fr')");
        Assert.That(await CountRowsAsync("sync_authors"), Is.EqualTo(2), "the widened column takes 50 characters");
    }

    [Test]
    public async Task A_destructive_change_is_refused_with_what_and_why_and_nothing_changes()
    {
        var v1 = await SyncV1WithRowsAsync();
        var v2 = CreatePremix(p => p.AddModelConfiguration(new AuthorV2Map()).AddModelConfiguration(new BookV2Map()).AddModelConfiguration(new ReviewV2Map()));

        var error = Assert.ThrowsAsync<DestructiveSchemaChangeException>(() => v2.SyncAsync());

        Assert.That(error!.Message, Does.Contain("drop column sync_authors.Bio").And.Contain("column sync_authors.Bio is not mapped; dropping it deletes its values").And.Contain("AllowDestructive"));
        Assert.That((await v1.DiffAsync()).IsEmpty, Is.True, "the schema is still V1");
        Assert.That(await TableExistsAsync("sync_reviews"), Is.False, "not even the safe changes were applied");
        Assert.That(await ScalarAsync<string>($"SELECT {Q("Bio")} FROM {Q("sync_authors")} WHERE {Q("Id")} = 1"), Is.EqualTo("poet"));
    }

    [Test]
    public async Task Making_a_column_required_while_rows_hold_null_is_refused()
    {
        await SyncV1WithRowsAsync();
        var required = CreatePremix(p => p.AddModelConfiguration(new AuthorBioRequiredMap()).AddModelConfiguration(new BookV1Map()));

        var error = Assert.ThrowsAsync<DestructiveSchemaChangeException>(() => required.SyncAsync());

        Assert.That(error!.Message, Does.Contain("1 row(s) of sync_authors hold NULL in Bio"));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("sync_authors")} WHERE {Q("Bio")} IS NULL"), Is.EqualTo(1));
    }

    [Test]
    public async Task Narrowing_a_column_is_refused_and_on_SQLite_which_keeps_no_text_length_is_no_change()
    {
        await SyncV1WithRowsAsync();
        var narrowed = CreatePremix(p => p.AddModelConfiguration(new AuthorNameNarrowedMap()).AddModelConfiguration(new BookV1Map()));
        if (Engine == Engine.Sqlite)
        {
            Assert.That((await narrowed.DiffAsync()).IsEmpty, Is.True, "SQLite keeps no text length: there is nothing to narrow");
        }
        else
        {
            var error = Assert.ThrowsAsync<DestructiveSchemaChangeException>(() => narrowed.SyncAsync());

            Assert.That(error!.Message, Does.Contain("alter column sync_authors.Name").And.Contain("can lose or reject existing values"));
        }
    }

    [Test]
    public async Task Unmapped_tables_are_left_alone_unless_dropping_them_is_asked_for()
    {
        await ExecuteAsync($"CREATE TABLE {Q("sync_unmapped")} ({Q("Id")} INT NOT NULL PRIMARY KEY)");
        var premix = CreatePremix(p => p.AddModelConfiguration(new AuthorV1Map()));

        await premix.SyncAsync();
        Assert.That(await TableExistsAsync("sync_unmapped"), Is.True);

        var refused = Assert.ThrowsAsync<DestructiveSchemaChangeException>(() => premix.SyncAsync(new SyncOptions { DropUnmappedTables = true }));
        Assert.That(refused!.Message, Does.Contain("drop table sync_unmapped"));

        await premix.SyncAsync(new SyncOptions { DropUnmappedTables = true, AllowDestructive = true });
        Assert.That(await TableExistsAsync("sync_unmapped"), Is.False);
        Assert.That(await TableExistsAsync("sync_authors"), Is.True);
    }

    [Test]
    public async Task The_startup_check_fails_the_start_listing_every_difference()
    {
        await SyncV1WithRowsAsync();

        var error = Assert.Throws<SchemaMismatchException>(() => CreatePremix(p => p.AddModelConfiguration(new AuthorV2Map()).AddModelConfiguration(new BookV2Map()).VerifySchemaAtStartup()));
        var matching = CreatePremix(p => p.AddModelConfiguration(new AuthorV1Map()).AddModelConfiguration(new BookV1Map()).VerifySchemaAtStartup());

        Assert.That(error!.Message, Does.Contain("does not match the mapping").And.Contain("add column sync_authors.Country").And.Contain("add column sync_books.Isbn"));
        Assert.That(matching.Model.Entities, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task An_index_the_mapping_does_not_name_is_reported_as_unmapped_and_left_alone_unless_dropping_it_is_asked_for()
    {
        var v1 = await SyncV1WithRowsAsync();
        await ExecuteAsync($"CREATE INDEX {Q("ix_by_hand")} ON {Q("sync_authors")} ({Q("Bio")})");

        var diff = await v1.DiffAsync();
        await v1.VerifySchemaAsync();
        var synced = await v1.SyncAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.Operations, Is.Empty, "an unmapped index is no difference");
            Assert.That(diff.UnmappedIndexes.Select(i => i.Description), Is.EqualTo(new[] { "index ix_by_hand on sync_authors (Bio) is not in the mapping; left alone" }));
            Assert.That(synced.Operations, Is.Empty);
            Assert.That(await IndexNamesAsync("sync_authors"), Does.Contain("ix_by_hand"));
        }

        var dropped = await v1.SyncAsync(new SyncOptions { DropUnmappedIndexes = true });

        Assert.That(dropped.ToString(), Is.EqualTo("drop index ix_by_hand on sync_authors"));
        Assert.That(await IndexNamesAsync("sync_authors"), Does.Not.Contain("ix_by_hand"));
    }

    [Test]
    public async Task Altering_a_column_keeps_the_indexes_and_unique_constraints_the_mapping_does_not_name()
    {
        // A table written by hand, with a UNIQUE constraint and an index of its own; making Bio required alters the
        // column (a table rebuild on SQLite, which must re-create what the old table had).
        var (key, name, bio) = Engine switch
        {
            Engine.PostgreSql => ("bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "varchar(20)", "varchar(100)"),
            Engine.MySql => ("bigint AUTO_INCREMENT PRIMARY KEY", "varchar(20)", "varchar(100)"),
            _ => ("INTEGER PRIMARY KEY", "TEXT", "TEXT"),
        };
        await ExecuteAsync($"CREATE TABLE {Q("sync_authors")} ({Q("Id")} {key}, {Q("Name")} {name} NOT NULL, {Q("Bio")} {bio} NULL, UNIQUE ({Q("Name")}, {Q("Bio")}))");
        await ExecuteAsync($"CREATE INDEX {Q("ix_sync_authors_Name")} ON {Q("sync_authors")} ({Q("Name")})");
        await ExecuteAsync($"CREATE INDEX {Q("ix_by_hand")} ON {Q("sync_authors")} ({Q("Bio")})");
        await ExecuteAsync($"INSERT INTO {Q("sync_authors")} ({Q("Id")}, {Q("Name")}, {Q("Bio")}) VALUES (1, 'Ada', 'poet')");
        var required = CreatePremix(p => p.AddModelConfiguration(new AuthorBioRequiredMap()));

        var applied = await required.SyncAsync();

        var duplicate = $"INSERT INTO {Q("sync_authors")} ({Q("Id")}, {Q("Name")}, {Q("Bio")}) VALUES (2, 'Ada', 'poet')";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied.ToString(), Does.Contain("alter column sync_authors.Bio").Or.Contain("rebuild table sync_authors"));
            Assert.That(await IndexNamesAsync("sync_authors"), Does.Contain("ix_by_hand").And.Contain("ix_sync_authors_Name"));
            Assert.That(async () => await ExecuteAsync(duplicate), Throws.InstanceOf<System.Data.Common.DbException>(), "the unique constraint still holds");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Bio")} FROM {Q("sync_authors")} WHERE {Q("Id")} = 1"), Is.EqualTo("poet"));
            Assert.That((await required.DiffAsync()).Operations, Is.Empty);
        }
    }

    private async Task<IPremix> SyncV1WithRowsAsync()
    {
        var v1 = CreatePremix(p => p.AddModelConfiguration(new AuthorV1Map()).AddModelConfiguration(new BookV1Map()));
        await v1.SyncAsync();
        await ExecuteAsync($"INSERT INTO {Q("sync_authors")} ({Q("Id")}, {Q("Name")}, {Q("Bio")}) VALUES (1, 'Ada', 'poet'), (2, 'Grace', NULL)");
        await ExecuteAsync($"INSERT INTO {Q("sync_books")} ({Q("Id")}, {Q("AuthorId")}, {Q("Title")}, {Q("Pages")}) VALUES (1, 1, 'Engines', 10), (2, 1, 'Poems', 20), (3, 2, 'Notes', 30)");
        return v1;
    }

    private async Task<List<string>> IndexNamesAsync(string table)
    {
        var sql = Engine switch
        {
            Engine.PostgreSql => "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table",
            Engine.MySql => "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table",
            _ => "SELECT name FROM pragma_index_list(@table)",
        };
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<string>(sql, new { table })).ToList();
    }

    private async Task<bool> TableExistsAsync(string table)
    {
        var premix = CreatePremix(p => p.AllowEmptyModel());
        using var execution = SchemaExecution.Begin(premix);
        await using var connection = premix.Provider.CreateConnection();
        await connection.OpenAsync();
        var schema = await premix.Provider.SchemaSupport()!.Schema.ReadAsync(connection, [], CancellationToken.None);
        return schema.Find(null, table) is not null;
    }
}
