using Premix.Mapping;
using Premix.Tests.Infrastructure;
using Premix.Tests.Plans.Generated;

namespace Premix.Tests.Plans;

/// <summary>
/// Named query filters with dynamic code off, without a native publish: Premix.Tests.StartApp's filtered start (lamps with a
/// filter reading no value, one reading a public static property on every query and one reading a readonly field of the map,
/// in rooms) on its generated model, run with IsDynamicCodeSupported false. Gets, lists, queries, counts and Include return
/// only the rows every filter keeps, the static value is read per query, and Premix compiles no delegate from the start on.
/// Rows are arranged in plain SQL.
/// </summary>
public sealed class DynamicCodeOffQueryFilterTests(Engine engine) : StartAppTest(engine)
{
    private readonly string _model = Path.Combine(Path.GetTempPath(), $"premix-dynamic-off-filtered-{Guid.NewGuid():N}.dll");

    [OneTimeSetUp]
    public async Task CreateTheRowsAndGenerateTheModelAsync()
    {
        await using var premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase)
            .AddModelConfiguration(StartAppMap("StartRoomMap")).AddModelConfiguration(StartAppMap("StartLampMap")));
        await RecreateTablesAsync(premix);
        GeneratedModels.EmitTo(premix, _model);
        await ExecuteAsync($"INSERT INTO {Q("start_rooms")} ({Q("id")}, {Q("name")}) VALUES (1, 'hall'), (2, 'attic')");
        // Kept by every filter (brand acme): a and e. b is off, c is another brand, d draws too little; f is another brand's.
        foreach (var (id, room, name, lit, brand, watts) in new[] { (1, 1, "a", true, "acme", 60), (2, 1, "b", false, "acme", 60), (3, 1, "c", true, "other", 60), (4, 1, "d", true, "acme", 5), (5, 1, "e", true, "acme", 20), (6, 2, "f", true, "other", 40) })
        {
            await ExecuteAsync(
                $"INSERT INTO {Q("start_lamps")} ({Q("id")}, {Q("room_id")}, {Q("name")}, {Q("is_lit")}, {Q("brand")}, {Q("watts")}) VALUES (@id, @room, @name, @lit, @brand, @watts)",
                new { id, room, name, lit, brand, watts });
        }
    }

    [OneTimeTearDown]
    public void DeleteTheModel()
    {
        try
        {
            File.Delete(_model);
        }
        catch (UnauthorizedAccessException)
        {
            // Windows keeps a loaded assembly's file open; the temporary file is left there.
        }
    }

    [Test]
    public async Task With_the_generated_model_gets_lists_queries_counts_and_includes_return_only_the_filtered_rows_with_dynamic_code_off_compiling_nothing()
    {
        Assert.That(await CountRowsAsync("start_lamps"), Is.EqualTo(6), "the rows are there");

        var run = await RunStartAppWithDynamicCodeOffAsync("filtered", ("START_APP_GENERATED_MODEL", _model));
        var output = run.Everything.Replace("\r\n", "\n", StringComparison.Ordinal);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("find a,none,none,none,e\n"), "a get by key applies every filter");
            Assert.That(output, Does.Contain("get 2 not found\n"));
            Assert.That(output, Does.Contain("list a,e\n"));
            Assert.That(output, Does.Contain("query e\n"), "a query's own condition and the filters: d has fewer watts but is filtered out");
            Assert.That(output, Does.Contain("count 2\n"));
            Assert.That(output, Does.Contain("include hall:a,e attic:\n"), "Include applies the lamps' filters");
            Assert.That(output, Does.Contain("other c,f\n"), "the static property is read on every query, not hard-coded");
            Assert.That(output, Does.Contain("compiled 0\n"), "no delegate compiled (nor interpreted) from the start on");
        }
    }
}
