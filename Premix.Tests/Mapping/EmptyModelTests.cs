using System.Reflection;
using System.Reflection.Emit;
using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>
/// A model without entities fails at startup, naming what was scanned and why it may have come back empty, instead of
/// starting and answering every request with "X is not mapped"; tools that need no model say so with AllowEmptyModel().
/// </summary>
public sealed class EmptyModelTests
{
    private const string Memory = "Data Source=:memory:";

    [Test]
    public void Starting_without_any_mapping_registered_fails_saying_no_entity_is_mapped()
    {
        var error = Assert.Throws<MappingException>(() => PremixFactory.Create(p => p.UseSqlite(Memory)));

        Assert.That(error!.Problems, Has.Count.EqualTo(1));
        Assert.That(error.Message, Does.Contain("No entity is mapped: neither AddModelConfiguration nor AddModelConfigurationsFrom was called")
            .And.Contain("AddModelConfigurationsFrom(typeof(CustomerMap).Assembly)")
            .And.Contain("AllowEmptyModel()"));
    }

    [Test]
    public void Scanning_an_assembly_without_mapping_classes_fails_at_startup_naming_the_assembly_and_the_likely_causes()
    {
        // What a trimmed application sees: the scanned assembly is there, its mapping classes are not.
        var scanned = typeof(Assert).Assembly;

        var error = Assert.Throws<MappingException>(() => PremixFactory.Create(p => p.UseSqlite(Memory).AddModelConfigurationsFrom(scanned)));

        var problem = error!.Problems.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.Entity, Is.Null);
            Assert.That(problem.Problem, Does.StartWith($"No entity is mapped: AddModelConfigurationsFrom scanned {scanned.GetName().Name} and found no ModelConfiguration<T> class"));
            Assert.That(problem.Problem, Does.Contain("another assembly").And.Contain("trimming").And.Contain("public parameterless constructor"));
            Assert.That(problem.Fix, Does.Contain($"<TrimmerRootAssembly Include=\"{scanned.GetName().Name}\" />").And.Contain("AddModelConfiguration<CustomerMap>()").And.Contain("AllowEmptyModel()"));
        }
    }

    [Test]
    public void A_scan_that_skipped_a_mapping_class_without_a_parameterless_constructor_names_it()
    {
        var scanned = AssemblyWithOnlyAMapNeedingArguments();

        var error = Assert.Throws<MappingException>(() => new ModelBuilder().AddFromAssembly(scanned).Build());

        Assert.That(error!.Problems.Single().Problem, Does.Contain("it skipped ThingMapWithArguments (no public parameterless constructor)."));
    }

    [Test]
    public void A_scan_that_finds_nothing_is_reported_even_when_other_registrations_map_entities()
    {
        var builder = new ModelBuilder().Add(new ThingMap()).AddFromAssembly(typeof(Assert).Assembly);

        var error = Assert.Throws<MappingException>(() => builder.Build());

        var problem = error!.Problems.Single();
        Assert.That(problem.Problem, Does.StartWith("AddModelConfigurationsFrom scanned nunit.framework and found no ModelConfiguration<T> class"));
        Assert.That(problem.Fix, Does.EndWith("or remove this call."));
    }

    [Test]
    public void AllowEmptyModel_lets_a_tool_without_entities_start()
    {
        using var premix = PremixFactory.Create(p => p.UseSqlite(Memory).AllowEmptyModel());

        Assert.That(premix.Model.Entities, Is.Empty);
    }

    [Test]
    public void AllowEmptyModel_does_not_hide_the_problems_of_the_entities_that_are_mapped()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().AllowEmptyModel().Add(new KeylessMap()).Build());

        Assert.That(error!.Problems.Single().ToString(), Does.StartWith("Keyless: has no key."));
    }

    // An assembly made at run time whose only mapping class needs a constructor argument, so a scan must skip it.
    private static Assembly AssemblyWithOnlyAMapNeedingArguments()
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("MapsNeedingArguments"), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("MapsNeedingArguments");
        var baseType = typeof(ModelConfiguration<Thing>);
        var map = module.DefineType("ThingMapWithArguments", TypeAttributes.Public | TypeAttributes.Sealed, baseType);

        var constructor = map.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(int)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, baseType.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ret);

        var configure = baseType.GetMethod(nameof(ModelConfiguration<Thing>.Configure))!;
        var method = map.DefineMethod(configure.Name, MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig, typeof(void), [typeof(EntityBuilder<Thing>)]);
        method.GetILGenerator().Emit(OpCodes.Ret);
        map.DefineMethodOverride(method, configure);
        map.CreateType();
        return assembly;
    }

    public sealed class Thing
    {
        public long Id { get; set; }
    }

    public sealed class Keyless
    {
        public string Name { get; set; } = "";
    }

    private sealed class ThingMap : ModelConfiguration<Thing>
    {
        public override void Configure(EntityBuilder<Thing> e) => e.ToTable("things");
    }

    private sealed class KeylessMap : ModelConfiguration<Keyless>
    {
        public override void Configure(EntityBuilder<Keyless> e) => e.ToTable("keyless");
    }
}
