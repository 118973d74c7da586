using Premix.Mapping;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// Every value reaches its own placeholder, whatever the order its statement binds them in and whatever its columns are
/// called: on PostgreSQL, Premix sends the statements it writes with positional placeholders (<c>$1</c>) and parameters
/// bound by place (<c>IPositionalPlaceholders</c>), and keeps a text named where it cannot rewrite it with certainty (a
/// column name with a dollar sign); on SQLite and MariaDB the texts go as written. Checked by plain SQL on every engine;
/// what Npgsql is handed is checked in <see cref="PostgreSqlPositionalTraceTests"/>.
/// </summary>
public sealed class PositionalPlaceholderTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new ParcelMap(), new LedgerMap());

    [TearDown]
    public ValueTask DisposePremixAsync() => _premix.DisposeAsync();

    [Test]
    public async Task Inserts_updates_and_reads_bind_each_value_to_its_own_placeholder_where_binding_order_differs_from_the_texts()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var parcels = uow.Repository<Parcel>();
            parcels.Add(new Parcel { Id = 1, Label = "a@p0", Weight = 10, Note = "@Weight" });
            parcels.Add(new Parcel { Id = 2, Label = "b", Weight = 20, Note = null });
            parcels.Add(new Parcel { Id = 3, Label = "c", Weight = 30, Note = "$1" });
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var parcel = await uow.Repository<Parcel>().GetAsync(2L); // the update binds its set columns, then key and version
            (parcel.Label, parcel.Weight, parcel.Note) = ("b2", 21, "n@2");
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        await using var hold = await reader.HoldConnectionAsync(); // run twice: on a kept command on SQLite and MariaDB
        var parcels2 = reader.Repository<Parcel>().AsNoTracking();
        var (label, minimum) = ("c", 5);
        var queried = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            queried.AddRange((await parcels2.Query().Where(p => p.Weight > minimum && (p.Label == label || p.Note == "n@2")).OrderBy(p => p.Weight).Skip(1).Take(1).ToListAsync()).Select(p => p.Id));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await RowsAsync(), Is.EqualTo(new[] { "1 a@p0 10 @Weight 0", "2 b2 21 n@2 1", "3 c 30 $1 0" }), "by plain SQL, the version counted from 0");
            Assert.That((await parcels2.GetAsync(1L)).Note, Is.EqualTo("@Weight"));
            Assert.That(queried, Is.EqualTo(new[] { 3L, 3L }), "weight over 5, label c or note n@2, by weight, the second");
        }
    }

    [Test]
    public async Task A_column_named_with_a_dollar_sign_is_written_and_read_by_its_own_values()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Ledger>().Add(new Ledger { Id = 1, Cost = 5m, Memo = "first" });
            uow.Repository<Ledger>().Add(new Ledger { Id = 2, Cost = 7m, Memo = "second" });
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var ledger = await uow.Repository<Ledger>().GetAsync(2L);
            ledger.Cost = 8m;
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        var cost = 6m;
        var found = await reader.Repository<Ledger>().Query().Where(l => l.Cost > cost).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<decimal>($"SELECT {Q("cost$")} FROM {Q("positional_ledgers")} WHERE {Q("Id")} = 2"), Is.EqualTo(8m));
            Assert.That(found.Select(l => (l.Id, l.Memo)), Is.EqualTo(new[] { (2L, "second") }));
        }
    }

    private async Task<string[]> RowsAsync()
    {
        var rows = new List<string>();
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Q("Id")}, {Q("Label")}, {Q("Weight")}, {Q("note@at")}, {Q("Version")} FROM {Q("positional_parcels")} ORDER BY {Q("Id")}";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetInt64(0)} {reader.GetString(1)} {reader.GetInt32(2)} {(reader.IsDBNull(3) ? "null" : reader.GetString(3))} {reader.GetInt32(4)}");
        }

        return [.. rows];
    }
}

public sealed class Parcel
{
    public long Id { get; set; }

    public string Label { get; set; } = "";

    public int Weight { get; set; }

    public string? Note { get; set; }

    public int Version { get; set; }
}

public sealed class ParcelMap : ModelConfiguration<Parcel>
{
    public override void Configure(EntityBuilder<Parcel> e)
    {
        e.ToTable("positional_parcels");
        e.HasKey(p => p.Id).IsClientAssigned();
        e.Property(p => p.Label).HasMaxLength(20);
        e.Property(p => p.Note).HasColumnName("note@at").HasMaxLength(20);
        e.Version(p => p.Version);
    }
}

public sealed class Ledger
{
    public long Id { get; set; }

    public decimal Cost { get; set; }

    public string Memo { get; set; } = "";
}

public sealed class LedgerMap : ModelConfiguration<Ledger>
{
    public override void Configure(EntityBuilder<Ledger> e)
    {
        e.ToTable("positional_ledgers");
        e.HasKey(l => l.Id).IsClientAssigned();
        e.Property(l => l.Cost).HasColumnName("cost$").HasPrecision(10, 2);
        e.Property(l => l.Memo).HasMaxLength(20);
    }
}
