using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>Each query operator: the SQL it becomes and the rows it returns, asserted against the same question in plain C#.</summary>
public sealed class QueryTests(Engine engine) : PremixTest(engine)
{
    private static readonly Product[] Seed =
    [
        new() { Name = "hammer", Price = 12.50m, Stock = 10, Category = Category.Tools },
        new() { Name = "saw", Price = 30m, Stock = null, Category = Category.Tools, Secret = "s3cret-saw" },
        new() { Name = "yo-yo", Price = 3.99m, Stock = 0, Category = Category.Toys, Discontinued = true },
        new() { Name = "kite", Price = 19.90m, Stock = 4, Category = Category.Toys },
        new() { Name = "100% cotton_shirt!", Price = 25m, Stock = 2, Category = Category.Books },
        new() { Name = "it's a \"book\" \\ ; --", Price = 9.95m, Stock = null, Category = Category.Books },
    ];

    private IPremix _premix = null!;
    private IUnitOfWork _uow = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ProductMap());
        await using (var seed = _premix.BeginUnitOfWork())
        {
            foreach (var product in Seed)
            {
                seed.Repository<Product>().Add(new Product { Name = product.Name, Price = product.Price, Stock = product.Stock, Category = product.Category, Discontinued = product.Discontinued, Secret = product.Secret });
            }

            await seed.CommitAsync();
        }

        _uow = _premix.BeginUnitOfWork();
    }

    [TearDown]
    public async Task DisposeAsync() => await _uow.DisposeAsync();

    private Query<Product> Products => _uow.Repository<Product>().Query();

    [Test]
    public async Task Comparisons_with_captured_values_become_parameters()
    {
        var min = 10m;
        var query = Products.Where(p => p.Price > min && p.Price <= 30m);

        var price = Engine == Engine.Sqlite ? $"CAST({Q("Price")} AS REAL)" : Q("Price"); // SQLite keeps decimals as exact text (docs/types.md)
        Assert.That(query.ToSql(), Does.EndWith($"WHERE ({price} > @p0 AND {price} <= @p1)"));
        await AssertSameAsync(query, Seed.Where(p => p.Price > min && p.Price <= 30m));
    }

    [Test]
    public async Task Values_computed_without_the_row_are_evaluated_into_parameters()
    {
        var min = 5m;
        var prefix = "sa";
        int? bonus = null;
        var query = Products.Where(p => p.Price > min * 2 && p.Name == prefix + "w" && p.Stock == (bonus ?? 3) - 3);

        Assert.That(query.ToSql(), Does.Contain("> @p0").And.Contain("= @p1").And.Not.Contain("10"));
        await AssertSameAsync(Products.Where(p => p.Price > min * 2 && p.Name != prefix + "w"), Seed.Where(p => p.Price > min * 2 && p.Name != "saw"));
        await AssertSameAsync(Products.Where(p => p.Stock == (bonus ?? 3) - 3), Seed.Where(p => p.Stock == 0));
    }

    [Test]
    public async Task Or_not_and_bool_members_translate_with_their_precedence()
    {
        await AssertSameAsync(Products.Where(p => !(p.Category == Category.Tools) && (p.Discontinued || p.Price < 10m)), Seed.Where(p => !(p.Category == Category.Tools) && (p.Discontinued || p.Price < 10m)));
        await AssertSameAsync(Products.Where(p => !p.Discontinued), Seed.Where(p => !p.Discontinued));
    }

    [Test]
    public async Task Null_checks_and_null_captured_values_become_IS_NULL()
    {
        int? none = null;
        var query = Products.Where(p => p.Stock == none);

        Assert.That(query.ToSql(), Does.EndWith($"WHERE {Q("Stock")} IS NULL"));
        await AssertSameAsync(query, Seed.Where(p => p.Stock == null));
        await AssertSameAsync(Products.Where(p => p.Stock != null && p.Stock.Value > 3), Seed.Where(p => p.Stock > 3));
        await AssertSameAsync(Products.Where(p => p.Stock.HasValue), Seed.Where(p => p.Stock.HasValue));
    }

    [Test]
    public async Task Contains_on_a_captured_list_becomes_IN_and_an_empty_list_matches_nothing()
    {
        var names = new List<string> { "saw", "kite", "absent" };

        await AssertSameAsync(Products.Where(p => names.Contains(p.Name)), Seed.Where(p => names.Contains(p.Name)));
        await AssertSameAsync(Products.Where(p => new[] { Category.Books, Category.Toys }.Contains(p.Category)), Seed.Where(p => p.Category is Category.Books or Category.Toys));
        await AssertSameAsync(Products.Where(p => Array.Empty<string>().Contains(p.Name)), []);
    }

    [Test]
    public async Task StartsWith_EndsWith_and_Contains_match_wildcards_and_quotes_literally()
    {
        Assert.That(Products.Where(p => p.Name.StartsWith("1")).ToSql(), Does.EndWith($"WHERE {Q("Name")} LIKE @p0 ESCAPE '!'"));
        foreach (var fragment in new[] { "%", "_", "!", "0% c", "'s a \"", "\\ ;", "--", "yo-" })
        {
            await AssertSameAsync(Products.Where(p => p.Name.Contains(fragment)), Seed.Where(p => p.Name.Contains(fragment, StringComparison.Ordinal)), fragment);
            await AssertSameAsync(Products.Where(p => p.Name.StartsWith(fragment)), Seed.Where(p => p.Name.StartsWith(fragment, StringComparison.Ordinal)), fragment);
            await AssertSameAsync(Products.Where(p => p.Name.EndsWith(fragment)), Seed.Where(p => p.Name.EndsWith(fragment, StringComparison.Ordinal)), fragment);
        }
    }

    [Test]
    public async Task Enums_stored_as_text_compare_by_name()
    {
        var category = Category.Toys;

        await AssertSameAsync(Products.Where(p => p.Category == category), Seed.Where(p => p.Category == Category.Toys));
        Assert.That(Products.Where(p => p.Category == category).ToSqlWithParameters().Split('\n').Last(), Is.EqualTo("-- @p0 = 'Toys'"));
    }

    [Test]
    public async Task Ordering_and_paging_return_the_requested_page()
    {
        var page = await Products.OrderBy(p => p.Category).ThenByDescending(p => p.Price).Skip(1).Take(3).ToListAsync();
        var skipped = await Products.OrderBy(p => p.Price).Skip(4).ToListAsync();

        var expected = Seed.OrderBy(p => p.Category.ToString(), StringComparer.Ordinal).ThenByDescending(p => p.Price).Skip(1).Take(3).Select(p => p.Name);
        Assert.That(page.Select(p => p.Name), Is.EqualTo(expected), "enums stored as text order by name");
        Assert.That(skipped.Select(p => p.Name), Is.EqualTo(Seed.OrderBy(p => p.Price).Skip(4).Select(p => p.Name)));
    }

    [Test]
    public async Task First_single_count_and_any_answer_like_their_LINQ_namesakes()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await Products.Where(p => p.Price > 20m).OrderBy(p => p.Price).FirstAsync()).Name, Is.EqualTo("100% cotton_shirt!"));
            Assert.That(await Products.Where(p => p.Price > 1000m).FirstOrDefaultAsync(), Is.Null);
            Assert.That((await Products.Where(p => p.Name == "kite").SingleAsync()).Price, Is.EqualTo(19.90m));
            Assert.That(await Products.Where(p => p.Category == Category.Tools).CountAsync(), Is.EqualTo(2));
            Assert.That(await Products.OrderBy(p => p.Id).Skip(2).Take(3).CountAsync(), Is.EqualTo(3));
            Assert.That(await Products.Where(p => p.Discontinued).AnyAsync(), Is.True);
            Assert.That(await Products.Where(p => p.Price < 0m).AnyAsync(), Is.False);
        }

        Assert.ThrowsAsync<InvalidOperationException>(() => Products.Where(p => p.Category == Category.Toys).SingleAsync());
        Assert.ThrowsAsync<InvalidOperationException>(() => Products.Where(p => p.Price > 1000m).FirstAsync());
    }

    // First and Single read one and two rows of the query's own shape, never more than its Take: whichever paging the
    // translation cache saw first, each call sends its own (the list all rows, a page its page, First its first row).
    [Test]
    public async Task First_single_and_the_same_query_listed_each_read_their_own_rows_whichever_ran_first()
    {
        var min = 5m;
        Query<Product> Cheap() => Products.Where(p => p.Price > min).OrderBy(p => p.Price);

        var first = await Cheap().FirstOrDefaultAsync();
        var all = await Cheap().ToListAsync();
        var page = await Cheap().Skip(1).Take(3).ToListAsync();
        var firstOfPage = await Cheap().Skip(1).Take(3).FirstAsync();
        var onlyOfPage = await Cheap().Skip(1).Take(1).SingleAsync();
        var names = await Cheap().Select(p => p.Name).ToListAsync();
        var firstName = await Cheap().Select(p => p.Name).FirstAsync();
        var noneTaken = await Cheap().Take(0).FirstOrDefaultAsync();

        var expected = Seed.Where(p => p.Price > min).OrderBy(p => p.Price).Select(p => p.Name).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first?.Name, Is.EqualTo(expected[0]));
            Assert.That(all.Select(p => p.Name), Is.EqualTo(expected));
            Assert.That(page.Select(p => p.Name), Is.EqualTo(expected.Skip(1).Take(3)));
            Assert.That(firstOfPage.Name, Is.EqualTo(expected[1]));
            Assert.That(onlyOfPage.Name, Is.EqualTo(expected[1]));
            Assert.That(names, Is.EqualTo(expected));
            Assert.That(firstName, Is.EqualTo(expected[0]));
            Assert.That(noneTaken, Is.Null, "Take(0) reads no row, First or not");
        }

        Assert.ThrowsAsync<InvalidOperationException>(() => Cheap().SingleAsync(), "more than one row");
    }

    [Test]
    public async Task Tracked_queries_share_instances_with_the_identity_map_and_untracked_ones_do_not()
    {
        var kite = await _uow.Repository<Product>().Query().Where(p => p.Name == "kite").SingleAsync();

        Assert.That(await Products.Where(p => p.Price == 19.90m).SingleAsync(), Is.SameAs(kite));
        Assert.That(await Products.AsNoTracking().Where(p => p.Price == 19.90m).SingleAsync(), Is.Not.SameAs(kite));
        Assert.That(await _uow.Repository<Product>().GetAsync(kite.Id), Is.SameAs(kite));
    }

    [Test]
    public async Task AsAsyncEnumerable_streams_every_row()
    {
        var names = new List<string>();
        await foreach (var product in Products.OrderBy(p => p.Name).AsAsyncEnumerable())
        {
            names.Add(product.Name);
        }

        Assert.That(names, Is.EquivalentTo(Seed.Select(p => p.Name)));
    }

    [Test]
    public void A_query_run_again_with_other_values_reuses_its_translation()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        string Sql(decimal min, string prefix) => Products.Where(p => p.Price > min && p.Name.StartsWith(prefix)).ToSql();

        var first = Sql(1m, "a");
        var entries = cache.Count;
        var second = Sql(99m, "zz");

        Assert.That(second, Is.EqualTo(first));
        Assert.That(cache.Count, Is.EqualTo(entries), "no new translation for the same shape");
    }

    [Test]
    public void An_expression_outside_the_subset_is_refused_pointing_to_Raw()
    {
        var error = Assert.Throws<NotSupportedException>(() => Products.Where(p => p.Name.ToUpperInvariant() == "SAW").ToSql());

        Assert.That(error!.Message, Does.Contain("ToUpperInvariant").And.Contain("Raw(...)").And.Contain("Nothing is evaluated in memory"));
    }

    [Test]
    public void Parameters_of_sensitive_columns_are_masked_when_shown()
    {
        var secret = "s3cret-saw";

        var shown = Products.Where(p => p.Secret == secret).ToSqlWithParameters();

        Assert.That(shown, Does.Contain("-- @p0 = ***").And.Not.Contain(secret));
    }

    [Test]
    public async Task DeleteAll_without_a_filter_is_refused_before_any_sql_and_changes_nothing()
    {
        var unfiltered = Assert.ThrowsAsync<DestructiveOperationException>(() => Products.DeleteAllAsync());
        var alwaysTrue = Assert.ThrowsAsync<DestructiveOperationException>(() => Products.Where(p => true).DeleteAllAsync());
        await _uow.CommitAsync();

        Assert.That(unfiltered!.Message, Does.Contain("Add a Where(...)").And.Contain(".AllowUnsafe()"));
        Assert.That(alwaysTrue, Is.Not.Null);
        Assert.That(await CountRowsAsync("products"), Is.EqualTo(Seed.Length));
    }

    [Test]
    public async Task DeleteAll_with_a_filter_deletes_in_the_unit_of_work_and_forgets_tracked_rows_it_removed()
    {
        var saw = await Products.Where(p => p.Name == "saw").SingleAsync();

        var deleted = await Products.Where(p => p.Category == Category.Tools).DeleteAllAsync();
        Assert.That(await CountRowsAsync("products"), Is.EqualTo(Seed.Length), "not committed yet");
        await _uow.CommitAsync();

        Assert.That(deleted, Is.EqualTo(2));
        Assert.That(await CountRowsAsync("products"), Is.EqualTo(Seed.Length - 2));
        Assert.That(await _uow.Repository<Product>().FindAsync(saw.Id), Is.Null, "the deleted row is no longer tracked");
        Assert.That(await Products.AllowUnsafe().DeleteAllAsync(), Is.EqualTo(Seed.Length - 2));
    }

    [Test]
    public async Task UpdateAll_sets_values_and_expressions_in_one_statement_and_refreshes_tracked_rows()
    {
        var kite = await Products.Where(p => p.Name == "kite").SingleAsync();

        var updated = await Products.Where(p => p.Category == Category.Toys)
            .UpdateAllAsync(s => s.Set(p => p.Discontinued, true).Set(p => p.Stock, p => p.Stock + 100));
        await _uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(updated, Is.EqualTo(2));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("products")} WHERE {Q("Discontinued")} = TRUE"), Is.EqualTo(2));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Stock")} FROM {Q("products")} WHERE {Q("Name")} = 'kite'"), Is.EqualTo(104));
            Assert.That((kite.Stock, kite.Discontinued), Is.EqualTo((104, true)), "the tracked instance shows the bulk change");
            Assert.That(_uow.HasPendingChanges, Is.False, "so the next commit does not write the old values back");
        }
    }

    [Test]
    public async Task UpdateAll_is_guarded_like_DeleteAll_and_refuses_to_run_over_unsaved_changes()
    {
        var unfiltered = Assert.ThrowsAsync<DestructiveOperationException>(() => Products.UpdateAllAsync(s => s.Set(p => p.Price, 0m)));
        var saw = await Products.Where(p => p.Name == "saw").SingleAsync();
        saw.Price = 1m;
        var conflicting = Assert.ThrowsAsync<InvalidOperationException>(() => Products.Where(p => p.Price > 0m).UpdateAllAsync(s => s.Set(p => p.Price, 2m)));
        await _uow.CommitAsync();
        var all = await Products.AllowUnsafe().UpdateAllAsync(s => s.Set(p => p.Stock, 7));
        await _uow.CommitAsync();

        Assert.That(unfiltered!.Message, Does.Contain("UpdateAllAsync on Product has no filter"));
        Assert.That(conflicting!.Message, Does.Contain("unsaved changes to Product"));
        Assert.That(all, Is.EqualTo(Seed.Length));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("products")} WHERE {Q("Stock")} = 7"), Is.EqualTo(Seed.Length));
    }

    [Test]
    public async Task A_captured_decimal_cast_to_int_truncates_as_CSharp_does()
    {
        var price = 2.7m;

        // (int)2.7m is 2 in C# (decimal's explicit operator truncates); Convert.ChangeType would give 3 and find nothing.
        await AssertSameAsync(Products.Where(p => p.Stock == (int)price), Seed.Where(p => p.Stock == (int)price));
    }

    [Test]
    public async Task Select_reads_only_the_used_columns_into_records_DTOs_and_single_values()
    {
        var cheap = Products.Where(p => p.Price < 20m).OrderBy(p => p.Name);

        var records = await cheap.Select(p => new PriceTag(p.Name, p.Price, p.Category)).ToListAsync();
        var dtos = await cheap.Select(p => new StockRow { Name = p.Name, Stock = p.Stock }).ToListAsync();
        var names = await cheap.Select(p => p.Name).ToListAsync();
        var firstStock = await Products.Where(p => p.Name == "saw").Select(p => p.Stock).FirstAsync();

        var expected = Seed.Where(p => p.Price < 20m).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cheap.Select(p => new PriceTag(p.Name, p.Price, p.Category)).ToSql(), Does.StartWith($"SELECT {Q("Name")}, {Q("Price")}, {Q("Category")} FROM"));
            Assert.That(records, Is.EquivalentTo(expected.Select(p => new PriceTag(p.Name, p.Price, p.Category))));
            Assert.That(dtos.Select(d => (d.Name, d.Stock)), Is.EquivalentTo(expected.Select(p => (p.Name, p.Stock))));
            Assert.That(names, Is.EquivalentTo(expected.Select(p => p.Name)));
            Assert.That(firstStock, Is.Null);
        }
    }

    [Test]
    public void Select_refuses_computed_values_and_points_to_Raw()
    {
        var suffix = "!";

        var computed = Assert.Throws<NotSupportedException>(() => Products.Select(p => p.Name + suffix).ToSql());

        Assert.That(computed!.Message, Does.Contain("may only build an object from mapped columns").And.Contain("Raw(...)"));
    }

    public sealed record PriceTag(string Name, decimal Price, Category Category);

    public sealed class StockRow
    {
        public string Name { get; set; } = "";

        public int? Stock { get; set; }
    }

    // A sequence that can be read only once (a generator over a queue or a stream): the query reads it once, so the SQL's
    // null test, its IN list and its parameters all see the same elements.
    [Test]
    public async Task Contains_on_a_one_pass_sequence_reads_it_once_and_matches_its_elements()
    {
        var stocks = new OnePass<int?>([0, null, 4]);
        var names = new OnePass<string>(["saw", "kite"]);

        var byStock = await Products.Where(p => stocks.Contains(p.Stock)).ToListAsync();
        var byName = await PremixQuery.Compile((Query<Product> q, IEnumerable<string> n) => q.Where(p => n.Contains(p.Name))).ToListAsync(_uow.Repository<Product>(), names);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byStock.Select(p => p.Name), Is.EquivalentTo(Seed.Where(p => p.Stock is 0 or null or 4).Select(p => p.Name)));
            Assert.That(byName.Select(p => p.Name), Is.EquivalentTo(new[] { "saw", "kite" }));
            Assert.That(stocks.Reads, Is.EqualTo(1));
            Assert.That(names.Reads, Is.EqualTo(1));
        }
    }

    private static async Task AssertSameAsync(Query<Product> query, IEnumerable<Product> expected, string? because = null) =>
        Assert.That((await query.ToListAsync()).Select(p => p.Name), Is.EquivalentTo(expected.Select(p => p.Name)), because ?? query.ToSql());

    private sealed class OnePass<T>(T[] items) : IEnumerable<T>
    {
        public int Reads { get; private set; }

        public IEnumerator<T> GetEnumerator() => ++Reads == 1 ? ((IEnumerable<T>)items).GetEnumerator() : throw new InvalidOperationException("This sequence can be read only once.");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
