using Dapper;
using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// An include's parent keys go to the children's query typed where they can (an <c>int</c> or a <see cref="Guid"/> key,
/// never boxed) and boxed otherwise (a <c>string</c> key): every key type gives each parent exactly the children plain SQL
/// joins to it, a child whose foreign key is null goes to none, and the statement's logged parameters show the keys. The
/// other direction (the parent of each child, BelongsTo) numbers the children's foreign keys the same way.
/// </summary>
public sealed class IncludeKeyTypesTests(Engine engine) : PlainSqlIncludeTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new IntBinMap(), new IntPartMap(), new GuidBinMap(), new GuidPartMap(), new CodeBinMap(), new CodePartMap());
        await using var uow = _premix.BeginUnitOfWork();
        for (var b = 0; b < 5; b++)
        {
            var intBin = new IntBin { Name = $"bin {b}" };
            var guidBin = new GuidBin { Id = Guid.NewGuid(), Name = $"bin {b}" };
            var codeBin = new CodeBin { Code = $"C{b}", Name = $"bin {b}" };
            for (var p = 0; p < b % 3; p++)
            {
                intBin.Parts.Add(new IntPart { Label = $"part {b}.{p}" });
                guidBin.Parts.Add(new GuidPart { Label = $"part {b}.{p}" });
                codeBin.Parts.Add(new CodePart { Label = $"part {b}.{p}" });
            }

            uow.Repository<IntBin>().Add(intBin);
            uow.Repository<GuidBin>().Add(guidBin);
            uow.Repository<CodeBin>().Add(codeBin);
        }

        uow.Repository<GuidPart>().Add(new GuidPart { Label = "loose" }); // no bin: its foreign key is null
        await uow.CommitAsync();
    }

    [Test]
    public async Task An_include_by_an_int_key_gives_each_parent_exactly_its_children_and_logs_the_keys()
    {
        var expected = await ExpectedAsync("int_bins", "Id", "int_parts", "IntBinId");
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var bins = await uow.Repository<IntBin>().Query().AsNoTracking().OrderBy(b => b.Id).Include(b => b.Parts).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe(bins.Select(b => (b.Name, b.Parts.Select(p => p.Label)))), Is.EqualTo(expected));
            Assert.That(queries.Statements[1].ParametersText, Does.Contain(string.Join(", ", bins.Select(b => b.Id))), "the keys, in the parents' order");
        }
    }

    [Test]
    public async Task An_include_by_a_guid_key_gives_each_parent_exactly_its_children_and_none_the_child_without_one()
    {
        var expected = await ExpectedAsync("guid_bins", "Id", "guid_parts", "GuidBinId");
        await using var uow = _premix.BeginUnitOfWork();

        var bins = await uow.Repository<GuidBin>().Query().Include(b => b.Parts).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Describe(bins.Select(b => (b.Name, b.Parts.Select(p => p.Label)))), Is.EqualTo(expected));
            Assert.That(bins.SelectMany(b => b.Parts).Select(p => p.Label), Does.Not.Contain("loose"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("guid_parts")} WHERE {Q("GuidBinId")} IS NULL"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task An_include_by_a_string_key_gives_each_parent_exactly_its_children()
    {
        var expected = await ExpectedAsync("code_bins", "Code", "code_parts", "CodeBinCode");
        await using var uow = _premix.BeginUnitOfWork();

        var bins = await uow.Repository<CodeBin>().Query().AsNoTracking().Include(b => b.Parts).ToListAsync();

        Assert.That(Describe(bins.Select(b => (b.Name, b.Parts.Select(p => p.Label)))), Is.EqualTo(expected));
    }

    [Test]
    public async Task An_include_of_the_parent_by_an_int_key_gives_each_child_its_parent_and_each_parent_its_children()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var parts = await uow.Repository<IntPart>().Query().AsNoTracking().OrderBy(p => p.Id).Include(p => p.Bin).ToListAsync();

        await AssertParentsAsync(parts.Select(p => (p.Label, (object?)p.Bin, p.Bin?.Name)), parts.Select(p => p.Bin).OfType<IntBin>().Distinct().Select(b => (b.Name, b.Parts.Select(p => p.Label), b.Parts.All(p => p.Bin == b))), "int_bins", "Id", "int_parts", "IntBinId");
        Assert.That(queries.Statements[1].ParametersText, Does.Contain(string.Join(", ", parts.Select(p => p.IntBinId).Distinct())), "each foreign key once, in the children's order");
    }

    [Test]
    public async Task An_include_of_the_parent_by_a_guid_key_gives_each_child_its_parent_and_none_the_child_without_one()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var parts = await uow.Repository<GuidPart>().Query().OrderBy(p => p.Id).Include(p => p.Bin).ToListAsync();

        await AssertParentsAsync(parts.Select(p => (p.Label, (object?)p.Bin, p.Bin?.Name)), parts.Select(p => p.Bin).OfType<GuidBin>().Distinct().Select(b => (b.Name, b.Parts.Select(p => p.Label), b.Parts.All(p => p.Bin == b))), "guid_bins", "Id", "guid_parts", "GuidBinId");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parts.Single(p => p.Label == "loose").Bin, Is.Null);
            Assert.That(queries.Statements[1].ParametersText, Does.Contain(parts.First(p => p.GuidBinId is not null).GuidBinId!.Value.ToString()).IgnoreCase, "the keys are logged");
        }
    }

    [Test]
    public async Task An_include_of_the_parent_by_a_string_key_gives_each_child_its_parent()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var parts = await uow.Repository<CodePart>().Query().AsNoTracking().Include(p => p.Bin).ToListAsync();

        await AssertParentsAsync(parts.Select(p => (p.Label, (object?)p.Bin, p.Bin?.Name)), parts.Select(p => p.Bin).OfType<CodeBin>().Distinct().Select(b => (b.Name, b.Parts.Select(p => p.Label), b.Parts.All(p => p.Bin == b))), "code_bins", "Code", "code_parts", "CodeBinCode");
    }

    // Each child's parent as plain SQL joins it (none for a null key); each parent read once, with exactly the children
    // plain SQL gives it, each of them pointing back at it.
    private async Task AssertParentsAsync(IEnumerable<(string Label, object? Parent, string? Name)> children, IEnumerable<(string Name, IEnumerable<string> Children, bool PointBack)> parents, string parentTable, string key, string childTable, string foreignKey)
    {
        await using var connection = await OpenConnectionAsync();
        var expectedParents = (await connection.QueryAsync<(string Label, string? Name)>(
            $"SELECT c.{Q("Label")}, p.{Q("Name")} FROM {Q(childTable)} c LEFT JOIN {Q(parentTable)} p ON p.{Q(key)} = c.{Q(foreignKey)}"))
            .Select(r => $"{r.Label}->{r.Name}").Order(StringComparer.Ordinal);
        var rows = await connection.QueryAsync<(string Parent, string Label)>(
            $"SELECT p.{Q("Name")}, c.{Q("Label")} FROM {Q(childTable)} c JOIN {Q(parentTable)} p ON p.{Q(key)} = c.{Q(foreignKey)}");
        var named = rows.Select(r => r.Parent).Distinct();
        var read = parents.ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(children.Select(c => $"{c.Label}->{c.Name}").Order(StringComparer.Ordinal), Is.EqualTo(expectedParents), "each child's parent");
            Assert.That(Describe(read.Select(p => (p.Name, p.Children))), Is.EqualTo(Describe(named.Select(n => (n, rows.Where(r => r.Parent == n).Select(r => r.Label))))), "each parent once, with its own children");
            Assert.That(read.All(p => p.PointBack), Is.True, "every child points back at the parent holding it");
        }
    }

    public sealed class IntBin
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";

        public List<IntPart> Parts { get; set; } = [];
    }

    public sealed class IntPart
    {
        public int Id { get; set; }

        public int IntBinId { get; set; }

        public string Label { get; set; } = "";

        public IntBin? Bin { get; set; }
    }

    public sealed class GuidBin
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = "";

        public List<GuidPart> Parts { get; set; } = [];
    }

    public sealed class GuidPart
    {
        public long Id { get; set; }

        public Guid? GuidBinId { get; set; }

        public string Label { get; set; } = "";

        public GuidBin? Bin { get; set; }
    }

    public sealed class CodeBin
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public List<CodePart> Parts { get; set; } = [];
    }

    public sealed class CodePart
    {
        public long Id { get; set; }

        public string CodeBinCode { get; set; } = "";

        public string Label { get; set; } = "";

        public CodeBin? Bin { get; set; }
    }

    private sealed class IntBinMap : ModelConfiguration<IntBin>
    {
        public override void Configure(EntityBuilder<IntBin> e)
        {
            e.ToTable("int_bins");
            e.Property(b => b.Name).HasMaxLength(20);
            e.HasMany(b => b.Parts).WithForeignKey(p => p.IntBinId);
        }
    }

    private sealed class IntPartMap : ModelConfiguration<IntPart>
    {
        public override void Configure(EntityBuilder<IntPart> e)
        {
            e.ToTable("int_parts");
            e.BelongsTo(p => p.Bin).WithForeignKey(p => p.IntBinId);
            e.Property(p => p.Label).HasMaxLength(20);
        }
    }

    private sealed class GuidBinMap : ModelConfiguration<GuidBin>
    {
        public override void Configure(EntityBuilder<GuidBin> e)
        {
            e.ToTable("guid_bins");
            e.HasKey(b => b.Id).IsClientAssigned();
            e.Property(b => b.Name).HasMaxLength(20);
            e.HasMany(b => b.Parts).WithForeignKey(p => p.GuidBinId);
        }
    }

    private sealed class GuidPartMap : ModelConfiguration<GuidPart>
    {
        public override void Configure(EntityBuilder<GuidPart> e)
        {
            e.ToTable("guid_parts");
            e.BelongsTo(p => p.Bin).WithForeignKey(p => p.GuidBinId);
            e.Property(p => p.Label).HasMaxLength(20);
        }
    }

    private sealed class CodeBinMap : ModelConfiguration<CodeBin>
    {
        public override void Configure(EntityBuilder<CodeBin> e)
        {
            e.ToTable("code_bins");
            e.HasKey(b => b.Code).IsClientAssigned();
            e.Property(b => b.Code).HasMaxLength(10);
            e.Property(b => b.Name).HasMaxLength(20);
            e.HasMany(b => b.Parts).WithForeignKey(p => p.CodeBinCode);
        }
    }

    private sealed class CodePartMap : ModelConfiguration<CodePart>
    {
        public override void Configure(EntityBuilder<CodePart> e)
        {
            e.ToTable("code_parts");
            e.BelongsTo(p => p.Bin).WithForeignKey(p => p.CodeBinCode);
            e.Property(p => p.CodeBinCode).HasMaxLength(10);
            e.Property(p => p.Label).HasMaxLength(20);
        }
    }
}
