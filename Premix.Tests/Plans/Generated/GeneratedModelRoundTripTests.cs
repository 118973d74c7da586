using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// CRUD and query round trips on a Premix started with the generated model, on every engine: each call does what it does
/// with compiled plans (checked through plain SQL) and no call compiles a delegate (issue 19 item 2). The entity has a
/// private-setter generated key and an init-only property, which the generated code reaches through UnsafeAccessor.
/// </summary>
public sealed class GeneratedModelRoundTripTests(Engine engine) : PremixTest(engine)
{
    private GeneratedModel _generated = null!;
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        using var built = CreatePremix(p => p.AddModelConfiguration(new ParcelMap()));
        _generated = GeneratedModels.Compile(built, "RoundTrip");
    }

    [SetUp]
    public async Task StartOnTheGeneratedModelAsync()
    {
        _premix = CreatePremix(p => p.AddModelConfiguration(new ParcelMap()).UseGeneratedModel(_generated));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task An_insert_writes_every_column_and_sets_the_private_generated_key_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var parcel = NewParcel("first", 3);
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Parcel>().Add(parcel);
            await uow.CommitAsync();
        }

        var row = await ScalarAsync<string>($"SELECT {Q("Label")} FROM {Q("parcels")} WHERE {Q("Id")} = @id AND {Q("Pieces")} = 3 AND {Q("Sender")} = 'ada' AND {Q("Note")} IS NULL AND {Q("Tracking")} IS NOT NULL", new { id = parcel.Id });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parcel.Id, Is.GreaterThan(0));
            Assert.That(row, Is.EqualTo("first"));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_get_reads_every_column_and_a_change_is_written_with_the_version_checked_without_compiling()
    {
        var id = await ArrangeAsync("stored", 4);
        var compiles = LazyDelegates.CountInThisFlow();

        Parcel read;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            read = await uow.Repository<Parcel>().GetAsync(id);
            read.Note = "changed";
            read.Weight = 7.25m;
            await uow.CommitAsync();
        }

        var written = await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("parcels")} WHERE {Q("Id")} = @id AND {Q("Note")} = 'changed' AND {Q("Version")} = 2", new { id });
        var weight = await ScalarAsync<decimal>($"SELECT {Q("Weight")} FROM {Q("parcels")} WHERE {Q("Id")} = @id", new { id });
        using (Assert.EnterMultipleScope())
        {
            Assert.That((read.Label, read.Pieces, read.Ratio, read.Fragile, read.Sender, read.State, read.Size), Is.EqualTo(("stored", 4, 0.5, true, "ada", ParcelState.Sent, ParcelSize.Large)));
            Assert.That(read.ShippedAt, Is.EqualTo(new DateTime(2026, 3, 4, 5, 6, 7)));
            Assert.That(read.Tracking, Is.Null);
            Assert.That(read.Photo, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(written, Is.EqualTo(1));
            Assert.That(weight, Is.EqualTo(7.25m));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_query_filters_orders_counts_and_an_unchanged_entity_is_not_written_without_compiling()
    {
        await ArrangeAsync("a", 1);
        await ArrangeAsync("b", 5);
        await ArrangeAsync("c", 9);
        var compiles = LazyDelegates.CountInThisFlow();

        IReadOnlyList<Parcel> rows;
        long count;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var minimum = 2;
            rows = await uow.Repository<Parcel>().Query().Where(p => p.Pieces > minimum && p.Note == null).OrderByDescending(p => p.Pieces).ToListAsync();
            count = await uow.Repository<Parcel>().CountAsync();
            await uow.CommitAsync(); // nothing changed: the snapshots compare equal
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.Label), Is.EqualTo(new[] { "c", "b" }));
            Assert.That(count, Is.EqualTo(3));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("parcels")} WHERE {Q("Version")} = 1"), Is.EqualTo(3));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_remove_soft_deletes_the_row_and_several_inserts_go_in_one_commit_without_compiling()
    {
        var id = await ArrangeAsync("gone", 2);
        var compiles = LazyDelegates.CountInThisFlow();
        var added = Enumerable.Range(1, 5).Select(i => NewParcel($"many {i}", 10 + i)).ToList();

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var repository = uow.Repository<Parcel>();
            repository.Remove(await repository.GetAsync(id));
            added.ForEach(repository.Add);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("parcels")} WHERE {Q("Id")} = @id AND {Q("Removed")} = @removed", new { id, removed = true }), Is.EqualTo(1));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("parcels")} WHERE {Q("Pieces")} > 10"), Is.EqualTo(5));
            Assert.That(added.Select(p => p.Id).Distinct().Count(p => p > 0), Is.EqualTo(5));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task Without_the_generated_model_the_same_get_compiles_delegates()
    {
        // The counter the tests above rely on sees the compiled plans' first use.
        var id = await ArrangeAsync("compiled", 1);
        await using var compiled = CreatePremix(p => p.AddModelConfiguration(new ParcelMap()));
        var compiles = LazyDelegates.CountInThisFlow();

        await using (var uow = compiled.BeginUnitOfWork())
        {
            _ = await uow.Repository<Parcel>().GetAsync(id);
        }

        Assert.That(compiles.Value, Is.GreaterThan(0));
    }

    private static Parcel NewParcel(string label, int pieces) => new()
    {
        Label = label, Pieces = pieces, Weight = 1.5m, ShippedAt = new DateTime(2026, 3, 4, 5, 6, 7), Fragile = true, Ratio = 0.5,
        Tracking = Guid.Parse("6f1c7a52-93a8-4d64-9d0e-0b9c1d2e3f40"), State = ParcelState.Sent, Size = ParcelSize.Large, Photo = [1, 2, 3], Sender = "ada",
    };

    // Through plain SQL, as a row another application wrote.
    private async Task<long> ArrangeAsync(string label, int pieces)
    {
        var columns = new[] { "Label", "Note", "Weight", "Pieces", "ShippedAt", "Fragile", "Ratio", "Tracking", "State", "Size", "Photo", "Sender", "Version", "Removed" };
        await ExecuteAsync(
            $"INSERT INTO {Q("parcels")} ({string.Join(", ", columns.Select(Q))}) VALUES (@label, NULL, 1.5, @pieces, @shipped, @fragile, 0.5, NULL, 1, 'Large', @photo, 'ada', 1, @removed)",
            new { label, pieces, shipped = new DateTime(2026, 3, 4, 5, 6, 7), fragile = true, photo = new byte[] { 1, 2, 3 }, removed = false });
        return await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("parcels")} WHERE {Q("Label")} = @label", new { label });
    }

    public enum ParcelState
    {
        Draft = 0,
        Sent = 1,
    }

    public enum ParcelSize
    {
        Small,
        Large,
    }

    public sealed class Parcel
    {
        public long Id { get; private set; }

        public string Label { get; set; } = "";

        public string? Note { get; set; }

        public decimal Weight { get; set; }

        public int Pieces { get; set; }

        public DateTime ShippedAt { get; set; }

        public bool Fragile { get; set; }

        public double Ratio { get; set; }

        public Guid? Tracking { get; set; }

        public ParcelState State { get; set; }

        public ParcelSize Size { get; set; }

        public byte[]? Photo { get; set; }

        public string Sender { get; init; } = "";

        public int Version { get; set; }

        public bool Removed { get; set; }
    }

    public sealed class ParcelMap : ModelConfiguration<Parcel>
    {
        public override void Configure(EntityBuilder<Parcel> e)
        {
            e.ToTable("parcels");
            e.HasKey(p => p.Id);
            e.Property(p => p.Label).IsRequired().HasMaxLength(40);
            e.Property(p => p.Weight).HasPrecision(9, 2);
            e.Property(p => p.Size).StoredAsText();
            e.Version(p => p.Version);
            e.SoftDelete(p => p.Removed);
        }
    }
}
