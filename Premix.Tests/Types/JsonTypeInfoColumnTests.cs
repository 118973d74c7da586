using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// A property stored as JSON through System.Text.Json's source-generated metadata (<see cref="LodgerMap"/>,
/// <c>StoredAsJson(JsonTypeInfo)</c>) on every engine: written with the metadata's options (camelCase, read by the engine's
/// own JSON functions through plain SQL), read back, compared inside the document by Where under those names
/// (docs/types.md, "JSON columns"; docs/aot.md).
/// </summary>
public sealed class JsonTypeInfoColumnTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    private string Table => Q(LodgerMap.Table);

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.AddModelConfiguration(new LodgerMap()));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task A_document_is_written_with_the_generated_metadata_names_and_read_back()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Lodger>().Add(new Lodger { Name = "Ada", Home = new HomeAddress { Street = "Main 1", City = "Oslo", Floor = 3, Lift = true } });
            await uow.CommitAsync();
        }

        await ExecuteAsync($"INSERT INTO {Table} ({Q("Name")}, {Q("Home")}) VALUES ('Bob', '{{\"street\":\"Side 2\",\"city\":\"Bergen\",\"floor\":7,\"lift\":false}}')");

        var city = await ScalarAsync<string>($"SELECT {Member("city")} FROM {Table} WHERE {Q("Name")} = 'Ada'");
        var pascal = await ScalarAsync<string>($"SELECT {Member("City")} FROM {Table} WHERE {Q("Name")} = 'Ada'");
        await using var read = _premix.BeginUnitOfWork();
        var loaded = await read.Repository<Lodger>().Query().OrderBy(l => l.Name).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(city, Is.EqualTo("Oslo"), "the engine reads the member under the metadata's camelCase name");
            Assert.That(pascal, Is.Null, "no member under the reflection default's name");
            Assert.That((loaded[0].Home!.Street, loaded[0].Home!.City, loaded[0].Home!.Floor, loaded[0].Home!.Lift), Is.EqualTo(("Main 1", "Oslo", 3, true)));
            Assert.That((loaded[1].Home!.Street, loaded[1].Home!.City, loaded[1].Home!.Floor, loaded[1].Home!.Lift), Is.EqualTo(("Side 2", "Bergen", 7, false)));
        }
    }

    [Test]
    public async Task Where_on_a_member_of_the_document_uses_the_generated_metadata_names()
    {
        await ExecuteAsync($"INSERT INTO {Table} ({Q("Name")}, {Q("Home")}) VALUES ('Ada', '{{\"city\":\"Oslo\",\"floor\":3}}'), ('Bob', '{{\"city\":\"Bergen\",\"floor\":12}}'), ('Nobody', NULL)");
        var wanted = "Oslo";

        await using var uow = _premix.BeginUnitOfWork();
        var inOslo = await uow.Repository<Lodger>().Query().Where(l => l.Home!.City == wanted).ToListAsync();
        var high = await uow.Repository<Lodger>().Query().Where(l => l.Home!.Floor > 5).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inOslo.Select(l => l.Name), Is.EqualTo(new[] { "Ada" }));
            Assert.That(high.Select(l => l.Name), Is.EqualTo(new[] { "Bob" }));
        }
    }

    [Test]
    public async Task The_metadata_of_another_type_than_the_property_fails_at_startup_naming_both_and_writes_nothing()
    {
        var error = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new MismatchedLodgerMap())).Dispose())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain("Home").And.Contain(nameof(HomeAddress)).And.Contain(nameof(GeoPoint)));
            Assert.That(await CountRowsAsync(LodgerMap.Table), Is.Zero);
        }
    }

    private string Member(string member) => Engine switch
    {
        Engine.PostgreSql => $"({Q("Home")} ->> '{member}')",
        Engine.MySql => $"JSON_VALUE({Q("Home")}, '$.{member}')",
        _ => $"json_extract({Q("Home")}, '$.{member}')",
    };
}
