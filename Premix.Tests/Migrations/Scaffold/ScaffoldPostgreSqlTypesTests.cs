using System.Reflection;
using Dapper;
using NpgsqlTypes;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// PostgreSQL's range columns, arrays of an enum type and composite-type columns, made by plain SQL, are scaffolded as
/// <c>NpgsqlRange&lt;T&gt;</c> properties, arrays of the generated enum (<c>StoredAsEnumType</c>) and properties of a generated
/// class (<c>StoredAsCompositeType</c>), not left out: the code compiles, the model finds
/// nothing to change in its database, synced into an empty database it creates the same types, and a row written through
/// the scaffolded classes is read back. A composite type with an attribute Premix cannot hold (<c>point</c>) is left out,
/// saying why. Only PostgreSQL has such types.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class ScaffoldPostgreSqlTypesTests(Engine engine) : ProviderTest(engine)
{
    private const string Namespace = "Scaffolded.PostgreSqlTypes";

    private const string Ddl = """
        CREATE TYPE scaffold_mood AS ENUM ('happy', 'very sad');
        CREATE TYPE scaffold_address AS (street text, city text, zip integer, checked boolean);
        CREATE TYPE scaffold_spot AS (location point, label text);
        CREATE TABLE scaffold_pg_types (
            id serial PRIMARY KEY,
            seats int4range NOT NULL,
            big_seats int8range,
            amounts numrange,
            during tsrange,
            instants tstzrange,
            stay daterange,
            mood scaffold_mood,
            moods scaffold_mood[] NOT NULL,
            past_moods scaffold_mood[],
            ship_to scaffold_address NOT NULL,
            bill_to scaffold_address,
            spot scaffold_spot
        );
        """;

    private Dictionary<string, string> _files = [];
    private Assembly _assembly = null!;

    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [OneTimeSetUp]
    public async Task CreateScaffoldAndCompileAsync()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync(Ddl);
            await ((Npgsql.NpgsqlConnection)connection).ReloadTypesAsync(); // the type was made after the data source loaded its catalog
        }

        var scaffolded = await Scaffolder.ScaffoldAsync(Provider, new ScaffoldOptions { Namespace = Namespace, Tables = ["scaffold_pg_types"] });
        _files = scaffolded.ToDictionary(f => f.FileName, f => f.Content);
        _assembly = await ScaffoldedAssembly.CompileAsync($"premix_scaffold_pg_types_{Guid.NewGuid():N}", scaffolded);
    }

    [Test]
    public void Range_columns_are_NpgsqlRange_properties_and_enum_arrays_are_arrays_of_the_generated_enum()
    {
        var entity = _files["ScaffoldPgType.cs"];
        var map = _files["ScaffoldPgTypeMap.cs"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_files.Keys, Is.EquivalentTo(new[] { "ScaffoldPgType.cs", "ScaffoldPgTypeMap.cs", "ScaffoldMood.cs", "ScaffoldAddress.cs" }));
            Assert.That(entity, Does.Contain("using NpgsqlTypes;"));
            Assert.That(entity, Does.Contain("public NpgsqlRange<int> Seats { get; set; }").And.Contain("public NpgsqlRange<long>? BigSeats { get; set; }")
                .And.Contain("public NpgsqlRange<decimal>? Amounts { get; set; }").And.Contain("public NpgsqlRange<DateTime>? During { get; set; }")
                .And.Contain("public NpgsqlRange<DateTimeOffset>? Instants { get; set; }").And.Contain("public NpgsqlRange<DateOnly>? Stay { get; set; }"));
            Assert.That(entity, Does.Contain("public ScaffoldMood? Mood { get; set; }").And.Contain("public ScaffoldMood[] Moods { get; set; } = [];")
                .And.Contain("public ScaffoldMood[]? PastMoods { get; set; }"));
            Assert.That(map, Does.Contain("e.Property(x => x.Moods).HasColumnName(\"moods\").IsRequired().StoredAsEnumType(\"scaffold_mood\");")
                .And.Contain("e.Property(x => x.PastMoods).HasColumnName(\"past_moods\").StoredAsEnumType(\"scaffold_mood\");")
                .And.Contain("e.Property(x => x.Seats).HasColumnName(\"seats\");"));
            Assert.That(map, Does.Not.Contain("HasColumnType"));
            Assert.That(_files["ScaffoldMood.cs"], Does.Contain("    Happy,").And.Contain("[EnumLabel(\"very sad\")]\n    VerySad,"));
        }
    }

    [Test]
    public void A_composite_column_is_a_property_of_a_generated_class_with_a_property_per_attribute_and_one_it_cannot_hold_is_left_out()
    {
        var entity = _files["ScaffoldPgType.cs"];
        var map = _files["ScaffoldPgTypeMap.cs"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_files.Keys, Does.Contain("ScaffoldAddress.cs").And.Not.Contain("ScaffoldSpot.cs"));
            Assert.That(_files["ScaffoldAddress.cs"], Does.Contain("public sealed class ScaffoldAddress\n{")
                .And.Contain("public string? street { get; set; }").And.Contain("public string? city { get; set; }")
                .And.Contain("public int? zip { get; set; }").And.Contain("public bool? @checked { get; set; }"));
            Assert.That(entity, Does.Contain("public ScaffoldAddress ShipTo { get; set; } = new();").And.Contain("public ScaffoldAddress? BillTo { get; set; }"));
            Assert.That(entity, Does.Contain("// The column spot (scaffold_spot) is left out: the composite type scaffold_spot gets no class: its attribute location is point, which Premix does not put in a composite type."));
            Assert.That(map, Does.Contain("e.Property(x => x.ShipTo).HasColumnName(\"ship_to\").IsRequired().StoredAsCompositeType(\"scaffold_address\");")
                .And.Contain("e.Property(x => x.BillTo).HasColumnName(\"bill_to\").StoredAsCompositeType(\"scaffold_address\");")
                .And.Contain("e.HasUnmappedColumn(\"spot\");"));
        }
    }

    [Test]
    public async Task The_scaffolded_model_finds_nothing_to_change_and_synced_into_an_empty_database_creates_the_same_types()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));
        var diff = await premix.DiffAsync();
        Assert.That(diff.IsEmpty, Is.True, $"nothing to change in the database it came from, but:\n{diff}");

        await using var empty = await EmptyDatabase.CreateAsync(Engine);
        await empty.AssertSyncLeavesNoDifferenceAsync(_assembly);
        await using var original = await OpenConnectionAsync();
        await using var created = empty.Provider.CreateConnection();
        await created.OpenAsync();
        Assert.That(await ColumnTypesAsync(created), Is.EqualTo((await ColumnTypesAsync(original)).Where(c => c.Name != "spot")), "every column but the one left out");
        Assert.That(await created.ExecuteScalarAsync<string>(AttributesSql), Is.EqualTo(await original.ExecuteScalarAsync<string>(AttributesSql)), "the composite type's attributes");
    }

    [Test]
    public async Task A_row_written_through_the_scaffolded_classes_is_stored_as_ranges_and_labels_and_read_back()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));
        var type = _assembly.GetType($"{Namespace}.ScaffoldPgType")!;
        var mood = _assembly.GetType($"{Namespace}.ScaffoldMood")!;
        var moods = Array.CreateInstance(mood, 2);
        moods.SetValue(Enum.Parse(mood, "VerySad"), 0);
        moods.SetValue(Enum.Parse(mood, "Happy"), 1);
        var row = Activator.CreateInstance(type)!;
        type.GetProperty("Seats")!.SetValue(row, new NpgsqlRange<int>(1, true, 5, true));
        type.GetProperty("Stay")!.SetValue(row, new NpgsqlRange<DateOnly>(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 5)));
        type.GetProperty("Mood")!.SetValue(row, Enum.Parse(mood, "Happy"));
        type.GetProperty("Moods")!.SetValue(row, moods);
        var address = type.GetProperty("ShipTo")!.GetValue(row)!; // = new() by the scaffolded class
        address.GetType().GetProperty("street")!.SetValue(address, "1 Main St");
        address.GetType().GetProperty("zip")!.SetValue(address, 123);
        address.GetType().GetProperty("checked")!.SetValue(address, true);

        await (Task)AddMethod.MakeGenericMethod(type).Invoke(null, [premix, row])!;
        var stored = await ScalarAsync<string>("SELECT concat_ws(' | ', seats::text, stay::text, mood::text, moods::text, coalesce(past_moods::text, 'null'), ship_to::text, coalesce(bill_to::text, 'null')) FROM scaffold_pg_types");
        var loaded = await (Task<object>)FirstMethod.MakeGenericMethod(type).Invoke(null, [premix])!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.EqualTo("[1,6) | [2026-12-01,2026-12-06) | happy | {\"very sad\",happy} | null | (\"1 Main St\",,123,t) | null"));
            Assert.That(type.GetProperty("ShipTo")!.GetValue(loaded)!.GetType().GetProperty("street")!.GetValue(type.GetProperty("ShipTo")!.GetValue(loaded)), Is.EqualTo("1 Main St"));
            Assert.That(type.GetProperty("Seats")!.GetValue(loaded), Is.EqualTo(new NpgsqlRange<int>(1, true, 6, false)));
            Assert.That(type.GetProperty("Moods")!.GetValue(loaded), Is.EqualTo(moods));
            Assert.That(type.GetProperty("PastMoods")!.GetValue(loaded), Is.Null);
        }
    }

    private static readonly MethodInfo AddMethod = typeof(ScaffoldPostgreSqlTypesTests).GetMethod(nameof(AddAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo FirstMethod = typeof(ScaffoldPostgreSqlTypesTests).GetMethod(nameof(FirstAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static async Task AddAsync<T>(IPremix premix, object row)
        where T : class
    {
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<T>().Add((T)row);
        await uow.CommitAsync();
    }

    private static async Task<object> FirstAsync<T>(IPremix premix)
        where T : class
    {
        await using var uow = premix.BeginUnitOfWork();
        return (await uow.Repository<T>().ListAsync()).Single();
    }

    private async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql);
    }

    private const string AttributesSql = "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'scaffold_address'::regclass AND attnum > 0";

    private static async Task<List<(string Name, string Type)>> ColumnTypesAsync(System.Data.Common.DbConnection connection) =>
        (await connection.QueryAsync<(string Name, string Type)>(
            "SELECT attname AS Name, format_type(atttypid, atttypmod) AS Type FROM pg_attribute WHERE attrelid = 'scaffold_pg_types'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")).ToList();
}
