using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A query keeps its last <c>Where</c> apart from its model (issue 17: <c>Where</c> copies no model), so where a
/// <c>Where</c> stands in the chain, before or after another operator or another <c>Where</c>, and whether the query is
/// compiled, must not change the SQL: every <c>Where</c> is one condition after the ones before it, in call order. Each shape
/// is checked against the SQL text written out here, against the rows plain SQL reads, and against the query cache (the
/// same filters and orderings in any order of operators are one entry).
/// </summary>
public sealed class WhereAfterOperatorSqlTests(Engine engine) : PremixTest(engine)
{
    // label == "a", then Weight > 2: the conditions every shape below holds, in that order.
    private static readonly Dictionary<string, (Func<Query<Parcel>, string, int, Query<Parcel>> Shape, string Tail)> Shapes = new()
    {
        ["Where, Where"] = ((q, label, min) => q.Where(p => p.Label == label).Where(p => p.Weight > min), ""),
        ["OrderBy, Where, Where"] = ((q, label, min) => q.OrderBy(p => p.Id).Where(p => p.Label == label).Where(p => p.Weight > min), " ORDER BY {Id}"),
        ["Where, OrderBy, Where"] = ((q, label, min) => q.Where(p => p.Label == label).OrderBy(p => p.Id).Where(p => p.Weight > min), " ORDER BY {Id}"),
        ["Where, Where, OrderBy"] = ((q, label, min) => q.Where(p => p.Label == label).Where(p => p.Weight > min).OrderBy(p => p.Id), " ORDER BY {Id}"),
        ["Where, Take, Where"] = ((q, label, min) => q.Where(p => p.Label == label).Take(10).Where(p => p.Weight > min), " LIMIT @__take"),
        ["Take, Where, Where"] = ((q, label, min) => q.Take(10).Where(p => p.Label == label).Where(p => p.Weight > min), " LIMIT @__take"),
        ["Where, AsNoTracking, Where"] = ((q, label, min) => q.Where(p => p.Label == label).AsNoTracking().Where(p => p.Weight > min), ""),
        ["AsNoTracking, Where, Where"] = ((q, label, min) => q.AsNoTracking().Where(p => p.Label == label).Where(p => p.Weight > min), ""),
        ["Where, Include, Where"] = ((q, label, min) => q.Where(p => p.Label == label).Include(p => p.Straps).Where(p => p.Weight > min), ""),
        ["Include, Where, Where"] = ((q, label, min) => q.Include(p => p.Straps).Where(p => p.Label == label).Where(p => p.Weight > min), ""),
        ["Where, OrderByDescending, ThenBy, Skip, Where, Take"] = (
            (q, label, min) => q.Where(p => p.Label == label).OrderByDescending(p => p.Weight).ThenBy(p => p.Id).Skip(0).Where(p => p.Weight > min).Take(10),
            " ORDER BY {Weight} DESC, {Id} LIMIT @__take OFFSET @__skip"),
    };

    // The same query compiled: its chain runs once on an empty query and its model is read folded.
    private static readonly PremixQuery<Parcel, string, int> Compiled =
        PremixQuery.Compile((Query<Parcel> q, string label, int min) => q.Where(p => p.Label == label).OrderBy(p => p.Id).Where(p => p.Weight > min));

    private IPremix _premix = null!;

    public static IEnumerable<string> ShapeNames => Shapes.Keys;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ParcelMap(), new StrapMap());
        await using var connection = await OpenConnectionAsync();
        var id = 0L;
        foreach (var label in new[] { "a", "b" })
        {
            foreach (var weight in new[] { 1, 5, 9 })
            {
                await connection.ExecuteAsync($"INSERT INTO {Q("fold_parcels")} ({Q("Id")}, {Q("Label")}, {Q("Weight")}) VALUES (@id, @label, @weight)", new { id = ++id, label, weight });
            }
        }
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await _premix.DisposeAsync();

    [TestCaseSource(nameof(ShapeNames))]
    public async Task A_where_anywhere_in_the_chain_is_one_more_condition_after_the_ones_before_it(string name)
    {
        var (shape, tail) = Shapes[name];
        await using var uow = _premix.BeginUnitOfWork();
        var query = shape(uow.Repository<Parcel>().Query(), "a", 2);

        Assert.That(query.ToSqlStatements()[0], Is.EqualTo(Columns("SELECT {Id}, {Label}, {Weight} FROM {fold_parcels} WHERE {Label} = @p0 AND {Weight} > @p1" + tail)), name);
        Assert.That((await query.ToListAsync()).Select(p => p.Id).Order(), Is.EqualTo(await IdsAsync()).And.Not.Empty, name);
    }

    [Test]
    public async Task A_compiled_query_with_a_where_after_an_operator_sends_the_same_sql_and_reads_the_same_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var parcels = uow.Repository<Parcel>();

        Assert.That(Compiled.ToSql(parcels, "a", 2), Is.EqualTo(Columns("SELECT {Id}, {Label}, {Weight} FROM {fold_parcels} WHERE {Label} = @p0 AND {Weight} > @p1 ORDER BY {Id}")));
        Assert.That((await Compiled.ToListAsync(parcels, "a", 2)).Select(p => p.Id), Is.EqualTo(await IdsAsync()));
    }

    [Test]
    public async Task The_same_filters_and_ordering_in_any_order_of_operators_are_one_cache_entry()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        await using var uow = _premix.BeginUnitOfWork();
        var parcels = uow.Repository<Parcel>();
        var label = "a";
        var min = 2;
        await parcels.Query().Where(p => p.Label == label).Where(p => p.Weight > min).OrderBy(p => p.Weight).ToListAsync();
        var entries = cache.Count;

        await parcels.Query().Where(p => p.Label == label).OrderBy(p => p.Weight).Where(p => p.Weight > min).ToListAsync();
        await parcels.Query().OrderBy(p => p.Weight).Where(p => p.Label == label).Where(p => p.Weight > min).ToListAsync();
        await parcels.Query().Where(p => p.Label == label).AsNoTracking().OrderBy(p => p.Weight).Where(p => p.Weight > min).ToListAsync();

        Assert.That(cache.Count, Is.EqualTo(entries));
    }

    private async Task<long[]> IdsAsync()
    {
        await using var connection = await OpenConnectionAsync();
        return [.. await connection.QueryAsync<long>(Columns("SELECT {Id} FROM {fold_parcels} WHERE {Label} = 'a' AND {Weight} > 2 ORDER BY {Id}"))];
    }

    private string Columns(string sql)
    {
        foreach (var identifier in new[] { "Id", "Label", "Weight", "fold_parcels" })
        {
            sql = sql.Replace("{" + identifier + "}", Q(identifier), StringComparison.Ordinal);
        }

        return sql;
    }

    public sealed class Parcel
    {
        public long Id { get; set; }

        public string Label { get; set; } = "";

        public int Weight { get; set; }

        public List<Strap> Straps { get; set; } = [];
    }

    public sealed class Strap
    {
        public long Id { get; set; }

        public long ParcelId { get; set; }
    }

    private sealed class ParcelMap : ModelConfiguration<Parcel>
    {
        public override void Configure(EntityBuilder<Parcel> e)
        {
            e.ToTable("fold_parcels");
            e.HasKey(p => p.Id).IsClientAssigned();
            e.Property(p => p.Label).HasMaxLength(20);
            e.HasMany(p => p.Straps).WithForeignKey(s => s.ParcelId);
        }
    }

    private sealed class StrapMap : ModelConfiguration<Strap>
    {
        public override void Configure(EntityBuilder<Strap> e) => e.ToTable("fold_straps");
    }
}
