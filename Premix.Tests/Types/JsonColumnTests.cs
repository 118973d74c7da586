using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Properties stored as JSON (<see cref="ResidentMap"/>) on every engine: the document is written as JSON the engine reads
/// (checked with its own JSON functions through plain SQL), read back, tracked by its text, written by many-row commits,
/// and given the engine's JSON column type by the schema sync (docs/types.md, "JSON columns").
/// </summary>
public sealed class JsonColumnTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    private string Table => Q(ResidentMap.Table);

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.AddModelConfiguration(new ResidentMap()));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task A_document_is_stored_as_JSON_the_engine_reads_and_read_back()
    {
        var ada = await AddAsync(New("Ada", "Oslo", 3));
        await ExecuteAsync($"INSERT INTO {Table} ({Q("Name")}, {Q("Home")}, {Q("Tags")}) VALUES ('Bob', NULL, '[]')");

        var city = await ScalarAsync<string>($"SELECT {Member("Home", "City")} FROM {Table} WHERE {Q("Id")} = {ada.Id}");
        var floor = await ScalarAsync<long>($"SELECT {Member("Home", "Floor")} FROM {Table} WHERE {Q("Id")} = {ada.Id}");
        await using var uow = _premix.BeginUnitOfWork();
        var loaded = await uow.Repository<Resident>().Query().OrderBy(r => r.Name).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((city, floor), Is.EqualTo(("Oslo", 3L)));
            Assert.That((loaded[0].Home!.Street, loaded[0].Home!.City, loaded[0].Home!.Floor, loaded[0].Home!.Lift), Is.EqualTo(("Main 1", "Oslo", 3, true)));
            Assert.That(loaded[0].Tags, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(loaded[1].Home, Is.Null, "NULL is a null property");
            Assert.That(loaded[1].Tags, Is.Empty);
        }
    }

    [Test]
    public async Task An_equal_document_writes_nothing_and_a_change_made_in_place_is_written()
    {
        var ada = await AddAsync(New("Ada", "Oslo", 3));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Resident>().GetAsync(ada.Id);
            loaded.Home = new HomeAddress { Street = "Main 1", City = "Oslo", Floor = 3, Lift = true }; // equal text
            await ExecuteAsync($"UPDATE {Table} SET {Q("Name")} = 'Changed elsewhere', {Q("Home")} = NULL WHERE {Q("Id")} = {ada.Id}");
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Table} WHERE {Q("Home")} IS NULL"), Is.EqualTo(1), "an equal document is no change");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Resident>().GetAsync(ada.Id);
            loaded.Home = new HomeAddress { Street = "Side 2", City = "Bergen" };
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Resident>().GetAsync(ada.Id);
            loaded.Home!.City = "Tromsø"; // in place
            loaded.Tags.Add("c");
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT {Member("Home", "City")} FROM {Table}"), Is.EqualTo("Tromsø"));
            Assert.That(await ScalarAsync<string>($"SELECT {Member("Tags", "[2]")} FROM {Table}"), Is.EqualTo("c"));
        }
    }

    [Test]
    public async Task A_commit_mixing_inserts_updates_and_deletes_writes_each_document()
    {
        var ada = await AddAsync(New("Ada", "Oslo", 1));
        var bob = await AddAsync(New("Bob", "Bergen", 2));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var residents = uow.Repository<Resident>();
            (await residents.GetAsync(ada.Id)).Home!.Floor = 10;
            residents.Remove(await residents.GetAsync(bob.Id));
            for (var i = 0; i < 3; i++)
            {
                residents.Add(New("N" + i, "City " + i, 20 + i));
            }

            residents.Add(new Resident { Name = "Nobody" });
            await uow.CommitAsync();
        }

        var rows = (await QueryAsync<(string Name, string? City, long? Floor)>(
            $"SELECT {Q("Name")}, {Member("Home", "City")}, {Member("Home", "Floor")} FROM {Table} ORDER BY {Q("Name")}")).ToList();
        Assert.That(rows, Is.EqualTo(new (string, string?, long?)[] { ("Ada", "Oslo", 10), ("N0", "City 0", 20), ("N1", "City 1", 21), ("N2", "City 2", 22), ("Nobody", null, null) }));
    }

    [Test]
    public async Task Where_on_a_member_of_a_document_compares_strings_numbers_and_bools_as_their_types()
    {
        await AddAsync(New("Ada", "Oslo", 3));
        await AddAsync(New("Bob", "Bergen", 12));
        var cy = New("Cy", "Oslo", 20);
        cy.Home!.Lift = false;
        await AddAsync(cy);
        await AddAsync(new Resident { Name = "Nobody" });
        var city = "Oslo";

        await using var uow = _premix.BeginUnitOfWork();
        var residents = uow.Repository<Resident>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Names(residents.Query().Where(r => r.Home!.City == city)), Is.EqualTo(new[] { "Ada", "Cy" }), "a captured string, as a parameter");
            Assert.That(await Names(residents.Query().Where(r => r.Home!.Floor > 5)), Is.EqualTo(new[] { "Bob", "Cy" }), "12 > 5 as numbers, not as text");
            Assert.That(await Names(residents.Query().Where(r => r.Home!.Lift)), Is.EqualTo(new[] { "Ada", "Bob" }));
            Assert.That(await Names(residents.Query().Where(r => r.Home!.Lift == false && r.Home!.City == "Oslo")), Is.EqualTo(new[] { "Cy" }));
            Assert.That(await Names(residents.Query().Where(r => r.Home!.City.StartsWith("Be"))), Is.EqualTo(new[] { "Bob" }));
            Assert.That((await residents.Query().Where(r => r.Home != null).OrderByDescending(r => r.Home!.Floor).ToListAsync()).Select(r => r.Name), Is.EqualTo(new[] { "Cy", "Bob", "Ada" }));
            Assert.That(residents.Query().Where(r => r.Home!.City == city).ToSql(), Does.Not.Contain("Oslo"), "the value is a parameter");
        }
    }

    [Test]
    public async Task Where_and_OrderBy_on_a_member_of_a_nested_object_follow_the_whole_path_and_compare_as_its_type()
    {
        await AddAsync(WithGeo(New("Ada", "Oslo", 3), "West", 40));
        await AddAsync(WithGeo(New("Bob", "Bergen", 12), "West", 250));
        await AddAsync(WithGeo(New("Cy", "Oslo", 20), "North", 1200));
        await AddAsync(New("Dee", "Oslo", 1)); // no Geo: its members are NULL
        await AddAsync(new Resident { Name = "Nobody" });
        var region = "West";

        await using var uow = _premix.BeginUnitOfWork();
        var residents = uow.Repository<Resident>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Names(residents.Query().Where(r => r.Home!.Geo!.Region == region)), Is.EqualTo(new[] { "Ada", "Bob" }));
            Assert.That(await Names(residents.Query().Where(r => r.Home!.Geo!.Height > 100)), Is.EqualTo(new[] { "Bob", "Cy" }), "250 and 1200 > 100 as numbers, not as text");
            Assert.That(await Names(residents.Query().Where(r => r.Home!.Geo!.Region.StartsWith("No") && r.Home!.City == "Oslo")), Is.EqualTo(new[] { "Cy" }));
            Assert.That((await residents.Query().Where(r => r.Home!.Geo!.Height > 0).OrderByDescending(r => r.Home!.Geo!.Height).ToListAsync()).Select(r => r.Name), Is.EqualTo(new[] { "Cy", "Bob", "Ada" }));
            Assert.That(residents.Query().Where(r => r.Home!.Geo!.Region == region).ToSql(), Does.Contain(Engine == Engine.PostgreSql ? "-> 'Geo' ->> 'Region'" : "'$.Geo.Region'"));
        }
    }

    [Test]
    public async Task Where_a_whole_document_is_null_or_not_reads_the_column_and_comparing_whole_documents_is_refused()
    {
        await AddAsync(New("Ada", "Oslo", 3));
        await AddAsync(new Resident { Name = "Nobody" });
        var home = new HomeAddress { City = "Oslo" };

        await using var uow = _premix.BeginUnitOfWork();
        var residents = uow.Repository<Resident>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Names(residents.Query().Where(r => r.Home == null)), Is.EqualTo(new[] { "Nobody" }));
            Assert.That(await Names(residents.Query().Where(r => r.Home != null)), Is.EqualTo(new[] { "Ada" }));
            var error = Assert.ThrowsAsync<NotSupportedException>(() => residents.Query().Where(r => r.Home == home).ToListAsync());
            Assert.That(error!.Message, Does.StartWith("Resident.Home is stored as JSON, and '(r.Home == value(").And.Contain("compares the whole document, which the engines do not compare alike"));
        }
    }

    [Test]
    public async Task Schema_sync_creates_a_JSON_column_and_a_diff_after_it_is_empty()
    {
        var diff = await _premix.DiffAsync();
        var type = Engine switch
        {
            Engine.Sqlite => await ScalarAsync<string>($"SELECT type FROM pragma_table_info('{ResidentMap.Table}') WHERE name = 'Home'"),
            Engine.PostgreSql => await ScalarAsync<string>($"SELECT data_type FROM information_schema.columns WHERE table_name = '{ResidentMap.Table}' AND column_name = 'Home' AND table_schema = current_schema()"),
            _ => await ScalarAsync<string>($"SELECT data_type FROM information_schema.columns WHERE table_name = '{ResidentMap.Table}' AND column_name = 'Home' AND table_schema = DATABASE()"),
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(type, Is.EqualTo(Engine switch { Engine.Sqlite => "TEXT", Engine.PostgreSql => "jsonb", _ => "longtext" }), "MariaDB's JSON is a LONGTEXT");
            Assert.That(diff.IsEmpty, Is.True, $"the schema Premix created differs from its mapping:{Environment.NewLine}{diff}");
        }

        if (Engine == Engine.MySql)
        {
            Assert.CatchAsync(async () => await ExecuteAsync($"INSERT INTO {Table} ({Q("Name")}, {Q("Home")}, {Q("Tags")}) VALUES ('X', 'not json', '[]')"), "MariaDB's JSON column checks its text");
        }
    }

    // The engine's own reading of one member of a stored document, as text or number.
    private string Member(string column, string member)
    {
        var path = member.StartsWith('[') ? "$" + member : "$." + member;
        return Engine switch
        {
            Engine.PostgreSql => member.StartsWith('[') ? $"({Q(column)} ->> {member.Trim('[', ']')})" : $"({Q(column)} ->> '{member}')" + (member == "Floor" ? "::bigint" : string.Empty),
            Engine.MySql => $"JSON_VALUE({Q(column)}, '{path}')",
            _ => $"json_extract({Q(column)}, '{path}')",
        };
    }

    private static async Task<string[]> Names(Query<Resident> query) => (await query.ToListAsync()).Select(r => r.Name).Order().ToArray();

    private static Resident WithGeo(Resident resident, string region, int height)
    {
        resident.Home!.Geo = new GeoPoint { Region = region, Height = height };
        return resident;
    }

    private static Resident New(string name, string city, int floor) =>
        new() { Name = name, Home = new HomeAddress { Street = "Main 1", City = city, Floor = floor, Lift = true }, Tags = ["a", "b"] };

    private async Task<Resident> AddAsync(Resident resident)
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Resident>().Add(resident);
        await uow.CommitAsync();
        return resident;
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
