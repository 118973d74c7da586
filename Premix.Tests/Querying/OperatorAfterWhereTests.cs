using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A query keeps its last <c>Where</c> apart from its model until another operator copies the model (issue 17: a query
/// written in place copies nothing on <c>Where</c>), and every operator must fold it into its copy. Each operator is called
/// after a <c>Where</c> on a label, on rows of two labels that each of the entity's filters (tenant column, soft delete, a
/// named filter) would otherwise let through: a dropped <c>Where</c> reads the other label's rows. The expected rows are
/// read with plain SQL.
/// </summary>
public sealed class OperatorAfterWhereTests(Engine engine) : PremixTest(engine)
{
    private const string Acme = "acme";

    private static readonly Dictionary<string, (Func<Query<Crate>, Query<Crate>> Then, string Where)> Operators = new()
    {
        ["Where"] = (q => q.Where(c => c.Id > 0), Visible),
        ["Skip"] = (q => q.Skip(0), Visible),
        ["Take"] = (q => q.Take(10), Visible),
        ["OrderBy"] = (q => q.OrderBy(c => c.Id), Visible),
        ["OrderByDescending"] = (q => q.OrderByDescending(c => c.Id), Visible),
        ["ThenBy"] = (q => q.ThenBy(c => c.Id), Visible),
        ["ThenByDescending"] = (q => q.ThenByDescending(c => c.Id), Visible),
        ["AsNoTracking"] = (q => q.AsNoTracking(), Visible),
        ["AllowUnsafe"] = (q => q.AllowUnsafe(), Visible),
        ["Include"] = (q => q.Include(c => c.Slats), Visible),
        ["WithDeleted"] = (q => q.WithDeleted(), "{TenantId} = 'acme' AND {Weight} < 100"),
        ["OnlyDeleted"] = (q => q.OnlyDeleted(), "{TenantId} = 'acme' AND {Weight} < 100 AND {DeletedAt} IS NOT NULL"),
        ["IgnoreQueryFilter"] = (q => q.IgnoreQueryFilter("light"), "{TenantId} = 'acme' AND {DeletedAt} IS NULL"),
        ["IgnoreQueryFilters"] = (q => q.IgnoreQueryFilters(), "{TenantId} = 'acme'"),
        ["AcrossTenants"] = (q => q.AcrossTenants(), "{Weight} < 100 AND {DeletedAt} IS NULL"),
    };

    // The rows the entity's filters let through for tenant acme: not deleted, light.
    private const string Visible = "{TenantId} = 'acme' AND {Weight} < 100 AND {DeletedAt} IS NULL";

    private IPremix _premix = null!;

    public static IEnumerable<string> OperatorNames => Operators.Keys;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        // The shared tables are made untenanted (docs/multi-tenancy.md: a tenant column's tables are migrated once that way).
        await (await CreatePremixWithTablesAsync(new CrateMap(), new SlatMap())).DisposeAsync();

        _premix = CreatePremix(p => p.AddModelConfiguration(new CrateMap()).AddModelConfiguration(new SlatMap()).UseTenants(t => t.TenantColumn()));
        await using var connection = await OpenConnectionAsync();
        var deleted = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var id = 0L;
        foreach (var label in new[] { "kept", "other" })
        {
            foreach (var (tenant, weight, deletedAt) in new (string, int, DateTime?)[] { (Acme, 10, null), (Acme, 500, null), (Acme, 10, deleted), ("globex", 10, null) })
            {
                await connection.ExecuteAsync(
                    $"INSERT INTO {Q("kept_crates")} ({Q("Id")}, {Q("Label")}, {Q("Weight")}, {Q("TenantId")}, {Q("DeletedAt")}) VALUES (@id, @label, @weight, @tenant, @deletedAt)",
                    new { id = ++id, label, weight, tenant, deletedAt });
            }
        }
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await _premix.DisposeAsync();

    [TestCaseSource(nameof(OperatorNames))]
    public async Task An_operator_after_a_where_reads_only_the_rows_the_where_keeps(string name)
    {
        var (then, where) = Operators[name];
        var label = "kept"; // captured, as in application code
        using var _ = PremixTenant.Begin(Acme);
        await using var uow = _premix.BeginUnitOfWork();

        var read = await then(uow.Repository<Crate>().Query().Where(c => c.Label == label)).ToListAsync();

        await using var connection = await OpenConnectionAsync();
        var expected = await connection.QueryAsync<long>(
            $"SELECT {Q("Id")} FROM {Q("kept_crates")} WHERE {Q("Label")} = 'kept' AND {Quoted(where)} ORDER BY {Q("Id")}");
        Assert.That(read.Select(c => c.Id).Order(), Is.EqualTo(expected).And.Not.Empty, $"Where(...).{name}()");
    }

    private string Quoted(string where)
    {
        foreach (var column in new[] { "TenantId", "Weight", "DeletedAt" })
        {
            where = where.Replace("{" + column + "}", Q(column), StringComparison.Ordinal);
        }

        return where;
    }

    public sealed class Crate
    {
        public long Id { get; set; }

        public string Label { get; set; } = "";

        public int Weight { get; set; }

        public string? TenantId { get; set; }

        public DateTime? DeletedAt { get; set; }

        public List<Slat> Slats { get; set; } = [];
    }

    public sealed class Slat
    {
        public long Id { get; set; }

        public long CrateId { get; set; }
    }

    private sealed class CrateMap : ModelConfiguration<Crate>
    {
        public override void Configure(EntityBuilder<Crate> e)
        {
            e.ToTable("kept_crates");
            e.HasKey(c => c.Id).IsClientAssigned();
            e.Property(c => c.Label).HasMaxLength(20);
            e.Property(c => c.TenantId).HasMaxLength(20);
            e.HasTenantColumn(c => c.TenantId);
            e.SoftDelete(c => c.DeletedAt);
            e.HasQueryFilter("light", c => c.Weight < 100);
            e.HasMany(c => c.Slats).WithForeignKey(s => s.CrateId);
        }
    }

    private sealed class SlatMap : ModelConfiguration<Slat>
    {
        public override void Configure(EntityBuilder<Slat> e) => e.ToTable("kept_slats");
    }
}
