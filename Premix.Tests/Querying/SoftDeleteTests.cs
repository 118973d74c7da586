using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>Soft-deleted rows stay in the table, hidden from reads, counts and queries unless asked for.</summary>
public sealed class SoftDeleteTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new NoteMap(), new FlagMap());
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var text in new[] { "alpha", "beta", "gamma" })
        {
            uow.Repository<Note>().Add(new Note { Text = text });
            uow.Repository<Flag>().Add(new Flag { Name = text, Version = 1 });
        }

        await uow.CommitAsync();
    }

    [Test]
    public async Task Remove_sets_the_marker_and_every_read_hides_the_row()
    {
        long betaId;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var beta = await uow.Repository<Note>().Query().Where(n => n.Text == "beta").SingleAsync();
            betaId = beta.Id;
            uow.Repository<Note>().Remove(beta);
            await uow.CommitAsync();
            Assert.That(beta.DeletedAt, Is.Not.Null, "the marker is set on the object too");
        }

        await using var reader = _premix.BeginUnitOfWork();
        var notes = reader.Repository<Note>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await CountRowsAsync("notes"), Is.EqualTo(3), "the row stays");
            Assert.That(await notes.FindAsync(betaId), Is.Null);
            Assert.That((await notes.ListAsync()).Select(n => n.Text), Is.EquivalentTo(new[] { "alpha", "gamma" }));
            Assert.That(await notes.CountAsync(), Is.EqualTo(2));
            Assert.That(await notes.Query().Where(n => n.Text.StartsWith("b")).AnyAsync(), Is.False);
            Assert.That(await notes.Query().WithDeleted().CountAsync(), Is.EqualTo(3));
            Assert.That((await notes.Query().OnlyDeleted().SingleAsync()).Text, Is.EqualTo("beta"));
        }
    }

    [Test]
    public async Task Restore_brings_a_row_back_and_HardDelete_removes_it()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var notes = uow.Repository<Note>();
            notes.Remove(await notes.Query().Where(n => n.Text == "alpha").SingleAsync());
            notes.HardDelete(await notes.Query().Where(n => n.Text == "gamma").SingleAsync());
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var notes = uow.Repository<Note>();
            notes.Restore(await notes.Query().OnlyDeleted().SingleAsync());
            await uow.CommitAsync();
        }

        Assert.That(await CountRowsAsync("notes"), Is.EqualTo(2), "gamma is gone for good");
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("notes")} WHERE {Q("DeletedAt")} IS NULL"), Is.EqualTo(2), "alpha is back");
    }

    [Test]
    public async Task A_boolean_marker_with_a_version_is_checked_and_bumped_like_an_update()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var flag = await uow.Repository<Flag>().Query().Where(f => f.Name == "beta").SingleAsync();
        uow.Repository<Flag>().Remove(flag);

        await uow.CommitAsync();

        Assert.That((flag.IsDeleted, flag.Version), Is.EqualTo((true, 2)));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("flags")} WHERE {Q("IsDeleted")} = TRUE"), Is.EqualTo(1));
        Assert.That(await uow.Repository<Flag>().CountAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task Bulk_delete_sets_the_marker_hard_delete_removes_and_bulk_update_skips_deleted_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var notes = uow.Repository<Note>().Query();

        var softened = await notes.Where(n => n.Text != "alpha").DeleteAllAsync();
        var updated = await notes.Where(n => n.Text != "zzz").UpdateAllAsync(s => s.Set(n => n.Text, n => n.Text));
        var removed = await notes.WithDeleted().Where(n => n.Text == "gamma").HardDeleteAllAsync();
        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((softened, updated, removed), Is.EqualTo((2, 1, 1)));
            Assert.That(await CountRowsAsync("notes"), Is.EqualTo(2));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("notes")} WHERE {Q("DeletedAt")} IS NOT NULL"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Remove_of_an_entity_whose_marker_is_a_DateTime_stores_the_UTC_time_of_the_delete()
    {
        var premix = await CreatePremixWithTablesAsync(new MemoMap());
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Memo>().Add(new Memo { Text = "draft" });
            await uow.CommitAsync();
        }

        var before = DateTime.UtcNow.AddSeconds(-1);
        await using (var uow = premix.BeginUnitOfWork())
        {
            var memo = await uow.Repository<Memo>().Query().SingleAsync();
            uow.Repository<Memo>().Remove(memo);
            await uow.CommitAsync();
            Assert.That(memo.DeletedAt, Is.InRange(before, DateTime.UtcNow.AddSeconds(1)));
        }

        var stored = await ScalarAsync<DateTime>($"SELECT {Q("DeletedAt")} FROM {Q("memos")}");
        Assert.That(stored, Is.InRange(before, DateTime.UtcNow.AddSeconds(1)));
    }

    public sealed class Memo
    {
        public long Id { get; set; }

        public string Text { get; set; } = "";

        public DateTime? DeletedAt { get; set; }
    }

    private sealed class MemoMap : ModelConfiguration<Memo>
    {
        public override void Configure(EntityBuilder<Memo> e)
        {
            e.ToTable("memos");
            e.Property(m => m.Text).HasMaxLength(20);
            e.SoftDelete(m => m.DeletedAt);
        }
    }

    public sealed class Note
    {
        public long Id { get; set; }

        public string Text { get; set; } = "";

        public DateTimeOffset? DeletedAt { get; set; }
    }

    public sealed class Flag
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public bool IsDeleted { get; set; }

        public int Version { get; set; }
    }

    private sealed class NoteMap : ModelConfiguration<Note>
    {
        public override void Configure(EntityBuilder<Note> e)
        {
            e.ToTable("notes");
            e.Property(n => n.Text).HasMaxLength(20);
            e.SoftDelete(n => n.DeletedAt);
        }
    }

    private sealed class FlagMap : ModelConfiguration<Flag>
    {
        public override void Configure(EntityBuilder<Flag> e)
        {
            e.ToTable("flags");
            e.Property(f => f.Name).HasMaxLength(20);
            e.SoftDelete(f => f.IsDeleted);
            e.Version(f => f.Version);
        }
    }
}
