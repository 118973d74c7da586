using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// A nested value object with no setter, taken by its holder's constructor (<see cref="Lodging"/>'s get-only
/// <see cref="Lodging.Entrance"/>), on every engine: the snapshot taken at load holds a copy of it (the holder is made
/// anew through that constructor), so a change in place two levels down (<c>lodger.Home.Entrance.Code = "x"</c>) is seen
/// and written, and an untouched one writes nothing. The row is read back by plain SQL.
/// </summary>
public sealed class NestedValueObjectConstructorTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    private string Table => Q(LodgerMap.Table);

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new LodgerMap()));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task A_change_in_place_inside_a_nested_value_object_without_a_setter_is_written()
    {
        await ExecuteAsync($"INSERT INTO {Table} ({Q("name")}, {Q("home_street")}, {Q("home_entrance_code")}) VALUES ('Ada', 'Main 1', 'A1')");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var ada = await uow.Repository<Lodger>().Query().SingleAsync();
            ada.Home.Entrance!.Code = "B2";
            ada.Home.Street = "Main 2";
            await uow.CommitAsync();
        }

        Assert.That(await RowAsync(), Is.EqualTo(("Main 2", "B2")));
    }

    [Test]
    public async Task A_nested_value_object_without_a_setter_left_alone_writes_nothing()
    {
        await ExecuteAsync($"INSERT INTO {Table} ({Q("name")}, {Q("home_street")}, {Q("home_entrance_code")}) VALUES ('Ada', 'Main 1', 'A1')");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var ada = await uow.Repository<Lodger>().Query().SingleAsync();
            Assert.That((ada.Home.Street, ada.Home.Entrance!.Code), Is.EqualTo(("Main 1", "A1")));
            await ExecuteAsync($"UPDATE {Table} SET {Q("home_street")} = 'Side 3', {Q("home_entrance_code")} = 'C3'");
            await uow.CommitAsync();
        }

        Assert.That(await RowAsync(), Is.EqualTo(("Side 3", "C3")), "nothing changed, so nothing was written over the other writer's value");
    }

    private async Task<(string Street, string Code)> RowAsync()
    {
        await using var connection = await OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string Street, string Code)>($"SELECT {Q("home_street")}, {Q("home_entrance_code")} FROM {Table}");
    }

    /// <summary>A mutable class whose <see cref="Entrance"/> has no setter: its constructor takes it.</summary>
    public sealed class Lodging(Entrance? entrance)
    {
        public string Street { get; set; } = "";

        public Entrance? Entrance { get; } = entrance;
    }

    public sealed class Lodger
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public Lodging Home { get; set; } = new(null);
    }

    private sealed class LodgerMap : ModelConfiguration<Lodger>
    {
        public const string Table = "owned_lodgers";

        public override void Configure(EntityBuilder<Lodger> e)
        {
            e.ToTable(Table);
            e.Owns(r => r.Home, a => a.Owns(v => v.Entrance));
        }
    }
}
