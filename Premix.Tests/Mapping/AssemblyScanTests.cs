using System.Reflection;
using System.Reflection.Emit;
using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>
/// <c>AddModelConfigurationsFrom(assembly)</c> finds the mapping classes from the assembly's metadata and loads only them
/// (issue 19, docs/mapping.md): maps deriving from base maps, in the assembly or in another library, generic or not, and
/// nested maps are found; abstract and generic ones are not created; a type unrelated to mapping whose base class cannot
/// load no longer breaks the scan, and a mapping class that cannot load is a mapping problem naming it. The assemblies are
/// compiled in the test (<see cref="ScannedAssemblies"/>), the way an application and its libraries are built.
/// </summary>
public sealed class AssemblyScanTests
{
    /// <summary>What the compiled sources start with: Premix.Mapping, and the entities below by their short names.</summary>
    internal const string Usings = """
        using Premix.Mapping;
        using ScanGadget = Premix.Tests.Mapping.AssemblyScanTests.ScanGadget;
        using ScanWidget = Premix.Tests.Mapping.AssemblyScanTests.ScanWidget;
        using ScanGizmo = Premix.Tests.Mapping.AssemblyScanTests.ScanGizmo;

        """;

    [Test]
    public void Maps_deriving_from_base_maps_in_another_assembly_are_found()
    {
        var assemblies = new ScannedAssemblies().Library("Scan.BaseMaps", Usings + """
            namespace Scan.BaseMaps;
            public abstract class NamedMap<T> : ModelConfiguration<T> where T : class
            {
                public override void Configure(EntityBuilder<T> entity) => entity.ToTable(Table);
                protected abstract string Table { get; }
            }
            public abstract class WidgetMapBase : ModelConfiguration<ScanWidget>
            {
                public override void Configure(EntityBuilder<ScanWidget> entity) => entity.ToTable("widgets_from_base");
            }
            public static class Bases
            {
                public abstract class GizmoMapBase : ModelConfiguration<ScanGizmo>
                {
                    public override void Configure(EntityBuilder<ScanGizmo> entity) => entity.ToTable("gizmos_from_nested_base");
                }
            }
            """);
        var scanned = App(libraries: assemblies, source: """
            namespace Scan.App;
            public sealed class GadgetMap : Scan.BaseMaps.NamedMap<ScanGadget> { protected override string Table => "gadgets_from_base"; }
            public sealed class WidgetMap : Scan.BaseMaps.WidgetMapBase { }
            public sealed class GizmoMap : Scan.BaseMaps.Bases.GizmoMapBase { }
            """);

        Assert.That(Scan(scanned).Select(e => $"{e.ClrType.Name} {e.Table}"), Is.EqualTo(new[] { "ScanGadget gadgets_from_base", "ScanGizmo gizmos_from_nested_base", "ScanWidget widgets_from_base" }));
    }

    [Test]
    public void A_map_deriving_from_a_generic_base_map_of_its_own_assembly_is_found()
    {
        var scanned = App("""
            namespace Scan.App;
            public abstract class NamedMap<T> : ModelConfiguration<T> where T : class
            {
                public override void Configure(EntityBuilder<T> entity) => entity.ToTable("named_" + typeof(T).Name.ToLowerInvariant());
            }
            public sealed class GadgetMap : NamedMap<ScanGadget> { }
            """);

        Assert.That(Scan(scanned).Select(e => e.Table), Is.EqualTo(new[] { "named_scangadget" }));
    }

    [Test]
    public void A_map_nested_in_another_class_is_found()
    {
        var scanned = App("""
            namespace Scan.App;
            public static class Catalog
            {
                private sealed class GadgetMap : ModelConfiguration<ScanGadget>
                {
                    public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("nested_gadgets");
                }
            }
            """);

        Assert.That(Scan(scanned).Select(e => e.Table), Is.EqualTo(new[] { "nested_gadgets" }));
    }

    [Test]
    public void Abstract_and_generic_maps_are_not_created_and_one_without_a_parameterless_constructor_is_named_as_skipped()
    {
        var scanned = App("""
            namespace Scan.App;
            public abstract class AbstractGadgetMap : ModelConfiguration<ScanGadget>
            {
                public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("abstract");
            }
            public sealed class AnyMap<T> : ModelConfiguration<T> where T : class
            {
                public override void Configure(EntityBuilder<T> entity) => entity.ToTable("generic");
            }
            public sealed class WidgetMap(string table) : ModelConfiguration<ScanWidget>
            {
                public override void Configure(EntityBuilder<ScanWidget> entity) => entity.ToTable(table);
            }
            public static class Outer<T>
            {
                public sealed class NestedInGenericMap : ModelConfiguration<ScanGizmo>
                {
                    public override void Configure(EntityBuilder<ScanGizmo> entity) => entity.ToTable("nested_in_generic");
                }
            }
            """);

        Assert.That(ScanFails(scanned).Problem, Does.StartWith("No entity is mapped: AddModelConfigurationsFrom scanned Scan.App and found no ModelConfiguration<T> class it can create; it skipped WidgetMap (no public parameterless constructor). Likely causes:"));
    }

    [Test]
    public void Maps_are_created_in_the_order_of_their_full_names()
    {
        // Declared out of order, and the nested one's name (Scan.App.B+GadgetMap) sorts between Scan.App.A and Scan.App.C.
        var scanned = App("""
            namespace Scan.App;
            public sealed class CWidgetMap : ModelConfiguration<ScanWidget> { public override void Configure(EntityBuilder<ScanWidget> entity) => entity.ToTable("w"); }
            public static class B { public sealed class GadgetMap : ModelConfiguration<ScanGadget> { public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("g"); } }
            public sealed class AGizmoMap : ModelConfiguration<ScanGizmo> { public override void Configure(EntityBuilder<ScanGizmo> entity) => entity.ToTable("z"); }
            """);

        Assert.That(Scan(scanned).Select(e => e.ClrType.Name), Is.EqualTo(new[] { "ScanGizmo", "ScanGadget", "ScanWidget" }));
    }

    [Test]
    public void A_type_unrelated_to_mapping_whose_base_class_cannot_load_does_not_stop_the_scan()
    {
        // As an application whose optional dependency was left out of the publish: Scan.Optional is referenced, not deployed.
        var scanned = App(libraries: Undeployed("public class Plugin { }"), source: """
                namespace Scan.App;
                public sealed class OptionalPlugin : Scan.Optional.Plugin { }
                public sealed class GadgetMap : ModelConfiguration<ScanGadget> { public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("gadgets"); }
                """);

        Assert.That(Scan(scanned).Select(e => e.Table), Is.EqualTo(new[] { "gadgets" }));
    }

    [Test]
    public void A_scan_that_finds_nothing_names_the_base_classes_it_could_not_load()
    {
        var scanned = App(libraries: Undeployed("public class Plugin { }"), source: "namespace Scan.App; public sealed class OptionalPlugin : Scan.Optional.Plugin { }");

        Assert.That(ScanFails(scanned).Problem, Does.Contain("and found no ModelConfiguration<T> class it can create; it could not load Scan.Optional.Plugin (")
            .And.Contain("'Scan.Optional, Version=")
            .And.Contain("), so the classes deriving from them were not examined. Likely causes:"));
    }

    [Test]
    public void A_mapping_class_that_cannot_load_is_a_mapping_problem_naming_it_and_the_loaders_message()
    {
        // The map's entity derives from a class of an assembly that is not deployed: loading the map fails.
        var scanned = App(libraries: Undeployed("public class Plugin { public long Id { get; set; } }"), source: """
                namespace Scan.App;
                public sealed class PluginRow : Scan.Optional.Plugin { }
                public sealed class PluginRowMap : ModelConfiguration<PluginRow> { public override void Configure(EntityBuilder<PluginRow> entity) => entity.ToTable("plugin_rows"); }
                public sealed class GadgetMap : ModelConfiguration<ScanGadget> { public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("gadgets"); }
                """);

        var problem = ScanFails(scanned);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.Entity, Is.Null);
            Assert.That(problem.Problem, Does.StartWith("AddModelConfigurationsFrom scanned Scan.App and could not load the mapping class Scan.App.PluginRowMap (")
                .And.Contain("Scan.Optional, Version="));
            Assert.That(problem.Fix, Does.StartWith("Deploy what the loader names with the application"));
        }
    }

    [Test]
    public void The_scan_does_not_load_the_assemblies_that_unrelated_types_derive_from_in_the_framework_namespaces()
    {
        // Microsoft.* holds no mapping base class: a DbContext or a controller's base class stays unloaded. A library of the
        // application's may hold a base map: it is loaded to be sure.
        var assemblies = new ScannedAssemblies()
            .Library("Microsoft.Contoso.Data", "namespace Microsoft.Contoso.Data; public class ContosoContext { }")
            .Library("Contoso.Plugins", "namespace Contoso.Plugins; public class Plugin { }");
        var scanned = App(libraries: assemblies, source: """
            namespace Scan.App;
            public sealed class AppContext : Microsoft.Contoso.Data.ContosoContext { }
            public sealed class AppPlugin : Contoso.Plugins.Plugin { }
            public sealed class GadgetMap : ModelConfiguration<ScanGadget> { public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("gadgets"); }
            """);

        var model = new ModelBuilder().AddFromAssembly(scanned).Build();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(model.Entities.Select(e => e.Table), Is.EqualTo(new[] { "gadgets" }));
            Assert.That(assemblies.Requested, Does.Not.Contain("Microsoft.Contoso.Data"));
            Assert.That(assemblies.Requested, Does.Contain("Contoso.Plugins"));
        }
    }

    [Test]
    public void A_map_whose_base_map_cannot_load_though_its_library_does_is_a_mapping_problem_naming_it()
    {
        // The base map's library is deployed, an interface it implements is not: the base map may be a map's base, so the
        // map deriving from it is reported rather than passed over (its entity would otherwise fail later as "not mapped").
        var libraries = Undeployed("public interface IAudited { }").Library("Scan.BaseMaps", Usings + """
                namespace Scan.BaseMaps;
                public abstract class AuditedMap<T> : ModelConfiguration<T>, Scan.Optional.IAudited where T : class
                {
                    public override void Configure(EntityBuilder<T> entity) => entity.ToTable("audited");
                }
                """);
        var scanned = App(libraries: libraries, source: """
                namespace Scan.App;
                public sealed class GadgetMap : Scan.BaseMaps.AuditedMap<ScanGadget> { }
                public sealed class WidgetMap : ModelConfiguration<ScanWidget> { public override void Configure(EntityBuilder<ScanWidget> entity) => entity.ToTable("widgets"); }
                """);

        Assert.That(ScanFails(scanned).Problem, Does.StartWith("AddModelConfigurationsFrom scanned Scan.App and could not load the mapping class Scan.App.GadgetMap (its base class Scan.BaseMaps.AuditedMap`1 (")
            .And.Contain("Scan.Optional, Version="));
    }

    [Test]
    public void A_map_whose_base_map_library_is_not_deployed_is_passed_over_when_other_maps_are_found()
    {
        // Nothing tells whether a missing library held a base map; the scan names it only when it finds nothing (test above).
        var libraries = new ScannedAssemblies().Library("Scan.BaseMaps", Usings + """
                namespace Scan.BaseMaps;
                public abstract class GadgetMapBase : ModelConfiguration<ScanGadget>
                {
                    public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("gadgets");
                }
                """, deployed: false);
        var scanned = App(libraries: libraries, source: """
                namespace Scan.App;
                public sealed class GadgetMap : Scan.BaseMaps.GadgetMapBase { }
                public sealed class WidgetMap : ModelConfiguration<ScanWidget> { public override void Configure(EntityBuilder<ScanWidget> entity) => entity.ToTable("widgets"); }
                """);

        Assert.That(Scan(scanned).Select(e => e.Table), Is.EqualTo(new[] { "widgets" }));
    }

    [Test]
    public void On_the_tests_own_assembly_the_metadata_walk_finds_the_same_maps_in_the_same_order_as_GetTypes()
    {
        // Hundreds of maps: nested, in generic types, deriving from base maps here and in Premix's libraries.
        var assembly = typeof(AssemblyScanTests).Assembly;
        static string?[] Maps(IEnumerable<Type> types) => [.. types
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(ModelConfiguration).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => t.FullName)];
        List<string> unloadable = [];
        List<string> unresolvedBases = [];

        var found = MappingClassCandidates.Find(assembly, unloadable, unresolvedBases);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.Not.Null);
            Assert.That(Maps(found!), Is.EqualTo(Maps(assembly.GetTypes())).And.Length.GreaterThan(10));
            Assert.That(unloadable, Is.Empty);
            Assert.That(unresolvedBases, Is.Empty);
        }
    }

    [Test]
    public void A_dynamic_assembly_without_raw_metadata_is_scanned_through_all_its_types()
    {
        var builder = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Scan.Dynamic"), AssemblyBuilderAccess.Run);
        var type = builder.DefineDynamicModule("Scan.Dynamic").DefineType("Scan.Dynamic.GadgetMap", TypeAttributes.Public | TypeAttributes.Sealed, typeof(DynamicGadgetMapBase));
        type.DefineDefaultConstructor(MethodAttributes.Public);
        var scanned = type.CreateType().Assembly;

        Assert.That(Scan(scanned).Select(e => e.Table), Is.EqualTo(new[] { "dynamic_gadgets" }));
    }

    /// <summary>Compiles <paramref name="source"/> (after <see cref="Usings"/>) into Scan.App, referencing <paramref name="libraries"/>, and loads it.</summary>
    private static Assembly App(string source, ScannedAssemblies? libraries = null) => (libraries ?? new ScannedAssemblies()).Load("Scan.App", Usings + source);

    /// <summary>The library Scan.Optional, compiled from <paramref name="types"/> for the later assemblies to reference, and missing from the publish (never loadable).</summary>
    private static ScannedAssemblies Undeployed(string types) => new ScannedAssemblies().Library("Scan.Optional", "namespace Scan.Optional; " + types, deployed: false);

    /// <summary>The entities <c>AddModelConfigurationsFrom</c> maps from <paramref name="scanned"/>.</summary>
    private static IReadOnlyList<EntityModel> Scan(Assembly scanned) => new ModelBuilder().AddFromAssembly(scanned).Build().Entities;

    /// <summary>The one mapping problem the scan of <paramref name="scanned"/> fails with.</summary>
    private static MappingProblem ScanFails(Assembly scanned) => Assert.Throws<MappingException>(() => new ModelBuilder().AddFromAssembly(scanned).Build())!.Problems.Single();

    /// <summary>The base of the map <see cref="A_dynamic_assembly_without_raw_metadata_is_scanned_through_all_its_types"/> emits; abstract, so no scan of this assembly creates it.</summary>
    public abstract class DynamicGadgetMapBase : ModelConfiguration<ScanGadget>
    {
        /// <inheritdoc />
        public override void Configure(EntityBuilder<ScanGadget> entity) => entity.ToTable("dynamic_gadgets");
    }

    /// <summary>An entity the compiled maps of <see cref="AssemblyScanTests"/> map.</summary>
    public sealed class ScanGadget
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";
    }

    /// <summary>An entity the compiled maps of <see cref="AssemblyScanTests"/> map.</summary>
    public sealed class ScanWidget
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";
    }

    /// <summary>An entity the compiled maps of <see cref="AssemblyScanTests"/> map.</summary>
    public sealed class ScanGizmo
    {
        public long Id { get; set; }
    }
}
