using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// Table per hierarchy, relations that name a subclass (Rider.Ponies, Show.Winner, and Pony's own Saddles): Include
/// reads only rows of that subclass and the classes below it, and a commit fills their foreign keys. Checked with plain SQL.
/// </summary>
public sealed class InheritanceRelationTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new RiderMap(), new MountMap(), new PonyMap(), new SaddleMap(), new ShowMap());
        await ExecuteAsync($"INSERT INTO {Q("riders")} ({Q("Id")}, {Q("Name")}) VALUES (11, 'Ada')");
        await ExecuteAsync(
            $"INSERT INTO {Q("mounts")} ({Q("Id")}, {Q("Kind")}, {Q("Name")}, {Q("RiderId")}, {Q("Hands")}, {Q("Load")}) VALUES "
            + "(21, 'pony', 'Dusty', 11, NULL, NULL), "
            + "(22, 'mule', 'Jack', NULL, NULL, 80), "
            + "(23, 'shetland', 'Pip', 11, 9, NULL)");
        await ExecuteAsync($"INSERT INTO {Q("saddles")} ({Q("Id")}, {Q("Maker")}, {Q("PonyId")}) VALUES (31, 'Hermes', 23), (32, 'Stubben', 21), (33, 'Odd', 22)");
        await ExecuteAsync($"INSERT INTO {Q("shows")} ({Q("Id")}, {Q("Title")}, {Q("WinnerId")}) VALUES (41, 'Spring', 23), (42, 'Mixed up', 22)"); // explicit keys above those the engines generate
    }

    [Test]
    public async Task Including_a_collection_of_a_subclass_reads_only_its_classes_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await ExecuteAsync($"UPDATE {Q("mounts")} SET {Q("RiderId")} = 11 WHERE {Q("Id")} = 22"); // a mule with the rider's key, which Ponies must not hold

        var query = uow.Repository<Rider>().Query().Include(r => r.Ponies).ThenInclude(p => p.Saddles);
        var rider = await query.SingleAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rider.Ponies.Select(p => $"{p.GetType().Name} {p.Name}"), Is.EquivalentTo(new[] { "Pony Dusty", "Shetland Pip" }));
            Assert.That(rider.Ponies.Single(p => p.Id == 23).Saddles.Select(s => s.Maker), Is.EqualTo(new[] { "Hermes" }), "a subclass's own relation, inherited by the class below it");
            Assert.That(rider.Ponies.Select(p => p.Rider), Has.All.SameAs(rider), "the inverse navigation is set");
            Assert.That(query.ToSql(), Does.Contain($"{Q("Kind")} IN ('pony', 'shetland')"));
        }
    }

    [Test]
    public async Task Including_a_reference_to_a_subclass_reads_only_its_classes_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var shows = await uow.Repository<Show>().Query().Include(s => s.Winner).OrderBy(s => s.Id).ToListAsync();
        var saddles = await uow.Repository<Saddle>().Query().Include(s => s.Pony).OrderBy(s => s.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(shows[0].Winner, Is.TypeOf<Shetland>().And.Property(nameof(Shetland.Hands)).EqualTo(9));
            Assert.That(shows[1].Winner, Is.Null, "row 22 is a mule, not a pony");
            Assert.That(saddles.Select(s => s.Pony?.Name), Is.EqualTo(new[] { "Pip", "Dusty", null }));
        }
    }

    [Test]
    public async Task Sync_puts_a_subclasss_foreign_keys_on_the_shared_table_and_then_finds_nothing_to_change()
    {
        var diff = await _premix.DiffAsync();

        Assert.That(diff.Operations, Is.Empty);
        Assert.That(
            async () => await ExecuteAsync($"INSERT INTO {Q("mounts")} ({Q("Id")}, {Q("Kind")}, {Q("Name")}, {Q("RiderId")}) VALUES (29, 'pony', 'Ghost', 999)"),
            Throws.InstanceOf<System.Data.Common.DbException>(),
            "mounts.RiderId references riders");
    }

    [Test]
    public async Task Committing_a_new_rider_with_new_ponies_and_saddles_fills_every_foreign_key()
    {
        var rider = new Rider { Name = "Bo", Ponies = [new Pony { Name = "Ash", Saddles = [new Saddle { Maker = "Kent" }] }, new Shetland { Name = "Tiny", Hands = 8, Saddles = [new Saddle { Maker = "Wow" }] }] };
        var show = new Show { Title = "Autumn", Winner = rider.Ponies[1] };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Rider>().Add(rider);
            uow.Repository<Show>().Add(show);
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string Kind, string Maker)>(
            $"SELECT {Q("m")}.{Q("Kind")}, {Q("s")}.{Q("Maker")} FROM {Q("mounts")} {Q("m")} JOIN {Q("saddles")} {Q("s")} ON {Q("s")}.{Q("PonyId")} = {Q("m")}.{Q("Id")} WHERE {Q("m")}.{Q("RiderId")} = @rider ORDER BY {Q("m")}.{Q("Id")}",
            new { rider = rider.Id })).Select(r => $"{r.Kind}:{r.Maker}").ToList();
        var winner = await ScalarAsync<string>($"SELECT {Q("m")}.{Q("Name")} FROM {Q("shows")} {Q("s")} JOIN {Q("mounts")} {Q("m")} ON {Q("m")}.{Q("Id")} = {Q("s")}.{Q("WinnerId")} WHERE {Q("s")}.{Q("Id")} = @id", new { id = show.Id });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Is.EqualTo(new[] { "pony:Kent", "shetland:Wow" }));
            Assert.That(winner, Is.EqualTo("Tiny"));
        }
    }
}
