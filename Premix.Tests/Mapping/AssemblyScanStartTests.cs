using Premix.Tests.Infrastructure;
using static Premix.Tests.Mapping.AssemblyScanTests;

namespace Premix.Tests.Mapping;

/// <summary>
/// A start on a scanned assembly, on each engine: the map found through a base map of another library reads and writes
/// its table, though the assembly also holds a type whose base class cannot load (a dependency missing from the publish),
/// which used to fail the scan with a ReflectionTypeLoadException (issue 19, docs/mapping.md).
/// </summary>
public sealed class AssemblyScanStartTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_map_found_through_a_base_map_of_another_library_reads_and_writes_beside_a_type_that_cannot_load()
    {
        var scanned = new ScannedAssemblies()
            .Library("Scan.Optional", "namespace Scan.Optional; public class Plugin { }", deployed: false)
            .Library("Scan.BaseMaps", Usings + """
                namespace Scan.BaseMaps;
                public abstract class NamedMap<T> : ModelConfiguration<T> where T : class
                {
                    public override void Configure(EntityBuilder<T> entity) => entity.ToTable("scanned_" + typeof(T).Name.ToLowerInvariant());
                }
                """)
            .Load("Scan.App", Usings + """
                namespace Scan.App;
                public sealed class OptionalPlugin : Scan.Optional.Plugin { }
                public sealed class GadgetMap : Scan.BaseMaps.NamedMap<ScanGadget> { }
                """);
        using var premix = CreatePremix(p => p.AddModelConfigurationsFrom(scanned));
        await RecreateTablesAsync(premix);
        await ExecuteAsync($"INSERT INTO {Q("scanned_scangadget")} ({Q("Id")}, {Q("Name")}) VALUES (7, 'seven')");

        await using (var work = premix.BeginUnitOfWork())
        {
            var seven = await work.Repository<ScanGadget>().GetAsync(7L);
            seven!.Name = "seven, renamed";
            await work.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("scanned_scangadget")} WHERE {Q("Id")} = 7"), Is.EqualTo("seven, renamed"));
    }
}
