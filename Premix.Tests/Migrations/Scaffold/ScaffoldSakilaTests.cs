using System.Diagnostics;
using System.Reflection;
using Dapper;
using Npgsql;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;
using Premix.Tests.Sakila;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// Scaffolds the Sakila database (datasets/sakila), a schema made elsewhere with what real ones have: views, a cycle of
/// required parents (store and staff), a FULLTEXT index, enums, sets, a year type, PostgreSQL domains, arrays and
/// inherited tables without keys. The scaffolded code must compile, start, read every table and view with the counts of
/// <c>count(*)</c>, and sync into an empty database with nothing left to differ.
/// </summary>
public sealed class ScaffoldSakilaTests(Engine engine) : ProviderTest(engine)
{
    private Assembly _assembly = null!;
    private Dictionary<string, string> _files = [];

    // The row counts of datasets/sakila/README.md, the same on every engine (PostgreSQL's port has no film_text).
    private static readonly Dictionary<string, long> DatasetCounts = new()
    {
        ["actor"] = 200, ["address"] = 603, ["category"] = 16, ["city"] = 600, ["country"] = 109, ["customer"] = 599, ["film"] = 1000,
        ["film_actor"] = 5462, ["film_category"] = 1000, ["film_text"] = 1000, ["inventory"] = 4581, ["language"] = 6, ["payment"] = 16049,
        ["rental"] = 16044, ["staff"] = 2, ["store"] = 2,
    };

    private static readonly string[] Views = ["actor_info", "customer_list", "film_list", "nicer_but_slower_film_list", "sales_by_film_category", "sales_by_store", "staff_list"];

    // Every table and view of the engine's port, with the class it gets: singular PascalCase, numbered partitions kept.
    private Dictionary<string, string> Classes => Engine switch
    {
        Engine.PostgreSql => Common(withFilmText: false, Views)
            .Concat(Enumerable.Range(1, 6).Select(m => ($"payment_p2007_0{m}", $"PaymentP20070{m}"))).ToDictionary(),
        Engine.MySql => Common(withFilmText: true, Views).ToDictionary(),
        _ => Common(withFilmText: true, ["customer_list", "film_list", "sales_by_film_category", "sales_by_store", "staff_list"]).ToDictionary(),
    };

    [OneTimeSetUp]
    public async Task LoadScaffoldAndCompileAsync()
    {
        var load = Stopwatch.StartNew();
        // pg_dump's script SETs session settings (search_path, check_function_bodies, ...): on PostgreSQL it runs on a session
        // of its own, straight to the server and outside any pool, which ends with it instead of reaching the tests through PgBouncer.
        var loadOn = Engine == Engine.PostgreSql
            ? new NpgsqlConnectionStringBuilder(TestEnvironment.RequireAdminConnectionString(Engine)) { Database = DatabaseName, Pooling = false }.ConnectionString
            : ConnectionString;
        await SakilaDatabase.LoadAsync(Engine, loadOn);
        await TestContext.Progress.WriteLineAsync($"Sakila loaded on {Engine} in {load.ElapsedMilliseconds} ms");

        var files = await Scaffolder.ScaffoldAsync(Provider, new ScaffoldOptions { Namespace = $"Scaffolded.Sakila.{Engine}" });
        _files = files.ToDictionary(f => f.FileName, f => f.Content);
        _assembly = await ScaffoldedAssembly.CompileAsync($"premix_scaffold_sakila_{Engine}_{Guid.NewGuid():N}", files);
    }

    [Test]
    public void Every_table_and_view_gets_a_class_and_every_table_with_a_key_a_map()
    {
        var keyless = Classes.Where(c => Views.Contains(c.Key) || c.Key.StartsWith("payment_p", StringComparison.Ordinal)).Select(c => c.Value);

        var enums = Engine == Engine.PostgreSql ? new[] { "MpaaRating.cs" } : []; // the enum type of film.rating
        Assert.That(_files.Keys, Is.EquivalentTo(Classes.Values.Select(c => c + ".cs").Concat(Classes.Values.Except(keyless).Select(c => c + "Map.cs")).Concat(enums)));
    }

    [Test]
    public async Task Every_table_and_view_reads_through_its_class_with_the_count_of_count_star()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));
        var counted = new Dictionary<string, long>();
        var listed = new Dictionary<string, long>();
        await using (var uow = premix.BeginUnitOfWork())
        {
            foreach (var (table, className) in Classes)
            {
                var type = _assembly.GetExportedTypes().Single(t => t.Name == className);
                if (premix.Model.Find(type) is not null)
                {
                    (counted[table], listed[table]) = await (Task<(long, long)>)ReadMethod.MakeGenericMethod(type).Invoke(null, [uow])!;
                }
                else
                {
                    // A view or a table without a key: read with the SELECT its class carries.
                    var select = (string)type.GetField("SelectSql")!.GetRawConstantValue()!;
                    listed[table] = await (Task<long>)FetchMethod.MakeGenericMethod(type).Invoke(null, [premix, select])!;
                }
            }
        }

        var counts = await CountStarAsync(Classes.Keys);
        Assert.That(counts.Where(c => DatasetCounts.ContainsKey(c.Key)), Is.EquivalentTo(DatasetCounts.Where(c => Classes.ContainsKey(c.Key))), "the loaded data, through plain SQL");
        Assert.That(listed, Is.EquivalentTo(counts), "every row of every table and view, read through its class");
        Assert.That(counted, Is.EquivalentTo(counts.Where(c => counted.ContainsKey(c.Key))), "CountAsync of the mapped tables");
    }

    [Test]
    public async Task Scaffolded_model_against_the_database_it_was_scaffolded_from_has_no_difference()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));

        var diff = await premix.DiffAsync();

        Assert.That(diff.Operations.Select(o => o.Description), Is.Empty);
    }

    [Test]
    public async Task Scaffolded_model_synced_into_an_empty_database_leaves_no_difference()
    {
        await using var empty = await EmptyDatabase.CreateAsync(Engine);

        await empty.AssertSyncLeavesNoDifferenceAsync(_assembly);
    }

    [Test]
    public void The_store_staff_cycle_is_broken_at_the_managers_foreign_key_which_stays_a_plain_property_without_navigations()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));
        var store = _assembly.GetExportedTypes().Single(t => t.Name == "Store");
        var staff = _assembly.GetExportedTypes().Single(t => t.Name == "Staff");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Relations(premix, "Store"), Is.EquivalentTo(new[] { "BelongsTo Address -> AddressId", "HasMany Customers -> StoreId", "HasMany Inventories -> StoreId", "HasMany Staffs -> StoreId" }));
            Assert.That(Relations(premix, "Staff"), Does.Contain("BelongsTo Store -> StoreId").And.Not.Contain("HasMany Stores -> ManagerStaffId"));
            Assert.That(store.GetProperty("ManagerStaffId"), Is.Not.Null, "the foreign key stays, as a plain property");
            Assert.That(store.GetProperty("ManagerStaff"), Is.Null, "without its reference navigation");
            Assert.That(staff.GetProperty("Stores"), Is.Null, "nor the collection on the other side");
            Assert.That(_files["StoreMap.cs"], Does.Contain("is not mapped as a relation: it closes a cycle of required parents (store -> staff -> store), for which no insert order exists. ManagerStaffId stays a plain property, without navigations: set it once both rows exist."));
        }
    }

    [Test]
    public void Engine_specific_types_are_mapped_or_listed_with_what_they_are()
    {
        var film = _files["Film.cs"];
        var map = _files["FilmMap.cs"];
        using (Assert.EnterMultipleScope())
        {
            switch (Engine)
            {
                case Engine.MySql:
                    Assert.That(film, Does.Contain("public int? ReleaseYear { get; set; }").And.Contain("public string? Rating { get; set; }").And.Contain("public string? SpecialFeatures { get; set; }"));
                    Assert.That(map, Does.Contain(".HasColumnName(\"release_year\").HasColumnType(\"year(4)\");"));
                    Assert.That(map, Does.Contain(".HasColumnName(\"rating\").HasColumnType(\"enum('G','PG','PG-13','R','NC-17')\").HasDefaultValueSql(\"'G'\");"));
                    Assert.That(map, Does.Contain(".HasColumnName(\"special_features\").HasColumnType(\"set('Trailers','Commentaries','Deleted Scenes','Behind the Scenes')\");"));
                    Assert.That(film, Does.Contain("// The column last_update (timestamp) is left out: a DateTime property LastUpdate would be refused at startup: it is a DateTime on a timestamp column; MySQL keeps date-times exactly only in DATETIME (TIMESTAMP converts each value through the session's time_zone); to map it, use HasColumnType(\"DATETIME(6)\")"));
                    Assert.That(map, Does.Contain("e.HasUnmappedColumn(\"last_update\");"));
                    break;
                case Engine.PostgreSql:
                    Assert.That(film, Does.Contain("/// <summary>The column <c>release_year</c>: <c>integer</c> (the domain <c>year</c>).</summary>\n    public int? ReleaseYear { get; set; }"));
                    Assert.That(film, Does.Contain("public MpaaRating? Rating { get; set; }").And.Contain("public string[]? SpecialFeatures { get; set; }"));
                    Assert.That(map, Does.Contain("e.Property(x => x.Rating).HasColumnName(\"rating\").StoredAsEnumType(\"mpaa_rating\").HasDefaultValueSql(\"'G'::mpaa_rating\");"));
                    Assert.That(map, Does.Contain("e.Property(x => x.SpecialFeatures).HasColumnName(\"special_features\");"));
                    Assert.That(_files["MpaaRating.cs"], Does.Contain("public enum MpaaRating\n{\n    /// <summary>The label <c>G</c>.</summary>\n    [EnumLabel(\"G\")]\n    G,\n\n").And.Contain("[EnumLabel(\"PG\")]\n    Pg,\n\n").And.Contain("[EnumLabel(\"PG-13\")]\n    Pg13,\n\n").And.Contain("[EnumLabel(\"R\")]\n    R,\n\n").And.Contain("[EnumLabel(\"NC-17\")]\n    Nc17,\n}"));
                    Assert.That(film, Does.Contain("// The column fulltext (tsvector) is left out: Premix has no CLR type for tsvector; it is NOT NULL without a default, so an insert through Premix fails unless a trigger fills it."));
                    Assert.That(map, Does.Contain("e.HasUnmappedColumn(\"fulltext\");").And.Not.Contain("e.HasUnmappedColumn(\"rating\");").And.Not.Contain("e.HasUnmappedColumn(\"special_features\");"));
                    Assert.That(map, Does.Contain("// The index film_fulltext_idx is left out: HasIndex declares plain indexes, and the database defines this one as CREATE INDEX film_fulltext_idx ON public.film USING gist (fulltext)."));
                    break;
                default:
                    Assert.That(film, Does.Contain("public string? ReleaseYear { get; set; }").And.Contain("public string? Rating { get; set; }"));
                    Assert.That(map, Does.Contain(".HasColumnName(\"rating\").HasMaxLength(10).HasDefaultValueSql(\"'G'\");"));
                    break;
            }
        }
    }

    [Test]
    public async Task A_fulltext_index_is_left_out_with_its_definition_and_a_diff_leaves_it_alone()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));

        var diff = await premix.DiffAsync();

        var (table, index, definition) = Engine switch
        {
            Engine.MySql => ("FilmTextMap.cs", "idx_title_description", "CREATE FULLTEXT INDEX `idx_title_description` ON `film_text` (`title`, `description`)"),
            Engine.PostgreSql => ("FilmMap.cs", "film_fulltext_idx", "CREATE INDEX film_fulltext_idx ON public.film USING gist (fulltext)"),
            _ => ("FilmTextMap.cs", "", ""),
        };
        if (Engine == Engine.Sqlite)
        {
            Assert.That(_files[table], Does.Not.Contain("is left out: HasIndex declares plain indexes"), "SQLite's port has no index of its own kind");
            return;
        }

        Assert.That(_files[table], Does.Contain($"// The index {index} is left out: HasIndex declares plain indexes, and the database defines this one as {definition}. It stays in the database; a diff leaves it alone."));
        Assert.That(diff.UnmappedIndexes.Select(i => i.Index.Name), Does.Contain(index));
        Assert.That(diff.Operations.Select(o => o.Description), Has.None.Contain(index));
    }

    private static IEnumerable<(string Table, string Class)> Common(bool withFilmText, string[] views) =>
        new[]
        {
            ("actor", "Actor"), ("address", "Address"), ("category", "Category"), ("city", "City"), ("country", "Country"), ("customer", "Customer"),
            ("film", "Film"), ("film_actor", "FilmActor"), ("film_category", "FilmCategory"), ("inventory", "Inventory"), ("language", "Language"),
            ("payment", "Payment"), ("rental", "Rental"), ("staff", "Staff"), ("store", "Store"),
            ("actor_info", "ActorInfo"), ("customer_list", "CustomerList"), ("film_list", "FilmList"), ("nicer_but_slower_film_list", "NicerButSlowerFilmList"),
            ("sales_by_film_category", "SalesByFilmCategory"), ("sales_by_store", "SalesByStore"), ("staff_list", "StaffList"),
        }
        .Where(t => !Views.Contains(t.Item1) || views.Contains(t.Item1))
        .Concat(withFilmText ? [("film_text", "FilmText")] : []);

    private static readonly MethodInfo ReadMethod = typeof(ScaffoldSakilaTests).GetMethod(nameof(ReadAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo FetchMethod = typeof(ScaffoldSakilaTests).GetMethod(nameof(FetchAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static async Task<(long Counted, long Listed)> ReadAsync<T>(IUnitOfWork uow)
        where T : class
    {
        var repository = uow.Repository<T>();
        return (await repository.CountAsync(), (await repository.ListAsync()).Count);
    }

    private static async Task<long> FetchAsync<T>(IPremix premix, string select) => (await premix.Raw(select).ReadOnly().FetchAs<T>()).Count;

    private async Task<Dictionary<string, long>> CountStarAsync(IEnumerable<string> tables)
    {
        await using var connection = await OpenConnectionAsync();
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Provider.Dialect.QuoteIdentifier(table)}");
        }

        return counts;
    }

    private static IEnumerable<string> Relations(IPremix premix, string entity) =>
        premix.Model.Entities.Single(e => e.Name == entity).Relations.Select(r => $"{r.Kind} {r.Navigation?.Name} -> {r.ForeignKey.Name}");
}
