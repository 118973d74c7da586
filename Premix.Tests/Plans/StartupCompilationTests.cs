using Premix.ColdStart.Model;
using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tests.Plans;

/// <summary>
/// Startup builds every plan but compiles none of their delegates: they compile on first use (issue 19). Engine-independent:
/// no connection is opened to build plans, so SQLite in memory stands for every engine.
/// </summary>
public sealed class StartupCompilationTests
{
    private const string Memory = "Data Source=:memory:";

    // At most this many delegates compiled at startup for the 100-entity model (it was about 1,400 when all compiled eagerly).
    private const int MostCompiledAtStartup = 0;

    // The generated model's maps (this assembly holds other tests' maps too, so it is not scanned whole).
    private static IEnumerable<ModelConfiguration> ColdStartMaps =>
        typeof(Entity050Map).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Entity050Map).Namespace && t.IsSubclassOf(typeof(ModelConfiguration)))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (ModelConfiguration)Activator.CreateInstance(t)!);

    [Test]
    public void Startup_of_a_100_entity_model_compiles_no_delegate_and_the_first_read_compiles_only_its_own_on_SQLite()
    {
        var before = LazyDelegates.CompiledOnThisThread;
        using var premix = PremixFactory.Create(p =>
        {
            p.UseSqlite(Memory).UseNamingConvention(NamingConvention.SnakeCase);
            foreach (var map in ColdStartMaps)
            {
                p.AddModelConfiguration(map);
            }
        });
        var atStartup = LazyDelegates.CompiledOnThisThread - before;
        TestContext.Out.WriteLine($"Delegates compiled at startup: {atStartup}");

        var plan = ((PremixDatabase)premix).Plans.Single(p => p.Entity.ClrType == typeof(Entity050));
        var afterStartup = LazyDelegates.CompiledOnThisThread;
        var key = plan.KeyOf(new Entity050 { Id = 7 });
        var firstUse = LazyDelegates.CompiledOnThisThread - afterStartup;
        plan.KeyOf(new Entity050 { Id = 8 });
        var secondUse = LazyDelegates.CompiledOnThisThread - afterStartup - firstUse;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(premix.Model.Entities, Has.Count.EqualTo(100));
            Assert.That(atStartup, Is.LessThanOrEqualTo(MostCompiledAtStartup));
            Assert.That(key.Value, Is.EqualTo(7L));
            Assert.That(firstUse, Is.EqualTo(1), "reading a key compiles the key's getter, once");
            Assert.That(secondUse, Is.Zero);
        }
    }

    [Test]
    public void An_entity_without_a_parameterless_constructor_still_fails_the_start_not_the_first_query()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PremixFactory.Create(p => p.UseSqlite(Memory).AddModelConfiguration(new NoDefaultConstructorMap())));

        Assert.That(error!.Message, Does.Contain("NoDefaultConstructor needs a parameterless constructor"));
    }

    private sealed class NoDefaultConstructor(long id)
    {
        public long Id { get; set; } = id;
    }

    private sealed class NoDefaultConstructorMap : ModelConfiguration<NoDefaultConstructor>
    {
        public override void Configure(EntityBuilder<NoDefaultConstructor> e) => e.ToTable("no_default_constructor");
    }
}
