using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Enums stored as numbers whose underlying type is not <c>int</c> (<c>sbyte</c>, <c>byte</c>, <c>ushort</c>, <c>uint</c>,
/// <c>ulong</c>) on every engine: each is stored in the signed column that holds every value of its underlying type
/// (<c>ulong</c>: <c>bigint</c>, its values up to <see cref="long.MaxValue"/>), written one row and many rows at a time,
/// updated, read back and compared in queries; the stored numbers are checked through plain SQL (docs/types.md, enums).
/// </summary>
public sealed class EnumUnderlyingTypeTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTableAsync() => _premix = await CreatePremixWithTablesAsync(new DialMap());

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Enums_of_every_underlying_type_keep_their_smallest_and_largest_members_through_a_single_row_insert_and_a_read()
    {
        var low = Dial.Lowest();
        var high = Dial.Highest();
        await CommitAsync(low);
        await CommitAsync(high);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StoredAsync(low), Is.EqualTo(new long?[] { sbyte.MinValue, 0, 0, 0, 0, null, null }));
            Assert.That(await StoredAsync(high), Is.EqualTo(new long?[] { sbyte.MaxValue, byte.MaxValue, ushort.MaxValue, uint.MaxValue, long.MaxValue, uint.MaxValue, long.MaxValue }));
        }

        await using var uow = _premix.BeginUnitOfWork();
        Assert.That(Describe(await uow.Repository<Dial>().GetAsync(low.Id)), Is.EqualTo(Describe(low)));
        Assert.That(Describe(await uow.Repository<Dial>().GetAsync(high.Id)), Is.EqualTo(Describe(high)));
    }

    [Test]
    public async Task Enums_of_every_underlying_type_are_written_by_a_many_row_insert_and_a_many_row_update()
    {
        var dials = new[] { Dial.Lowest(), Dial.Highest(), Dial.Lowest() };
        await CommitAsync(dials);

        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var loaded in await uow.Repository<Dial>().Query().ToListAsync())
            {
                loaded.Tiny = Tiny.Max;
                loaded.Wide = Wide.Max;
                loaded.Big = Big.Max;
                loaded.Huge = Huge.Top;
                loaded.Maybe = null;
            }

            await uow.CommitAsync();
        }

        foreach (var dial in dials)
        {
            Assert.That(await StoredAsync(dial), Is.EqualTo(new long?[] { sbyte.MaxValue, dial.Small == Small.Max ? byte.MaxValue : 0, ushort.MaxValue, uint.MaxValue, long.MaxValue, null, dial.Small == Small.Max ? long.MaxValue : null }));
        }
    }

    [Test]
    public async Task A_query_compares_enums_of_every_underlying_type_by_their_numbers()
    {
        var low = Dial.Lowest();
        var high = Dial.Highest();
        await CommitAsync(low, high);

        await using var uow = _premix.BeginUnitOfWork();
        var dials = uow.Repository<Dial>();
        var bigs = new[] { Big.Max };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await dials.Query().Where(d => d.Tiny == Tiny.Min).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { low.Id }), "sbyte ==");
            Assert.That(await dials.Query().Where(d => d.Small == Small.Max).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { high.Id }), "byte ==");
            Assert.That(await dials.Query().Where(d => d.Wide > Wide.None).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { high.Id }), "ushort >");
            Assert.That(await dials.Query().Where(d => d.Big == Big.Max).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { high.Id }), "uint ==");
            Assert.That(await dials.Query().Where(d => d.Big < Big.Max).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { low.Id }), "uint <");
            Assert.That(await dials.Query().Where(d => d.Huge < Huge.Top).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { low.Id }), "ulong <");
            Assert.That(await dials.Query().Where(d => d.HugeOrNone == Huge.Top).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { high.Id }), "ulong? ==");
            Assert.That(await dials.Query().Where(d => bigs.Contains(d.Big)).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { high.Id }), "uint in a list");
            Assert.That(await dials.Query().Where(d => d.Huge >= Huge.Top).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { high.Id }), "ulong >=");
            Assert.That(await dials.Query().Where(d => d.Maybe == Big.Max).Select(d => d.Id).ToListAsync(), Is.EqualTo(new[] { high.Id }), "uint? ==");
            Assert.That(await dials.Query().Where(d => d.Big == (Big)uint.MaxValue && d.Huge == Huge.None).CountAsync(), Is.Zero, "no row holds both");
        }
    }

    [Test]
    public async Task A_ulong_enum_value_above_the_largest_bigint_is_refused_before_SQL_naming_the_property()
    {
        var error = Assert.ThrowsAsync<ValidationException>(() => CommitAsync(new Dial { Huge = Huge.Beyond, HugeOrNone = Huge.Beyond }))!;

        Assert.That(error.Failures.Select(f => f.ToString()), Has.Exactly(1).StartsWith(
            "Dial (new, position 1 in the commit).Huge: is Beyond (18446744073709551615), above 9223372036854775807, the largest number its column (a signed 64-bit integer) keeps.")
            .And.Exactly(1).StartsWith("Dial (new, position 1 in the commit).HugeOrNone: is Beyond (18446744073709551615), above"), "a nullable one too");
        Assert.That(await CountRowsAsync(DialMap.Table), Is.Zero, "nothing was written");
        await using var uow = _premix.BeginUnitOfWork();
        Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), async () => await uow.Repository<Dial>().Query().Where(d => d.Huge == Huge.Beyond).CountAsync(), "nor compared with in a query");
        Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), async () => await uow.Repository<Dial>().Query().Where(d => d.HugeOrNone == Huge.Beyond).CountAsync(), "nor a nullable one");
    }

    // Before these enums were stored as long, SQLite kept a ulong above long.MaxValue as its two's complement (the driver binds
    // a ulong so): such a row, or one written by hand, is read back with the same bits, and saving other changes keeps it.
    [Test]
    public async Task A_ulong_enum_value_stored_as_a_negative_number_is_read_back_by_its_bits_and_kept_when_other_columns_change()
    {
        await ExecuteAsync($"INSERT INTO {Q(DialMap.Table)} ({Q("Tiny")}, {Q("Small")}, {Q("Wide")}, {Q("Big")}, {Q("Huge")}, {Q("HugeOrNone")}) VALUES (0, 0, 0, 0, -1, -1)");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var dial = (await uow.Repository<Dial>().Query().ToListAsync()).Single();
            Assert.That((dial.Huge, dial.HugeOrNone), Is.EqualTo((Huge.Beyond, (Huge?)Huge.Beyond)));
            dial.Tiny = Tiny.Max;
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<long>($"SELECT {Q("Tiny")} * 1000 + {Q("Huge")} + {Q("HugeOrNone")} FROM {Q(DialMap.Table)}"), Is.EqualTo((sbyte.MaxValue * 1000) - 2),
            "the other change written, both numbers kept");
    }

    private static string Describe(Dial dial) => $"{dial.Tiny} {dial.Small} {dial.Wide} {dial.Big} {dial.Huge} {dial.Maybe}";

    private async Task CommitAsync(params Dial[] dials)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var dial in dials)
        {
            uow.Repository<Dial>().Add(dial);
        }

        await uow.CommitAsync();
    }

    // The numbers the columns hold, through plain SQL.
    private async Task<long?[]> StoredAsync(Dial dial)
    {
        await using var connection = await OpenConnectionAsync();
        var row = (IDictionary<string, object?>)(await connection.QuerySingleAsync(
            $"SELECT {Q("Tiny")}, {Q("Small")}, {Q("Wide")}, {Q("Big")}, {Q("Huge")}, {Q("Maybe")}, {Q("HugeOrNone")} FROM {Q(DialMap.Table)} WHERE {Q("Id")} = @id", new { id = dial.Id }));
        return [.. row.Values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))];
    }
}

public enum Tiny : sbyte { Min = sbyte.MinValue, None = 0, Max = sbyte.MaxValue }

public enum Small : byte { None = 0, Max = byte.MaxValue }

public enum Wide : ushort { None = 0, Max = ushort.MaxValue }

public enum Big : uint { None = 0, Max = uint.MaxValue }

public enum Huge : ulong { None = 0, Top = long.MaxValue, Beyond = ulong.MaxValue }

/// <summary>One enum property per underlying type that is not <c>int</c>.</summary>
public sealed class Dial
{
    public long Id { get; set; }

    public Tiny Tiny { get; set; }

    public Small Small { get; set; }

    public Wide Wide { get; set; }

    public Big Big { get; set; }

    public Huge Huge { get; set; }

    public Big? Maybe { get; set; }

    public Huge? HugeOrNone { get; set; }

    public static Dial Lowest() => new() { Tiny = Tiny.Min };

    public static Dial Highest() => new() { Tiny = Tiny.Max, Small = Small.Max, Wide = Wide.Max, Big = Big.Max, Huge = Huge.Top, Maybe = Big.Max, HugeOrNone = Huge.Top };
}

public sealed class DialMap : ModelConfiguration<Dial>
{
    public const string Table = "dials";

    public override void Configure(EntityBuilder<Dial> e) => e.ToTable(Table);
}
