using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// Property-style: generated strings full of SQL and LIKE syntax, quotes, unicode and emoji, stored and then looked
/// for in every filter position. Each query must match exactly the rows the same question asked in C# (ordinal)
/// matches: a value is only ever a parameter, and LIKE wildcards in it are only ever literal.
/// </summary>
public sealed class HostileStringTests(Engine engine) : PremixTest(engine)
{
    // Fixed so a failure reproduces; the message names the probe that failed.
    private const int GeneratorSeed = 20261129;

    // Letters are lower case, no accented letter's base letter occurs, there is one supplementary character and no
    // fragment starts or ends with a space: SQLite's LIKE ignores ASCII case and MariaDB's default collation ignores
    // case, accents and trailing spaces and weighs every emoji alike, so otherwise different strings would match
    // there by design (docs/queries.md, "Strings and collations"; the last test below pins that behaviour).
    private static readonly string[] Fragments =
    [
        "'", "''", "\"", "`", "%", "_", "\\", "!", "!%", "[", "]", "^", ";", "--", "/*", "*/",
        "@p0", "$1", ":x", "?", "a", "b", "x y", "ï", "ñ", "日本", "😀", "' or '1'='1", "); drop table products; --",
    ];

    private static readonly IReadOnlyList<string> Stored = Generate(count: 24, maxFragments: 4, new Random(GeneratorSeed));

    private IPremix _premix = null!;
    private IUnitOfWork _uow = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ProductMap());
        await using (var seed = _premix.BeginUnitOfWork())
        {
            foreach (var name in Stored)
            {
                seed.Repository<Product>().Add(new Product { Name = name, Price = 1m, Secret = name.Length <= 50 ? name : null });
            }

            await seed.CommitAsync();
        }

        _uow = _premix.BeginUnitOfWork();
    }

    [TearDown]
    public async Task DisposeAsync() => await _uow.DisposeAsync();

    private Query<Product> Products => _uow.Repository<Product>().Query().AsNoTracking();

    [Test]
    public async Task Stored_hostile_strings_read_back_unchanged()
    {
        var names = await Products.Select(p => p.Name).ToListAsync();

        Assert.That(names, Is.EquivalentTo(Stored));
    }

    [Test]
    public async Task Every_filter_position_matches_exactly_what_CSharp_matches()
    {
        foreach (var probe in Probes())
        {
            await AssertMatchesAsync(probe, "==", Products.Where(p => p.Name == probe), n => n == probe);
            await AssertMatchesAsync(probe, "reversed ==", Products.Where(p => probe == p.Name), n => n == probe);
            await AssertMatchesAsync(probe, "!=", Products.Where(p => p.Name != probe), n => n != probe);
            await AssertMatchesAsync(probe, "StartsWith", Products.Where(p => p.Name.StartsWith(probe)), n => n.StartsWith(probe, StringComparison.Ordinal));
            await AssertMatchesAsync(probe, "EndsWith", Products.Where(p => p.Name.EndsWith(probe)), n => n.EndsWith(probe, StringComparison.Ordinal));
            await AssertMatchesAsync(probe, "Contains", Products.Where(p => p.Name.Contains(probe)), n => n.Contains(probe, StringComparison.Ordinal));
            await AssertMatchesAsync(probe, "nullable ||", Products.Where(p => p.Secret == probe || p.Name == probe + "!"), n => (n.Length <= 50 && n == probe) || n == probe + "!");
        }
    }

    [Test]
    public async Task A_list_of_hostile_strings_becomes_IN_and_matches_its_members_only()
    {
        var probes = Probes().ToList();

        await AssertMatchesAsync("(the whole probe list)", "IN", Products.Where(p => probes.Contains(p.Name)), probes.Contains);
    }

    [Test]
    public async Task A_hostile_string_is_written_by_a_bulk_update_as_a_value()
    {
        var hostile = "'; DELETE FROM products; -- 😀 %_\\";
        var target = Stored[0];

        var updated = await Products.Where(p => p.Name == target).UpdateAllAsync(s => s.Set(p => p.Secret, hostile));
        await _uow.CommitAsync();

        Assert.That(updated, Is.EqualTo(1));
        Assert.That(await Products.Where(p => p.Secret == hostile).Select(p => p.Name).ToListAsync(), Is.EqualTo(new[] { target }));
        Assert.That(await CountRowsAsync("products"), Is.EqualTo(Stored.Count));
    }

    [Test]
    public async Task String_comparisons_follow_the_database_collation()
    {
        await using (var seed = _premix.BeginUnitOfWork())
        {
            seed.Repository<Product>().Add(new Product { Name = "Kite", Price = 1m });
            await seed.CommitAsync();
        }

        var equalIgnoringCase = await Products.Where(p => p.Name == "KITE").CountAsync();
        var prefixIgnoringCase = await Products.Where(p => p.Name.StartsWith("KI")).CountAsync();

        // As documented in docs/queries.md: PostgreSQL is case-sensitive throughout; SQLite's = is, its LIKE is not for
        // ASCII letters; MariaDB's default utf8mb4_unicode_ci ignores case (and accents) in both.
        var expected = Engine switch
        {
            Engine.PostgreSql => (0, 0),
            Engine.Sqlite => (0, 1),
            _ => (1, 1),
        };
        Assert.That((equalIgnoringCase, prefixIgnoringCase), Is.EqualTo(expected));
    }

    private async Task AssertMatchesAsync(string probe, string position, Query<Product> query, Func<string, bool> expected)
    {
        var names = await query.Select(p => p.Name).ToListAsync();

        Assert.That(names, Is.EquivalentTo(Stored.Where(expected)), $"{position} with probe «{probe}» ({query.ToSql()})");
    }

    // Every stored string, pieces of them (so prefixes, suffixes and infixes hit), and strings that are not stored.
    private static IEnumerable<string> Probes()
    {
        var random = new Random(GeneratorSeed + 1);
        var probes = new HashSet<string>(StringComparer.Ordinal) { "" };
        foreach (var name in Stored)
        {
            probes.Add(name);
            var start = random.Next(name.Length);
            var length = random.Next(1, name.Length - start + 1);
            if (!char.IsSurrogate(name[start]) && !char.IsSurrogate(name[start + length - 1]))
            {
                probes.Add(name.Substring(start, length));
            }
        }

        probes.UnionWith(Fragments);
        probes.UnionWith(Generate(count: 8, maxFragments: 3, random));
        return probes;
    }

    private static List<string> Generate(int count, int maxFragments, Random random)
    {
        var generated = new HashSet<string>(StringComparer.Ordinal);
        while (generated.Count < count)
        {
            var parts = Enumerable.Range(0, random.Next(1, maxFragments + 1)).Select(_ => Fragments[random.Next(Fragments.Length)]);
            var text = string.Concat(parts);
            if (text.Length <= 100)
            {
                generated.Add(text); // the mapped maximum length of Product.Name
            }
        }

        return [.. generated];
    }
}
