using Premix.ColdStart.Model;
using Premix.Plans;
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
    public async Task The_first_insert_of_several_rows_writes_them_all()
    {
        // One commit of five rows: PostgreSQL writes them from one array per column, MariaDB as one row list.
        var added = Enumerable.Range(1, 5).Select(i => new Entity001
        {
            Name = $"many {i}", Code = $"M{i}", Amount = 2.5m * i, Quantity = 100 + i, CreatedAt = new DateTime(2026, 5, i, 1, 2, 3), IsActive = i % 2 == 0, Ratio = 0.125 * i, ParentId = 1,
        }).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            added.ForEach(uow.Repository<Entity001>().Add);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("entity001")} WHERE {Q("Quantity")} > 100"), Is.EqualTo(5));
            Assert.That(added.Select(a => a.Id), Is.Unique.And.All.GreaterThan(8L));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = added[3].Id }), Is.EqualTo("many 4"));
            Assert.That(await ScalarAsync<decimal>($"SELECT {Q("Amount")} FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = added[3].Id }), Is.EqualTo(10m));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Quantity")} FROM {Q("entity001")} WHERE {Q("Id")} = @id", new { id = added[3].Id }), Is.EqualTo(104));
        }
    }

    [Test]
    public async Task The_first_change_of_several_loaded_rows_writes_them_all()
    {
        // Five changed rows in one commit: PostgreSQL updates them from one array per column.
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var rows = await uow.Repository<Entity001>().Query().Where(e => e.Quantity <= 5).ToListAsync();
            foreach (var row in rows)
            {
                row.Quantity += 1000;
                row.Note = $"changed {row.Id}";
            }

            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("entity001")} WHERE {Q("Quantity")} = 1000 + {Q("Id")} AND {Q("Id")} <= 5"), Is.EqualTo(5));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("entity001")} WHERE {Q("Note")} IS NOT NULL"), Is.EqualTo(5));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Note")} FROM {Q("entity001")} WHERE {Q("Id")} = 4"), Is.EqualTo("changed 4"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("entity001")} WHERE {Q("Quantity")} BETWEEN 6 AND 8"), Is.EqualTo(3));
        }
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
    public void Eight_threads_making_their_first_get_at_once_each_read_their_own_row_and_compile_each_delegate_once()
    {
        var alone = FirstCallsCompile(Fresh(), 1, (uow, _) => uow.Repository<Entity001>().Get(1L));
        var names = new string?[8];

        var together = FirstCallsCompile(Fresh(), 8, (uow, i) => names[i] = uow.Repository<Entity001>().Get((long)i + 1).Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(Enumerable.Range(1, 8).Select(i => $"child {i}").ToArray()));
            Assert.That(together, Is.EqualTo(alone), "the eight threads together compile what one first get compiles, each delegate once");
        }
    }

    [Test]
    public async Task Eight_threads_making_their_first_commit_at_once_each_write_their_own_change_and_compile_each_delegate_once()
    {
        var alone = FirstCallsCompile(Fresh(), 1, (uow, _) => ChangeAndCommit(uow, 8L, 0));

        var together = FirstCallsCompile(Fresh(), 8, (uow, i) => ChangeAndCommit(uow, (long)i + 1, i + 1)); // row i + 1 gets 500 + its key

        Assert.That(together, Is.EqualTo(alone), "the eight threads together compile what one first commit compiles, each delegate once");
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("entity001")} WHERE {Q("Quantity")} = 500 + {Q("Id")}"), Is.EqualTo(8));
    }

    private static void ChangeAndCommit(IUnitOfWork uow, long id, int added)
    {
        var row = uow.Repository<Entity001>().Get(id);
        row.Quantity = 500 + added;
        uow.Commit();
    }

    // A Premix started now, whose plans have made no delegate yet.
    private IPremix Fresh() => CreatePremix(p => p.AddModelConfiguration(new Entity000Map()).AddModelConfiguration(new Entity001Map()));

    /// <summary>
    /// Runs <paramref name="call"/> on <paramref name="threads"/> dedicated threads released at the same moment, each in its
    /// own unit of work of <paramref name="premix"/>, and returns how many delegates they compiled together.
    /// </summary>
    private static int FirstCallsCompile(IPremix premix, int threads, Action<IUnitOfWork, int> call)
    {
        using var owned = premix;
        var compiled = new int[threads];
        var errors = new Exception?[threads];
        using var start = new Barrier(threads);
        var started = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                var before = LazyDelegates.CompiledOnThisThread;
                using (var uow = premix.BeginUnitOfWork())
                {
                    call(uow, i);
                }

                compiled[i] = LazyDelegates.CompiledOnThisThread - before;
            }
            catch (Exception error)
            {
                errors[i] = error;
            }
        })).ToList();
        started.ForEach(t => t.Start());
        started.ForEach(t => t.Join());
        Assert.That(errors, Is.All.Null);
        return compiled.Sum();
    }

    private Task SetNameOutsideAsync(long id) => ExecuteAsync($"UPDATE {Q("entity001")} SET {Q("Name")} = @name WHERE {Q("Id")} = @id", new { name = "outside", id });

    private Task InsertAsync(string table, string name, int quantity, long? parent) => ExecuteAsync(
        $"INSERT INTO {Q(table)} ({Q("Name")}, {Q("Code")}, {Q("Amount")}, {Q("Quantity")}, {Q("CreatedAt")}, {Q("IsActive")}, {Q("Note")}, {Q("Ratio")}, {Q("ParentId")}) "
        + "VALUES (@name, @code, @amount, @quantity, @createdAt, @isActive, @note, @ratio, @parent)",
        new { name, code = "C" + quantity, amount = 12.5m, quantity, createdAt = new DateTime(2026, 1, 2, 3, 4, 5), isActive = true, note = (string?)null, ratio = 0.5, parent });
}
