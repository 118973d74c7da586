using Premix.ColdStart.Model;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// The first call of each kind on a freshly started Premix, whose plans compile their delegates on first use (issue 19):
/// each works as before, on every engine, alone and with eight threads making their first call at the same moment.
/// Arranged and checked through plain SQL; every test starts a new Premix, so its call is the plans' first.
/// </summary>
public sealed class FirstCallTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task StartAndArrangeAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new Entity000Map(), new Entity001Map());
        // Keys are generated (the tables are new: 1, then 1 to 8), so the insert test's key comes after them on every engine.
        await InsertAsync("entity000", "parent", 5, null);
        for (var i = 1; i <= 8; i++)
        {
            await InsertAsync("entity001", $"child {i}", i, 1);
        }
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task The_first_get_reads_the_row()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var row = await uow.Repository<Entity001>().GetAsync(3L);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Name, Is.EqualTo("child 3"));
            Assert.That(row.Quantity, Is.EqualTo(3));
            Assert.That(row.Amount, Is.EqualTo(12.5m));
            Assert.That(row.ParentId, Is.EqualTo(1L));
            Assert.That(row.Note, Is.Null);
        }
    }

    [Test]
    public async Task The_first_query_reads_the_rows_it_filters()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var rows = await uow.Repository<Entity001>().Query().Where(e => e.Quantity > 6).OrderBy(e => e.Id).ToListAsync();

        Assert.That(rows.Select(r => r.Name), Is.EqualTo(new[] { "child 7", "child 8" }));
    }

    [Test]
    public async Task The_first_insert_writes_the_row_and_sets_the_generated_key()
    {
        var added = new Entity001 { Name = "new", Code = "N1", Amount = 1.25m, Quantity = 9, CreatedAt = new DateTime(2026, 3, 4, 5, 6, 7), IsActive = true, Ratio = 0.25, ParentId = 1 };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Entity001>().Add(added);
            await uow.CommitAsync();
        }

        var name = await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = added.Id });
        Assert.That(name, Is.EqualTo("new"));
    }

    [Test]
    public async Task The_first_change_of_a_loaded_entity_is_found_by_its_snapshot_and_written()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var row = await uow.Repository<Entity001>().GetAsync(2L);
            row.Quantity = 42;
            await SetNameOutsideAsync(2L); // only the changed column is written, so this stays
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Quantity")} FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = 2L }), Is.EqualTo(42));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = 2L }), Is.EqualTo("outside"));
        }
    }

    [Test]
    public async Task A_loaded_entity_left_unchanged_writes_nothing_on_the_first_commit()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            await uow.Repository<Entity001>().GetAsync(2L);
            await SetNameOutsideAsync(2L); // an update of the loaded row would overwrite this
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = 2L }), Is.EqualTo("outside"));
    }

    [Test]
    public async Task The_first_delete_removes_the_row()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var lines = uow.Repository<Entity001>();
            lines.Remove(await lines.GetAsync(4L));
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = 4L }), Is.Zero);
        Assert.That(await CountRowsAsync("entity001"), Is.EqualTo(7));
    }

    [Test]
    public async Task The_first_include_fills_the_children()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var parents = await uow.Repository<Entity000>().Query().Include(e => e.Children).ToListAsync();

        Assert.That(parents.Single().Children.Select(c => c.Id).Order(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
    }

    [Test]
    public void Eight_threads_making_their_first_get_at_once_each_read_their_own_row()
    {
        var names = new string?[8];
        var errors = new Exception?[8];
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                using var uow = _premix.BeginUnitOfWork();
                names[i] = uow.Repository<Entity001>().Get((long)i + 1).Name;
            }
            catch (Exception error)
            {
                errors[i] = error;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors, Is.All.Null);
            Assert.That(names, Is.EqualTo(Enumerable.Range(1, 8).Select(i => $"child {i}").ToArray()));
        }
    }

    private Task SetNameOutsideAsync(long id) => ExecuteAsync($"UPDATE {Q("entity001")} SET {Q("Name")} = @name WHERE {Q("Id")} = @id", new { name = "outside", id });

    private Task InsertAsync(string table, string name, int quantity, long? parent) => ExecuteAsync(
        $"INSERT INTO {Q(table)} ({Q("Name")}, {Q("Code")}, {Q("Amount")}, {Q("Quantity")}, {Q("CreatedAt")}, {Q("IsActive")}, {Q("Note")}, {Q("Ratio")}, {Q("ParentId")}) "
        + "VALUES (@name, @code, @amount, @quantity, @createdAt, @isActive, @note, @ratio, @parent)",
        new { name, code = "C" + quantity, amount = 12.5m, quantity, createdAt = new DateTime(2026, 1, 2, 3, 4, 5), isActive = true, note = (string?)null, ratio = 0.5, parent });
}
