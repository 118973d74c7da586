using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Value objects inside value objects (<see cref="TenantMap"/>, snake_case) on every engine: the nested one's members in
/// columns prefixed by both properties, read back through setters and constructors, null when its columns are NULL as a
/// top-level optional one is, changes tracked by member value, queried, ordered and projected by nested member, and created
/// by the schema sync (docs/mapping.md, "Value objects").
/// </summary>
public sealed class NestedValueObjectTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    private string Table => Q(TenantMap.Table);

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new TenantMap()));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Nested_members_are_stored_in_columns_prefixed_by_both_properties_and_read_back_null_when_their_columns_are()
    {
        var ada = await AddAsync(New("Ada", "Main 1", new Coordinates(59.913868m, 10.75m), new Workplace("HQ", new Coordinates(60.5m, 5.25m))));
        await ExecuteAsync($"INSERT INTO {Table} ({Q("name")}, {Q("home_street")}) VALUES ('Bob', 'Side 2')");

        var row = await SingleRowAsync<(string Street, decimal Lat, decimal Lng, string Office, decimal OfficeLat, decimal OfficeLng)>(
            $"SELECT {Q("home_street")}, {Q("home_geo_lat")}, {Q("home_geo_lng")}, {Q("office_name")}, {Q("office_geo_lat")}, {Q("office_geo_lng")} FROM {Table} WHERE {Q("id")} = {ada.Id}");
        await using var uow = _premix.BeginUnitOfWork();
        var loaded = await uow.Repository<Tenant>().Query().OrderBy(r => r.Name).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row, Is.EqualTo(("Main 1", 59.913868m, 10.75m, "HQ", 60.5m, 5.25m)), "HasPrecision(9, 6) on the nested member keeps six places");
            Assert.That((loaded[0].Home.Street, loaded[0].Home.Geo), Is.EqualTo(("Main 1", new Coordinates(59.913868m, 10.75m))), "a class's nested record set through its setter");
            Assert.That(loaded[0].Office, Is.EqualTo(new Workplace("HQ", new Coordinates(60.5m, 5.25m))), "a record's nested record passed to its constructor");
            Assert.That((loaded[1].Home.Street, loaded[1].Home.Geo), Is.EqualTo(("Side 2", (Coordinates?)null)), "an optional nested value object whose columns are all NULL is null");
            Assert.That(loaded[1].Office, Is.Null, "an optional value object whose columns, its nested one's included, are all NULL is null");
        }
    }

    [Test]
    public async Task Changing_only_a_nested_member_writes_its_column_and_an_equal_nested_object_writes_nothing()
    {
        var ada = await AddAsync(New("Ada", "Main 1", new Coordinates(1m, 2m), new Workplace("HQ", new Coordinates(3m, 4m))));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Tenant>().GetAsync(ada.Id);
            loaded.Home.Geo = new Coordinates(1m, 2m); // another instance, equal members
            loaded.Office = new Workplace("HQ", new Coordinates(3m, 4m));
            await ExecuteAsync($"UPDATE {Table} SET {Q("home_geo_lng")} = 20, {Q("office_geo_lat")} = 30 WHERE {Q("id")} = {ada.Id}");
            await uow.CommitAsync();
        }

        var unchanged = await SingleRowAsync<(decimal Lng, decimal OfficeLat)>($"SELECT {Q("home_geo_lng")}, {Q("office_geo_lat")} FROM {Table}");
        Assert.That(unchanged, Is.EqualTo((20m, 30m)), "equal nested objects are no change");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Tenant>().GetAsync(ada.Id);
            loaded.Home.Geo = loaded.Home.Geo! with { Lat = 1.5m }; // a new nested object inside the same outer one
            loaded.Office = loaded.Office! with { Geo = loaded.Office.Geo with { Lng = 4.5m } }; // new outer and nested objects
            await ExecuteAsync($"UPDATE {Table} SET {Q("home_street")} = 'Elsewhere', {Q("home_geo_lng")} = 21, {Q("office_name")} = 'Moved', {Q("office_geo_lat")} = 31 WHERE {Q("id")} = {ada.Id}");
            await uow.CommitAsync();
        }

        var row = await SingleRowAsync<(string Street, decimal Lat, decimal Lng, string Office, decimal OfficeLat, decimal OfficeLng)>(
            $"SELECT {Q("home_street")}, {Q("home_geo_lat")}, {Q("home_geo_lng")}, {Q("office_name")}, {Q("office_geo_lat")}, {Q("office_geo_lng")} FROM {Table}");
        Assert.That(row, Is.EqualTo(("Elsewhere", 1.5m, 21m, "Moved", 31m, 4.5m)), "only the changed nested members are written");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Tenant>().GetAsync(ada.Id);
            loaded.Home.Geo = null;
            loaded.Home.Entrance = new Entrance { Code = "1234" };
            await uow.CommitAsync();
        }

        var cleared = await SingleRowAsync<(string Street, decimal? Lat, decimal? Lng, string Code)>($"SELECT {Q("home_street")}, {Q("home_geo_lat")}, {Q("home_geo_lng")}, {Q("home_entrance_code")} FROM {Table}");
        Assert.That(cleared, Is.EqualTo(("Elsewhere", (decimal?)null, (decimal?)null, "1234")), "a nested object set to null clears its columns only, a new one writes its own");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Tenant>().GetAsync(ada.Id);
            loaded.Home.Entrance!.Code = "9999"; // changed in place, two levels down
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Q("home_entrance_code")} FROM {Table}"), Is.EqualTo("9999"), "the snapshot holds a copy of the nested object, so an in-place change is seen");
    }

    [Test]
    public async Task A_commit_mixing_inserts_updates_and_deletes_writes_every_nested_member()
    {
        var first = await AddAsync(New("Ada", "Main 1", new Coordinates(1m, 1m), new Workplace("HQ", new Coordinates(2m, 2m))));
        var second = await AddAsync(New("Bob", "Side 2", null, null));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var tenants = uow.Repository<Tenant>();
            var ada = await tenants.GetAsync(first.Id);
            ada.Office = null;
            ada.Home.Street = "Main 2"; // changed in place
            tenants.Remove(await tenants.GetAsync(second.Id));
            for (var i = 0; i < 3; i++)
            {
                tenants.Add(New("N" + i, "Row " + i, i == 1 ? null : new Coordinates(i, -i), i == 2 ? null : new Workplace("S" + i, new Coordinates(10m + i, 20m + i))));
            }

            await uow.CommitAsync();
        }

        var rows = await QueryAsync<(string Name, string Street, decimal? Lat, decimal? Lng, string? Office, decimal? OfficeLat, decimal? OfficeLng)>(
            $"SELECT {Q("name")}, {Q("home_street")}, {Q("home_geo_lat")}, {Q("home_geo_lng")}, {Q("office_name")}, {Q("office_geo_lat")}, {Q("office_geo_lng")} FROM {Table} ORDER BY {Q("name")}");
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("Ada", "Main 2", (decimal?)1m, (decimal?)1m, (string?)null, (decimal?)null, (decimal?)null),
            ("N0", "Row 0", 0m, 0m, "S0", 10m, 20m),
            ("N1", "Row 1", null, null, "S1", 11m, 21m),
            ("N2", "Row 2", 2m, -2m, null, null, null),
        }));
    }

    [Test]
    public async Task Where_and_OrderBy_on_nested_members_translate_to_their_columns()
    {
        await AddAsync(New("Ada", "Main 1", new Coordinates(3m, 1m), new Workplace("HQ", new Coordinates(5m, 9m))));
        await AddAsync(New("Bob", "Side 2", null, new Workplace("Annex", new Coordinates(6m, 8m))));
        await AddAsync(New("Cy", "Side 3", new Coordinates(0.5m, 2m), null));
        var north = 1m;

        await using var uow = _premix.BeginUnitOfWork();
        var tenants = uow.Repository<Tenant>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Names(tenants.Query().Where(r => r.Home.Geo!.Lat > north)), Is.EqualTo(new[] { "Ada" }), "a NULL nested member matches no comparison");
            Assert.That(await Names(tenants.Query().Where(r => r.Office!.Geo.Lat >= 5m).OrderBy(r => r.Office!.Geo.Lng)), Is.EqualTo(new[] { "Bob", "Ada" }));
            Assert.That(await Names(tenants.Query().Where(r => r.Home.Geo!.Lng < 5m).OrderByDescending(r => r.Home.Geo!.Lat)), Is.EqualTo(new[] { "Ada", "Cy" }));
            Assert.That(tenants.Query().Where(r => r.Home.Geo!.Lat > 1m).ToSql(), Does.Contain(Q("home_geo_lat")));
        }
    }

    [Test]
    public async Task Select_of_an_outer_or_nested_value_object_or_a_nested_member_builds_it_from_its_columns()
    {
        await AddAsync(New("Ada", "Main 1", new Coordinates(1m, 2m), new Workplace("HQ", new Coordinates(3m, 4m))));
        await AddAsync(New("Bob", "Side 2", null, null));

        await using var uow = _premix.BeginUnitOfWork();
        var query = uow.Repository<Tenant>().Query().OrderBy(r => r.Name);
        var homes = await query.Select(r => r.Home).ToListAsync();
        var points = await query.Select(r => r.Home.Geo).ToListAsync();
        var rows = await query.Select(r => new { r.Name, r.Office, r.Office!.Geo, Lng = (decimal?)r.Home.Geo!.Lng }).ToListAsync();
        var missing = Assert.ThrowsAsync<InvalidOperationException>(() => query.Select(r => new { r.Home.Geo!.Lng }).ToListAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(homes.Select(h => (h.Street, h.Geo)), Is.EqualTo(new[] { ("Main 1", new Coordinates(1m, 2m)), ("Side 2", (Coordinates?)null) }));
            Assert.That(points, Is.EqualTo(new[] { new Coordinates(1m, 2m), null }), "a nested value object alone, null from NULL columns");
            Assert.That(rows.Select(r => (r.Name, r.Office, r.Geo, r.Lng)), Is.EqualTo(new[]
            {
                ("Ada", new Workplace("HQ", new Coordinates(3m, 4m)), new Coordinates(3m, 4m), (decimal?)2m),
                ("Bob", null, null, null),
            }));
            Assert.That(missing!.Message, Does.Contain("Tenant.Home.Geo.Lng as a Decimal, but a row holds NULL there"), "a struct member of a null value object is not made up");
            Assert.That(query.Select(r => r.Home.Geo).ToSql(), Does.Contain(Q("home_geo_lat")).And.Contain(Q("home_geo_lng")).And.Not.Contain(Q("home_street")));
        }
    }

    [Test]
    public async Task Schema_sync_creates_the_nested_columns_and_a_diff_after_it_is_empty()
    {
        var diff = await _premix.DiffAsync();
        var columns = Engine == Engine.Sqlite
            ? await QueryAsync<(string Name, long NotNull)>($"SELECT name, \"notnull\" FROM pragma_table_info('{TenantMap.Table}') ORDER BY name")
            : (await QueryAsync<(string Name, string Nullable)>($"SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = '{TenantMap.Table}' AND table_schema = {(Engine == Engine.MySql ? "DATABASE()" : "current_schema()")} ORDER BY column_name"))
                .Select(c => (c.Name, c.Nullable == "NO" ? 1L : 0L)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(columns, Is.EqualTo(new[]
            {
                ("home_entrance_code", 0L), ("home_geo_lat", 0L), ("home_geo_lng", 0L), ("home_street", 1L), ("id", 1L), ("name", 1L), ("office_geo_lat", 0L), ("office_geo_lng", 0L), ("office_name", 0L),
            }), "an optional nested object's columns allow NULL, and so do a required nested object's inside an optional one");
            Assert.That(diff.IsEmpty, Is.True, $"the schema Premix created differs from its mapping:{Environment.NewLine}{diff}");
        }
    }

    private static Tenant New(string name, string street, Coordinates? geo, Workplace? office) =>
        new() { Name = name, Home = new Dwelling { Street = street, Geo = geo }, Office = office };

    private async Task<Tenant> AddAsync(Tenant resident)
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Tenant>().Add(resident);
        await uow.CommitAsync();
        return resident;
    }

    private static async Task<string[]> Names(Query<Tenant> query) => (await query.ToListAsync()).Select(r => r.Name).ToArray();

    private async Task<T> SingleRowAsync<T>(string sql) => (await QueryAsync<T>(sql)).Single();

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
