using System.Globalization;
using Dapper;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Aot;

/// <summary>
/// The native AOT sample as its users run it: the published binary (no JIT, no runtime code generation) started against
/// the fixture's database on SQLite, PostgreSQL and MariaDB, the engines it ships generated models for, and driven over
/// HTTP. Tables are created by Premix in this (JIT) process from the sample's own mapping classes; every result is
/// checked with plain SQL.
/// </summary>
[TestFixtureSource(typeof(AotSampleTest), nameof(EnginesAndBuilds))]
public sealed class NativeAotAppTests(Engine engine, AotSampleBuild build) : AotSampleTest(engine, build)
{
    // The sample's COPY threshold here: a batch of this many new sales goes by COPY on PostgreSQL, a smaller one by unnest.
    private const int BulkInsertRows = 5;

    [OneTimeSetUp]
    public async Task StartTheBinaryAsync()
    {
        await RecreateSampleTablesAsync();
        await StartSampleAsync(
            $"--Shop:BulkInsertRows={BulkInsertRows}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Premix=Debug"); // every statement's SQL (CommandExecuted): which way PostgreSQL's writes went
        TestContext.Progress.WriteLine($"AOT sample ({Build}) on {Engine}: first answer {App.StartupTime.TotalMilliseconds:0} ms after process start ({App.ProbesTimedOut} probes timed out after 5 s before it).");
    }

    [Test]
    public async Task An_author_is_created_read_listed_updated_and_deleted_over_http_as_plain_sql_sees_it()
    {
        var created = await Client.PostAsJsonAsync("/authors", new { name = "Ada", email = "ada@example.com" }, Json);
        var id = await IdOfAsync(created);
        var namesAfterCreate = await ScalarAsync<string>($"SELECT {Q("name")} FROM {Q("authors")} WHERE {Q("id")} = {id}");
        var read = await Client.GetFromJsonAsync<JsonElement>($"/authors/{id}", Json);
        var listed = await Client.GetFromJsonAsync<JsonElement>("/authors", Json);
        var updated = await Client.PutAsJsonAsync($"/authors/{id}", new { name = "Ada Lovelace", email = "ada@example.org" }, Json);
        var nameAfterUpdate = await ScalarAsync<string>($"SELECT {Q("name")} FROM {Q("authors")} WHERE {Q("id")} = {id}");
        var emailAfterUpdate = await ScalarAsync<string>($"SELECT {Q("email")} FROM {Q("authors")} WHERE {Q("id")} = {id}");
        var deleted = await Client.DeleteAsync(new Uri($"/authors/{id}", UriKind.Relative));
        var missing = await Client.GetAsync(new Uri($"/authors/{id}", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), App.Output);
            Assert.That(namesAfterCreate, Is.EqualTo("Ada"));
            Assert.That(read.GetProperty("email").GetString(), Is.EqualTo("ada@example.com"));
            Assert.That(listed.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()), Does.Contain(id));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            Assert.That((nameAfterUpdate, emailAfterUpdate), Is.EqualTo(("Ada Lovelace", "ada@example.org")));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), App.Output);
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("id")} = {id}"), Is.Zero);
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    // Author.Address is a value object (Owns): a record made through its constructor, a string member that may be NULL and a
    // value-type member (read as int?, the type the generated model names for native AOT).
    [Test]
    public async Task An_author_s_address_value_object_is_written_into_its_columns_read_back_found_by_its_city_and_changed_by_member()
    {
        var city = "Ville" + Guid.NewGuid().ToString("N")[..8];
        var created = await Client.PostAsJsonAsync("/authors", new { name = "Mary", email = "mary@example.com", address = new { street = "1 Analytical Row", city, region = (string?)null, floor = 3 } }, Json);
        var id = await IdOfAsync(created);
        var afterCreate = await AddressOfAsync(id);
        var read = await Client.GetFromJsonAsync<JsonElement>($"/authors/{id}", Json);
        var found = await Client.GetAsync(new Uri($"/authors/in/{city}", UriKind.Relative));
        var updated = await Client.PutAsJsonAsync($"/authors/{id}", new { name = "Mary", email = "mary@example.com", address = new { street = "1 Analytical Row", city, region = "Wessex", floor = 4 } }, Json);
        var afterUpdate = await AddressOfAsync(id);
        var readAgain = await Client.GetFromJsonAsync<JsonElement>($"/authors/{id}", Json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterCreate, Is.EqualTo($"1 Analytical Row|{city}|NULL|3"), "the columns plain SQL reads after the create");
            var address = read.GetProperty("address");
            Assert.That((address.GetProperty("street").GetString(), address.GetProperty("city").GetString(), address.GetProperty("floor").GetInt32()), Is.EqualTo(("1 Analytical Row", city, 3)));
            Assert.That(address.GetProperty("region").ValueKind, Is.EqualTo(JsonValueKind.Null), "a NULL member reads back null");
            Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{await found.Content.ReadAsStringAsync()}{Environment.NewLine}{App.Output}");
            Assert.That((await found.Content.ReadFromJsonAsync<JsonElement>(Json)).EnumerateArray().Select(a => a.GetProperty("id").GetInt64()), Is.EqualTo(new[] { id }));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            Assert.That(afterUpdate, Is.EqualTo($"1 Analytical Row|{city}|Wessex|4"), "the columns plain SQL reads after the update");
            Assert.That((readAgain.GetProperty("address").GetProperty("region").GetString(), readAgain.GetProperty("address").GetProperty("floor").GetInt32()), Is.EqualTo(("Wessex", 4)));
        }
    }

    [Test]
    public async Task An_author_without_an_address_or_whose_address_is_removed_has_NULL_in_its_columns_and_reads_back_a_null_address()
    {
        var without = await IdOfAsync(await Client.PostAsJsonAsync("/authors", new { name = "Nobody", email = "nobody@example.com" }, Json));
        var with = await IdOfAsync(await Client.PostAsJsonAsync("/authors", new { name = "Moved", email = "moved@example.com", address = new { street = "2 Old Road", city = "Leeds", region = "Yorkshire", floor = 0 } }, Json));
        var removed = await Client.PutAsJsonAsync($"/authors/{with}", new { name = "Moved", email = "moved@example.com" }, Json);
        var bySql = await ScalarAsync<long>($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES ('Plain', 'plain@example.com') RETURNING {Q("id")}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            foreach (var id in new[] { without, with, bySql })
            {
                Assert.That(await AddressOfAsync(id), Is.EqualTo("NULL|NULL|NULL|NULL"), $"author {id}'s address columns");
                Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/authors/{id}", Json)).GetProperty("address").ValueKind, Is.EqualTo(JsonValueKind.Null), $"author {id}'s address");
            }
        }
    }

    [Test]
    public async Task A_book_is_created_listed_by_its_author_and_updated_with_its_version_raised()
    {
        var authorId = await IdOfAsync(await Client.PostAsJsonAsync("/authors", new { name = "Grace", email = "grace@example.com" }, Json));
        var created = await Client.PostAsJsonAsync("/books", new { authorId, title = "Compilers", price = 12.50m }, Json);
        var bookId = await IdOfAsync(created);
        var listed = await Client.GetFromJsonAsync<JsonElement>($"/books?authorId={authorId}", Json);
        var updated = await Client.PutAsJsonAsync($"/books/{bookId}", new { authorId, title = "Compilers, 2nd edition", price = 14.25m }, Json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(listed.EnumerateArray().Select(b => b.GetProperty("title").GetString()), Is.EqualTo(new[] { "Compilers" }));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            Assert.That(await ScalarAsync<string>($"SELECT {Q("title")} FROM {Q("books")} WHERE {Q("id")} = {bookId}"), Is.EqualTo("Compilers, 2nd edition"));
            Assert.That(Convert.ToDecimal(await ScalarAsync<object>($"SELECT {Q("price")} FROM {Q("books")} WHERE {Q("id")} = {bookId}"), CultureInfo.InvariantCulture), Is.EqualTo(14.25m));
            Assert.That(await ScalarAsync<long>($"SELECT {Q("version")} FROM {Q("books")} WHERE {Q("id")} = {bookId}"), Is.EqualTo(1), "the insert wrote version 0, the update 1");
        }
    }

    [Test]
    public async Task A_book_is_read_by_key_and_deleted_under_its_version_and_then_no_longer_found_nor_deleted_again()
    {
        var authorId = await ScalarAsync<long>($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES ('Barbara', 'barbara@example.com') RETURNING {Q("id")}");
        var bookId = await ScalarAsync<long>(
            $"INSERT INTO {Q("books")} ({Q("author_id")}, {Q("title")}, {Q("price")}, {Q("version")}) VALUES (@authorId, 'Abstraction', 9.75, 3) RETURNING {Q("id")}", new { authorId });
        var read = await Client.GetFromJsonAsync<JsonElement>($"/books/{bookId}", Json);
        var deleted = await Client.DeleteAsync(new Uri($"/books/{bookId}", UriKind.Relative));
        var readAgain = await Client.GetAsync(new Uri($"/books/{bookId}", UriKind.Relative));
        var deletedAgain = await Client.DeleteAsync(new Uri($"/books/{bookId}", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.GetProperty("title").GetString(), Is.EqualTo("Abstraction"));
            Assert.That(read.GetProperty("version").GetInt32(), Is.EqualTo(3));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), App.Output);
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("books")} WHERE {Q("id")} = {bookId}"), Is.Zero);
            Assert.That(readAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), App.Output);
            Assert.That(deletedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), App.Output);
        }
    }

    [Test]
    public async Task The_raw_report_maps_its_rows_onto_a_class_through_the_row_reader_the_application_registered()
    {
        var name = "Report" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES (@name, 'r@example.com')", new { name });
        var authorId = await ScalarAsync<long>($"SELECT {Q("id")} FROM {Q("authors")} WHERE {Q("name")} = @name", new { name });
        await ExecuteAsync($"INSERT INTO {Q("books")} ({Q("author_id")}, {Q("title")}, {Q("price")}, {Q("version")}) VALUES (@authorId, 'One', 1, 1), (@authorId, 'Two', 2, 1)", new { authorId });

        var report = await Client.GetAsync(new Uri("/report", UriKind.Relative));
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
        var rows = (await report.Content.ReadFromJsonAsync<JsonElement>(Json)).EnumerateArray().ToList();

        Assert.That(rows.Where(r => r.GetProperty("author").GetString() == name).Select(r => r.GetProperty("books").GetInt64()), Is.EqualTo(new[] { 2L }));
    }

    [Test]
    public async Task A_raw_list_of_single_values_needs_no_row_reader_and_binds_its_interpolated_hole_as_a_parameter()
    {
        var name = "Ids" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES (@name, 'a@example.com'), (@name, 'b@example.com'), ('other', 'c@example.com')", new { name });
        List<long> expected;
        await using (var connection = await OpenConnectionAsync())
        {
            expected = [.. await connection.QueryAsync<long>($"SELECT {Q("id")} FROM {Q("authors")} WHERE {Q("name")} = @name ORDER BY {Q("id")}", new { name })];
        }

        var answer = await Client.GetAsync(new Uri($"/report/author-ids?name={name}", UriKind.Relative));
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
        var ids = (await answer.Content.ReadFromJsonAsync<JsonElement>(Json)).EnumerateArray().Select(id => id.GetInt64());

        Assert.That(ids, Is.EqualTo(expected));
    }

    [Test]
    public async Task Fetching_a_class_without_a_row_reader_is_refused_naming_the_type_and_AddRowReader()
    {
        var answer = await Client.GetAsync(new Uri("/report/unregistered", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented), App.Output);
            Assert.That(await answer.Content.ReadAsStringAsync(), Does.Contain("FetchAs<AuthorContact> has no row reader").And.Contain("AddRowReader<AuthorContact>"));
        }
    }

    [Test]
    public async Task The_health_checks_report_the_database_live_and_ready_but_degraded_by_the_pending_embedded_migration()
    {
        var live = await Client.GetAsync(new Uri("/health/live", UriKind.Relative));
        var ready = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            Assert.That(await live.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Degraded"), "this fixture never applies the sample's migration");
        }
    }

    [Test]
    public async Task A_read_only_statement_without_read_replicas_is_answered_by_the_fixture_s_own_server()
    {
        var server = await Client.GetStringAsync(new Uri("/report/server", UriKind.Relative));

        Assert.That(server, Is.EqualTo(Engine == Engine.Sqlite ? "sqlite" : await ScalarAsync<string>(NativeAotReplicaTests.ServerSql(Engine))), App.Output);
    }

    [Test]
    public async Task A_batch_of_sales_is_inserted_in_one_commit_with_its_enum_as_text_its_converted_amount_a_missing_rating_a_time_and_a_decimal_and_on_PostgreSQL_from_arrays()
    {
        var bookId = await NewBookIdAsync();
        var mark = App.Output.Length;

        var answer = await Client.PostAsJsonAsync("/sales", new object[]
        {
            new { bookId, quantity = 1, amountCents = 1250L, rating = (int?)null, soldAt = "2026-12-06T10:30:15.25", unitPrice = 12.5m },
            new { bookId, quantity = 2, amountCents = 2500L, rating = (int?)4, soldAt = "2026-12-07T23:59:59", unitPrice = 0.99m },
        }, Json);

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
        var ids = await IdsOfAsync(answer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await SalesOfAsync(bookId), Is.EqualTo(new[] { $"{ids[0]} 1 Placed 1250 - 2026-12-06T10:30:15.250 12.50", $"{ids[1]} 2 Placed 2500 4 2026-12-07T23:59:59.000 0.99" }));
            if (Engine == Engine.PostgreSql)
            {
                Assert.That(await App.OutputSinceAsync(mark, "unnest"), Does.Contain("INSERT INTO \"sales\"").And.Contain("unnest("), "two rows, under the COPY threshold: one INSERT from arrays");
            }
        }
    }

    [Test]
    public async Task A_batch_of_sales_at_the_bulk_threshold_gets_every_key_back_with_its_time_and_decimal_and_on_PostgreSQL_goes_by_COPY()
    {
        var bookId = await NewBookIdAsync();
        var mark = App.Output.Length;

        var answer = await Client.PostAsJsonAsync("/sales", Enumerable.Range(1, BulkInsertRows).Select(i => new { bookId, quantity = i, amountCents = 100L * i, rating = i % 2 == 0 ? (int?)i : null, soldAt = new DateTime(2026, 12, i, 8, i, 30, 125), unitPrice = 1.05m * i }).ToArray(), Json);

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
        var ids = await IdsOfAsync(answer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                await SalesOfAsync(bookId),
                Is.EqualTo(Enumerable.Range(1, BulkInsertRows).Select(i => string.Create(CultureInfo.InvariantCulture, $"{ids[i - 1]} {i} Placed {100 * i} {(i % 2 == 0 ? i.ToString(CultureInfo.InvariantCulture) : "-")} 2026-12-{i:00}T08:{i:00}:30.125 {1.05m * i:0.00}"))),
                "each key the response gave is the key of the row holding that sale's values");
            if (Engine == Engine.PostgreSql)
            {
                Assert.That(await App.OutputSinceAsync(mark, "COPY"), Does.Contain("COPY \"sales\""), "as many new rows as the threshold: COPY");
            }
        }
    }

    [Test]
    public async Task Shipping_sales_named_by_a_captured_list_updates_them_in_one_commit_and_on_PostgreSQL_compares_and_updates_through_arrays()
    {
        var bookId = await NewBookIdAsync();
        var insert = $"INSERT INTO {Q("sales")} ({Q("book_id")}, {Q("quantity")}, {Q("status")}, {Q("amount")}, {Q("rating")}, {Q("sold_at")}, {Q("unit_price")}, {Q("tags")}) "
            + $"VALUES (@bookId, @quantity, 'Placed', @amount, @rating, {SoldAtLiteral}, 2.5, '')";
        // Both selected rows change the same columns (the rating too): only updates of the same columns share one statement.
        foreach (var (quantity, amount, rating) in new (int, long, int?)[] { (1, 1000, null), (2, 2000, null), (3, 3000, null) })
        {
            await ExecuteAsync(insert, new { bookId, quantity, amount, rating });
        }

        var keys = (await SalesOfAsync(bookId)).Select(row => long.Parse(row.Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        var mark = App.Output.Length;

        var answer = await Client.PostAsJsonAsync("/sales/shipped", new[] { keys[0], keys[1] }, Json);

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await IdsOfAsync(answer), Is.EqualTo(new[] { keys[0], keys[1] }));
            Assert.That(await SalesOfAsync(bookId), Is.EqualTo(new[]
            {
                $"{keys[0]} 1 Shipped 1100 5 2026-01-02T03:04:05.000 2.50", $"{keys[1]} 2 Shipped 2100 5 2026-01-02T03:04:05.000 2.50", $"{keys[2]} 3 Placed 3000 - 2026-01-02T03:04:05.000 2.50",
            }));
            if (Engine == Engine.PostgreSql)
            {
                var statements = await App.OutputSinceAsync(mark, "UPDATE");
                Assert.That(statements, Does.Contain("= ANY(").And.Contain("UPDATE \"sales\"").And.Contain("unnest("), "the list as one array parameter; two rows updated by one UPDATE from arrays");
            }
        }
    }

    [Test]
    public async Task A_set_of_labels_compared_whole_through_its_converter_finds_the_sales_labelled_so_as_plain_sql_selects()
    {
        var bookId = await NewBookIdAsync();
        foreach (var tags in new[] { "gift,signed", "gift", "gift,signed", "signed" })
        {
            await InsertSaleAsync(bookId, tags: tags);
        }

        await AssertSalesFoundAsync($"/sales/labelled?bookId={bookId}&tags=gift&tags=signed", bookId, $"{Q("tags")} = 'gift,signed'", 2);
    }

    // 64 values before the list: the list is still read once (the app's sequence throws when read again), and under AOT copied
    // before the query looks whether it holds a null (the nullable rating) and binds it.
    [Test]
    public async Task A_sequence_readable_once_searched_by_contains_after_64_other_values_is_read_once_and_finds_the_sales_plain_sql_selects()
    {
        var bookId = await NewBookIdAsync();
        foreach (var rating in new int?[] { 1, 4, null, 4, 2 })
        {
            await InsertSaleAsync(bookId, rating: rating);
        }

        await AssertSalesFoundAsync($"/sales/rated?bookId={bookId}&ratings=4&ratings=2", bookId, $"{Q("rating")} IN (4, 2)", 3);
    }

    [Test]
    public async Task Tagging_a_book_s_sales_assigns_the_set_of_labels_whole_through_its_converter_in_one_statement_and_leaves_other_books_alone()
    {
        var bookId = await NewBookIdAsync();
        var otherBook = await NewBookIdAsync();
        foreach (var book in new[] { bookId, bookId, otherBook })
        {
            await InsertSaleAsync(book, tags: "old");
        }

        var answer = await Client.PostAsJsonAsync($"/sales/tagged?bookId={bookId}", new[] { "signed", "gift" }, Json);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{await answer.Content.ReadAsStringAsync()}{Environment.NewLine}{App.Output}");
            Assert.That(await answer.Content.ReadAsStringAsync(), Is.EqualTo("2"));
            Assert.That(await TagsOfAsync(bookId), Is.EqualTo(new[] { "gift,signed", "gift,signed" }));
            Assert.That(await TagsOfAsync(otherBook), Is.EqualTo(new[] { "old" }));
        }
    }

    // SaleLine is keyed by (SaleId, Line): another line of the sale and the same number in another sale are left alone.
    [Test]
    public async Task A_sale_line_with_a_composite_key_is_created_read_by_its_tuple_key_updated_and_deleted_as_plain_sql_sees_it()
    {
        var saleId = NewSaleId();
        await InsertLinesAsync((saleId, 1), (saleId + 1, 2));

        var created = await Client.PostAsJsonAsync("/lines", new { saleId, line = 2, item = "Atlas", quantity = 1 }, Json);
        var afterCreate = await LinesOfAsync(saleId, saleId + 1);
        var read = await Client.GetAsync(new Uri($"/lines/{saleId}/2", UriKind.Relative));
        var updated = await Client.PutAsJsonAsync($"/lines/{saleId}/2", new { saleId, line = 2, item = "Atlas, signed", quantity = 3 }, Json);
        var afterUpdate = await LinesOfAsync(saleId, saleId + 1);
        var deleted = await Client.DeleteAsync(new Uri($"/lines/{saleId}/2", UriKind.Relative));
        var afterDelete = await LinesOfAsync(saleId, saleId + 1);
        var missing = await Client.GetAsync(new Uri($"/lines/{saleId}/2", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), App.Output);
            Assert.That(afterCreate, Is.EqualTo(new[] { $"{saleId} 1 Line 1", $"{saleId} 2 Atlas 1", $"{saleId + 1} 2 Line 1" }));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            var line = await read.Content.ReadFromJsonAsync<JsonElement>(Json);
            Assert.That((line.GetProperty("saleId").GetInt64(), line.GetProperty("line").GetInt32(), line.GetProperty("item").GetString()), Is.EqualTo((saleId, 2, "Atlas")));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), App.Output);
            Assert.That(afterUpdate, Is.EqualTo(new[] { $"{saleId} 1 Line 1", $"{saleId} 2 Atlas, signed 3", $"{saleId + 1} 2 Line 1" }));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), App.Output);
            Assert.That(afterDelete, Is.EqualTo(new[] { $"{saleId} 1 Line 1", $"{saleId + 1} 2 Line 1" }));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), App.Output);
        }
    }

    // docs/aot.md: an object's properties are not kept under native AOT, so a composite key passed as one is refused naming the switch and the tuple.
    [Test]
    public async Task Reading_a_sale_line_by_an_anonymous_key_object_is_refused_naming_the_switch_and_the_value_tuple_to_pass()
    {
        var saleId = NewSaleId();
        await InsertLinesAsync((saleId, 1));

        var answer = await Client.GetAsync(new Uri($"/lines/{saleId}/1/by-object", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented), App.Output);
            Assert.That(await answer.Content.ReadAsStringAsync(), Does.StartWith("SaleLine has a composite key (SaleId: Int64, Line: Int32), passed as a ")
                .And.Contain("cannot be read with dynamic code off (RuntimeFeature.IsDynamicCodeSupported is false")
                .And.EndWith("Fix: Pass a value tuple of the key's types in HasKey order (SaleId: Int64, Line: Int32)."));
        }
    }

    // The notes name their line by both parts of its key: the include numbers the lines by boxed composite keys (the generated
    // model writes typed keys only for a single value-type key), and line 1 of another sale keeps its own note.
    [Test]
    public async Task Include_loads_each_sale_line_s_notes_through_both_parts_of_its_key_as_plain_sql_lists_them()
    {
        var saleId = NewSaleId();
        await InsertLinesAsync((saleId, 1), (saleId, 2), (saleId, 3), (saleId + 1, 1));
        foreach (var (sale, line, text) in new[] { (saleId, 1, "wrapped"), (saleId + 1, 1, "another sale's"), (saleId, 2, "signed"), (saleId, 1, "gift") })
        {
            await ExecuteAsync($"INSERT INTO {Q("line_notes")} ({Q("sale_id")}, {Q("line")}, {Q("text")}) VALUES (@sale, @line, @text)", new { sale, line, text });
        }

        List<string> expected;
        await using (var connection = await OpenConnectionAsync())
        {
            var notes = (await connection.QueryAsync($"SELECT {Q("line")} AS line, {Q("text")} AS text FROM {Q("line_notes")} WHERE {Q("sale_id")} = @saleId ORDER BY {Q("id")}", new { saleId }))
                .Cast<IDictionary<string, object?>>().Select(n => (Line: Convert.ToInt64(n["line"], CultureInfo.InvariantCulture), Text: (string)n["text"]!)).ToList();
            expected = [.. new[] { 1L, 2L, 3L }.Select(line => $"{line}: {string.Join(", ", notes.Where(n => n.Line == line).Select(n => n.Text))}")];
        }

        var answer = await Client.GetAsync(new Uri($"/lines/with-notes?saleId={saleId}", UriKind.Relative));

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{await answer.Content.ReadAsStringAsync()}{Environment.NewLine}{App.Output}");
        var lines = (await answer.Content.ReadFromJsonAsync<JsonElement>(Json)).EnumerateArray()
            .Select(l => $"{l.GetProperty("line").GetInt32()}: {string.Join(", ", l.GetProperty("notes").EnumerateArray().OrderBy(n => n.GetProperty("id").GetInt64()).Select(n => n.GetProperty("text").GetString()))}");
        Assert.That(lines, Is.EqualTo(expected).And.EqualTo(new[] { "1: wrapped, gift", "2: signed", "3: " }));
    }

    // A sale key no other test uses (sale lines name a sale by its key only; there is no sales row).
    private static long NewSaleId() => Random.Shared.NextInt64(1, long.MaxValue / 4) * 2;

    // Sale lines by plain SQL: item "Line", one copy.
    private async Task InsertLinesAsync(params (long SaleId, int Line)[] lines)
    {
        foreach (var (saleId, line) in lines)
        {
            await ExecuteAsync($"INSERT INTO {Q("sale_lines")} ({Q("sale_id")}, {Q("line")}, {Q("item")}, {Q("quantity")}) VALUES (@saleId, @line, 'Line', 1)", new { saleId, line });
        }
    }

    // The lines of the sales as plain SQL reads them, by key: "saleId line item quantity".
    private async Task<List<string>> LinesOfAsync(long first, long second)
    {
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync(
            $"SELECT {Q("sale_id")} AS sale_id, {Q("line")} AS line, {Q("item")} AS item, {Q("quantity")} AS quantity FROM {Q("sale_lines")} WHERE {Q("sale_id")} IN (@first, @second) ORDER BY {Q("sale_id")}, {Q("line")}",
            new { first, second });
        return [.. rows.Cast<IDictionary<string, object?>>().Select(r => string.Create(CultureInfo.InvariantCulture, $"{Convert.ToInt64(r["sale_id"], CultureInfo.InvariantCulture)} {Convert.ToInt64(r["line"], CultureInfo.InvariantCulture)} {r["item"]} {Convert.ToInt64(r["quantity"], CultureInfo.InvariantCulture)}"))];
    }

    // A sale of the book by plain SQL: one copy for 100 cents at SoldAtLiteral, with the rating and tags given.
    private Task InsertSaleAsync(long bookId, int? rating = null, string tags = "") => ExecuteAsync(
        $"INSERT INTO {Q("sales")} ({Q("book_id")}, {Q("quantity")}, {Q("status")}, {Q("amount")}, {Q("rating")}, {Q("sold_at")}, {Q("unit_price")}, {Q("tags")}) "
            + $"VALUES (@bookId, 1, 'Placed', 100, @rating, {SoldAtLiteral}, 1, @tags)",
        new { bookId, rating, tags });

    // The sales path answers the keys of the book's sales plain SQL selects with condition, count of them.
    private async Task AssertSalesFoundAsync(string path, long bookId, string condition, int count)
    {
        var expected = await IdsAsync($"SELECT {Q("id")} FROM {Q("sales")} WHERE {Q("book_id")} = @bookId AND {condition} ORDER BY {Q("id")}", new { bookId });

        var answer = await Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{await answer.Content.ReadAsStringAsync()}{Environment.NewLine}{App.Output}");
        Assert.That(await IdsOfAsync(answer), Is.EqualTo(expected).And.Count.EqualTo(count));
    }

    // A new book of a new author, by plain SQL: the sales of each test are told apart by it.
    private async Task<long> NewBookIdAsync()
    {
        var authorId = await ScalarAsync<long>($"INSERT INTO {Q("authors")} ({Q("name")}, {Q("email")}) VALUES ('Seller', 'seller@example.com') RETURNING {Q("id")}");
        return await ScalarAsync<long>($"INSERT INTO {Q("books")} ({Q("author_id")}, {Q("title")}, {Q("price")}, {Q("version")}) VALUES (@authorId, 'Sold', 1, 0) RETURNING {Q("id")}", new { authorId });
    }

    // The sales of the book as plain SQL reads them, by key: "id quantity status amount rating soldAt unitPrice" ("-" for a
    // NULL rating; SQLite's text time parsed, its decimal as Premix stores it converted).
    private async Task<List<string>> SalesOfAsync(long bookId)
    {
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync(
            $"SELECT {Q("id")} AS id, {Q("quantity")} AS quantity, {Q("status")} AS status, {Q("amount")} AS amount, {Q("rating")} AS rating, {Q("sold_at")} AS sold_at, {Q("unit_price")} AS unit_price "
                + $"FROM {Q("sales")} WHERE {Q("book_id")} = @bookId ORDER BY {Q("id")}",
            new { bookId });
        return [.. rows.Cast<IDictionary<string, object?>>().Select(Described)];

        static string Described(IDictionary<string, object?> row) => string.Create(
            CultureInfo.InvariantCulture,
            $"{Number(row["id"])} {Number(row["quantity"])} {row["status"]} {Number(row["amount"])} {(row["rating"] is { } rating ? Number(rating).ToString(CultureInfo.InvariantCulture) : "-")} "
                + $"{Time(row["sold_at"]):yyyy-MM-ddTHH:mm:ss.fff} {Convert.ToDecimal(row["unit_price"], CultureInfo.InvariantCulture):0.00}");

        static long Number(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

        static DateTime Time(object? value) => value as DateTime? ?? DateTime.Parse((string)value!, CultureInfo.InvariantCulture);
    }

    // The tags column of each sale of the book, by key, its labels ordered.
    private async Task<List<string>> TagsOfAsync(long bookId)
    {
        await using var connection = await OpenConnectionAsync();
        var tags = await connection.QueryAsync<string>($"SELECT {Q("tags")} FROM {Q("sales")} WHERE {Q("book_id")} = @bookId ORDER BY {Q("id")}", new { bookId });
        return [.. tags.Select(t => string.Join(",", t.Split(',').Order(StringComparer.Ordinal)))];
    }

    // A sale's time in plain SQL: a literal each engine reads as 2026-01-02 03:04:05 (SQLite keeps it as the text Premix writes).
    private string SoldAtLiteral => Engine == Engine.Sqlite ? "'2026-01-02T03:04:05.0000000'" : "'2026-01-02 03:04:05'";

    // The author's address columns as plain SQL reads them: "street|city|region|floor", NULL for a NULL column.
    private async Task<string> AddressOfAsync(long id)
    {
        await using var connection = await OpenConnectionAsync();
        var row = (IDictionary<string, object?>)await connection.QuerySingleAsync(
            $"SELECT {Q("address_street")} AS street, {Q("address_city")} AS city, {Q("address_region")} AS region, {Q("address_floor")} AS floor FROM {Q("authors")} WHERE {Q("id")} = @id",
            new { id });
        return string.Join('|', new[] { "street", "city", "region", "floor" }.Select(column => row[column] switch
        {
            null => "NULL",
            string text => text,
            var number => Convert.ToInt64(number, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        }));
    }

    private static async Task<List<long>> IdsOfAsync(HttpResponseMessage response) =>
        [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).EnumerateArray().Select(id => id.GetInt64())];

    private static async Task<long> IdOfAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetInt64();
    }
}
