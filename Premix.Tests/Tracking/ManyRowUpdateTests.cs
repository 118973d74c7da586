using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A run of updates in one commit (issue 17 item 3): PostgreSQL writes it from arrays, MariaDB as many-row
/// <c>UPDATE … SET c = CASE id WHEN …</c> statements in one round trip, SQLite a row at a time. On every engine a version
/// is checked and bumped per row, a stale row is named and nothing is written, and soft deletes go the same way.
/// Arranged and checked through plain SQL.
/// </summary>
public sealed class ManyRowUpdateTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new ItemMap());

    [TearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task A_stale_version_in_row_37_of_100_is_named_and_nothing_is_written()
    {
        var ids = await SeedAsync(100);
        await using var uow = _premix.BeginUnitOfWork();
        var items = (await uow.Repository<Item>().ListAsync()).OrderBy(i => i.Id).ToList();
        await ExecuteAsync($"UPDATE {Q("many_items")} SET {Q("Version")} = 7 WHERE {Q("Id")} = {ids[36]}");
        items.ForEach(i => i.Score = 1000 + i.Score);

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain($"Item with key {ids[36]} matched no row"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("many_items")} WHERE {Q("Score")} >= 1000"), Is.Zero, "nothing was written");
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("many_items")} WHERE {Q("Version")} = 1"), Is.EqualTo(99), "no version was bumped in the table");
            Assert.That(items.Select(i => i.Version), Is.All.EqualTo(1), "no version was bumped in the objects");
        }
    }

    [Test]
    public async Task A_run_of_1030_updates_crossing_a_chunk_boundary_writes_each_row_its_own_values_and_bumps_each_version()
    {
        await SeedAsync(1030);
        await using var uow = _premix.BeginUnitOfWork();
        var items = (await uow.Repository<Item>().ListAsync()).ToList();
        items.ForEach(i => i.Score = (int)(i.Id * 3));

        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("many_items")} WHERE {Q("Score")} = {Q("Id")} * 3 AND {Q("Version")} = 2"), Is.EqualTo(1030));
            Assert.That(items.Select(i => i.Version), Is.All.EqualTo(2));
        }
    }

    [Test]
    public async Task A_row_deleted_meanwhile_in_the_second_chunk_of_a_run_is_named_and_the_first_chunk_is_not_written()
    {
        var ids = await SeedAsync(1030);
        await using var uow = _premix.BeginUnitOfWork();
        var items = (await uow.Repository<Item>().ListAsync()).OrderBy(i => i.Id).ToList();
        await ExecuteAsync($"DELETE FROM {Q("many_items")} WHERE {Q("Id")} = {ids[1027]}");
        items.ForEach(i => i.Name = "renamed");

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain($"Item with key {ids[1027]} matched no row"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("many_items")} WHERE {Q("Name")} = 'renamed' OR {Q("Version")} <> 1"), Is.Zero);
        }
    }

    [Test]
    public async Task A_run_of_soft_deletes_marks_every_row_and_bumps_its_version_and_a_stale_one_is_named_with_nothing_marked()
    {
        var ids = await SeedAsync(40);
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var items = (await uow.Repository<Item>().ListAsync()).Where(i => i.Id <= ids[19]).ToList();
            items.ForEach(uow.Repository<Item>().Remove);
            await uow.CommitAsync();
            Assert.That(items.Select(i => (i.Version, i.DeletedAt is not null)), Is.All.EqualTo((2, true)));
        }

        Assert.That(await ScalarsAsync($"SELECT {Q("Id")} FROM {Q("many_items")} WHERE {Q("DeletedAt")} IS NOT NULL AND {Q("Version")} = 2 ORDER BY {Q("Id")}"), Is.EqualTo(ids.Take(20)));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var rest = (await uow.Repository<Item>().ListAsync()).OrderBy(i => i.Id).ToList();
            await ExecuteAsync($"UPDATE {Q("many_items")} SET {Q("Version")} = 9 WHERE {Q("Id")} = {ids[30]}");
            rest.ForEach(uow.Repository<Item>().Remove);

            var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

            Assert.That(error!.Message, Does.Contain($"Item with key {ids[30]} matched no row"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("many_items")} WHERE {Q("DeletedAt")} IS NOT NULL"), Is.EqualTo(20), "only the first commit's rows are marked");
            Assert.That(rest.Select(i => i.DeletedAt), Is.All.Null, "the markers set on the objects are undone");
        }
    }

    [Test]
    public async Task Runs_of_updates_of_different_columns_in_one_commit_each_write_only_their_own_columns()
    {
        var ids = await SeedAsync(30);
        await using var uow = _premix.BeginUnitOfWork();
        var items = (await uow.Repository<Item>().ListAsync()).OrderBy(i => i.Id).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            if (i % 3 == 0)
            {
                items[i].Name = $"name {i}";
            }
            else
            {
                items[i].Score = -i;
            }
        }

        await uow.CommitAsync();

        var rows = (await ScalarsAsync($"SELECT {Q("Id")} FROM {Q("many_items")} WHERE {Q("Version")} = 2 ORDER BY {Q("Id")}")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Is.EqualTo(ids));
            for (var i = 0; i < ids.Count; i++)
            {
                var (name, score) = i % 3 == 0 ? ($"name {i}", i + 1) : ($"item {i + 1}", -i);
                Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("many_items")} WHERE {Q("Id")} = {ids[i]} AND {Q("Name")} = '{name}' AND {Q("Score")} = {score}"), Is.EqualTo(1), $"row {i}");
            }
        }
    }

    // Rows n = 1..count with Name "item n", Score n and Version 1; their keys in that order.
    private async Task<List<long>> SeedAsync(int count)
    {
        for (var start = 0; start < count; start += 500)
        {
            var values = Enumerable.Range(start + 1, Math.Min(500, count - start)).Select(n => $"('item {n}', {n}, 1)");
            await ExecuteAsync($"INSERT INTO {Q("many_items")} ({Q("Name")}, {Q("Score")}, {Q("Version")}) VALUES {string.Join(", ", values)}");
        }

        return [.. await ScalarsAsync($"SELECT {Q("Id")} FROM {Q("many_items")} ORDER BY {Q("Id")}")];
    }

    private async Task<IEnumerable<long>> ScalarsAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await Dapper.SqlMapper.QueryAsync<long>(connection, sql);
    }

    private sealed class Item
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public int Score { get; set; }

        public int Version { get; set; }

        public DateTime? DeletedAt { get; set; }
    }

    private sealed class ItemMap : ModelConfiguration<Item>
    {
        public override void Configure(EntityBuilder<Item> e)
        {
            e.ToTable("many_items");
            e.Property(i => i.Name).HasMaxLength(40);
            e.Version(i => i.Version);
            e.SoftDelete(i => i.DeletedAt);
        }
    }
}
