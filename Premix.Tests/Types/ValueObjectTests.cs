using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Value objects stored in their owner's table (<see cref="PurchaseMap"/>, snake_case) on every engine: one column per
/// member, written and read (a record through its constructor, a class through its setters), an optional one null when its
/// columns are, changes tracked by value, queried and ordered by member, and created by the schema sync (docs/mapping.md, "Value objects").
/// </summary>
public sealed class ValueObjectTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    private string Table => Q(PurchaseMap.Table);

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new PurchaseMap()));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Members_are_stored_in_prefixed_columns_and_read_back_through_a_records_constructor_and_a_classs_setters()
    {
        var purchase = await AddAsync(New("Ada", 12.3456m, "EUR", new PostalAddress { Street = "Main 1", City = "Oslo", Floor = 3 }));
        await ExecuteAsync($"INSERT INTO {Table} ({Q("name")}, {Q("total_amount")}, {Q("total_currency")}) VALUES ('Bob', 7, 'USD')");

        var row = await SingleRowAsync<(decimal Amount, string Currency, string Street, string City, int Floor)>(
            $"SELECT {Q("total_amount")}, {Q("total_currency")}, {Q("shipping_street")}, {Q("shipping_city")}, {Q("shipping_floor")} FROM {Table} WHERE {Q("id")} = {purchase.Id}");
        await using var uow = _premix.BeginUnitOfWork();
        var loaded = await uow.Repository<Purchase>().Query().OrderBy(p => p.Name).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row, Is.EqualTo((12.3456m, "EUR", "Main 1", "Oslo", 3)));
            Assert.That(loaded[0].Total, Is.EqualTo(new Money(12.3456m, "EUR")), "HasPrecision(18, 4) on the member keeps four places");
            Assert.That((loaded[0].Shipping!.Street, loaded[0].Shipping!.City, loaded[0].Shipping!.Floor), Is.EqualTo(("Main 1", "Oslo", (int?)3)));
            Assert.That(loaded[1].Total, Is.EqualTo(new Money(7m, "USD")));
            Assert.That(loaded[1].Shipping, Is.Null, "an optional value object whose columns are all NULL is null");
        }
    }

    [Test]
    public async Task An_equal_value_object_writes_nothing_and_a_member_changed_in_place_or_a_new_object_is_written()
    {
        var purchase = await AddAsync(New("Ada", 10m, "EUR", new PostalAddress { Street = "Main 1", City = "Oslo" }));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Purchase>().GetAsync(purchase.Id);
            loaded.Total = new Money(10m, "EUR"); // another instance, equal members
            await ExecuteAsync($"UPDATE {Table} SET {Q("total_currency")} = 'XXX' WHERE {Q("id")} = {purchase.Id}");
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Q("total_currency")} FROM {Table}"), Is.EqualTo("XXX"), "an equal value object is no change");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Purchase>().GetAsync(purchase.Id);
            loaded.Shipping!.City = "Bergen"; // changed in place
            loaded.Total = loaded.Total with { Amount = 11.5m };
            await uow.CommitAsync();
        }

        var row = await SingleRowAsync<(decimal Amount, string Currency, string City)>($"SELECT {Q("total_amount")}, {Q("total_currency")}, {Q("shipping_city")} FROM {Table}");
        Assert.That(row, Is.EqualTo((11.5m, "XXX", "Bergen")), "only the changed members are written");
    }

    [Test]
    public async Task A_commit_mixing_inserts_updates_and_deletes_writes_every_member_and_clears_a_removed_value_object()
    {
        var first = await AddAsync(New("Ada", 1m, "EUR", new PostalAddress { Street = "Main 1", City = "Oslo" }));
        var second = await AddAsync(New("Bob", 2m, "EUR", null));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var purchases = uow.Repository<Purchase>();
            var ada = await purchases.GetAsync(first.Id);
            ada.Shipping = null;
            purchases.Remove(await purchases.GetAsync(second.Id));
            for (var i = 0; i < 3; i++)
            {
                purchases.Add(New("N" + i, 10m + i, "NOK", new PostalAddress { Street = "Side " + i }));
            }

            await uow.CommitAsync();
        }

        var rows = (await QueryAsync<(string Name, decimal Amount, string Currency, string? Street, string? City)>(
            $"SELECT {Q("name")}, {Q("total_amount")}, {Q("total_currency")}, {Q("shipping_street")}, {Q("shipping_city")} FROM {Table} ORDER BY {Q("name")}")).ToList();
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("Ada", 1m, "EUR", (string?)null, (string?)null),
            ("N0", 10m, "NOK", "Side 0", null),
            ("N1", 11m, "NOK", "Side 1", null),
            ("N2", 12m, "NOK", "Side 2", null),
        }));
    }

    [Test]
    public async Task Where_and_OrderBy_on_members_translate_to_their_columns()
    {
        await AddAsync(New("Ada", 30m, "EUR", new PostalAddress { Street = "Main 1", City = "Oslo" }));
        await AddAsync(New("Bob", 20m, "USD", null));
        await AddAsync(New("Cy", 10m, "EUR", new PostalAddress { Street = "Side 2" }));
        var currency = "EUR";

        await using var uow = _premix.BeginUnitOfWork();
        var purchases = uow.Repository<Purchase>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Names(purchases.Query().Where(p => p.Total.Currency == currency).OrderBy(p => p.Total.Amount)), Is.EqualTo(new[] { "Cy", "Ada" }));
            Assert.That(await Names(purchases.Query().Where(p => p.Total.Amount > 15m).OrderByDescending(p => p.Total.Amount)), Is.EqualTo(new[] { "Ada", "Bob" }));
            Assert.That(await Names(purchases.Query().Where(p => p.Shipping!.City == "Oslo")), Is.EqualTo(new[] { "Ada" }));
            Assert.That(await Names(purchases.Query().Where(p => p.Shipping!.Street.StartsWith("Side"))), Is.EqualTo(new[] { "Cy" }));
            Assert.That(purchases.Query().Where(p => p.Total.Amount == 20m).ToSql(), Does.Contain(Q("total_amount")));
        }
    }

    [Test]
    public async Task Select_of_a_whole_value_object_or_one_member_builds_it_from_its_columns()
    {
        await AddAsync(New("Ada", 30m, "EUR", new PostalAddress { Street = "Main 1", City = "Oslo", Floor = 2 }));
        await AddAsync(New("Bob", 20m, "USD", null));

        await using var uow = _premix.BeginUnitOfWork();
        var query = uow.Repository<Purchase>().Query().OrderBy(p => p.Name);
        var totals = await query.Select(p => p.Total).ToListAsync();
        var rows = await query.Select(p => new { p.Name, p.Shipping, p.Total.Currency }).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(totals, Is.EqualTo(new[] { new Money(30m, "EUR"), new Money(20m, "USD") }), "a record through its constructor");
            Assert.That(rows.Select(r => (r.Name, r.Shipping?.Street, r.Shipping?.City, r.Shipping?.Floor, r.Currency)), Is.EqualTo(new[] { ("Ada", "Main 1", "Oslo", (int?)2, "EUR"), ("Bob", null, null, null, "USD") }), "a class through its setters; an optional one null from NULL columns");
            Assert.That(query.Select(p => p.Total).ToSql(), Does.Contain(Q("total_amount")).And.Contain(Q("total_currency")));
        }
    }

    [Test]
    public async Task Schema_sync_creates_one_column_per_member_and_a_diff_after_it_is_empty()
    {
        var diff = await _premix.DiffAsync();
        var columns = Engine == Engine.Sqlite
            ? await QueryAsync<(string Name, long NotNull)>($"SELECT name, \"notnull\" FROM pragma_table_info('{PurchaseMap.Table}') ORDER BY name")
            : (await QueryAsync<(string Name, string Nullable)>($"SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = '{PurchaseMap.Table}' AND table_schema = {(Engine == Engine.MySql ? "DATABASE()" : "current_schema()")} ORDER BY column_name"))
                .Select(c => (c.Name, c.Nullable == "NO" ? 1L : 0L)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(columns, Is.EqualTo(new[]
            {
                ("id", 1L), ("name", 1L), ("shipping_city", 0L), ("shipping_floor", 0L), ("shipping_street", 0L), ("total_amount", 1L), ("total_currency", 1L),
            }), "an optional value object's columns allow NULL, a required one's follow their members");
            Assert.That(diff.IsEmpty, Is.True, $"the schema Premix created differs from its mapping:{Environment.NewLine}{diff}");
        }
    }

    private static Purchase New(string name, decimal amount, string currency, PostalAddress? shipping) =>
        new() { Name = name, Total = new Money(amount, currency), Shipping = shipping };

    private async Task<Purchase> AddAsync(Purchase purchase)
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Purchase>().Add(purchase);
        await uow.CommitAsync();
        return purchase;
    }

    private static async Task<string[]> Names(Query<Purchase> query) => (await query.ToListAsync()).Select(p => p.Name).ToArray();

    private async Task<T> SingleRowAsync<T>(string sql) => (await QueryAsync<T>(sql)).Single();

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
