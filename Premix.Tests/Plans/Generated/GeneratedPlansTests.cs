using System.Data;
using System.Globalization;
using Premix.Generation;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// The generated model (premix optimize, issue 19 item 2) against the plans startup builds, for every mapping class of the
/// test suite the generator covers, in each engine's dialect: the emitted C# compiles, a Premix started on it with every
/// delegate made at once (LazyDelegates.Eager, where the same map without it compiles) compiles none, its plans are the
/// startup-built ones (same SQL, same bindings), and the generated row reader, accessors and snapshot delegates give what
/// the compiled ones give on sample rows. Needs no database: plans are built without one, rows are a DataTable's.
/// </summary>
public sealed class GeneratedPlansTests
{
    public static IEnumerable<Engine> Engines => ProviderTest.Engines;

    [TestCaseSource(nameof(Engines))]
    public void Every_supported_model_of_the_suite_generates_plans_equal_to_the_startup_built_ones(Engine engine)
    {
        var supported = new List<(ModelConfiguration Map, IPremix Built, string Namespace)>();
        var refused = 0;
        foreach (var map in MapsOfTheSuite())
        {
            IPremix built;
            try
            {
                built = PremixFactory.Create(p => p.UseProvider(ProviderFor(engine)).AddModelConfiguration(map));
            }
            catch (Exception)
            {
                continue; // a map that needs another map, options or another engine: not a model on its own here
            }

            try
            {
                _ = ModelGenerator.Generate(built);
                supported.Add((map, built, "G" + supported.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            catch (ModelGenerationException)
            {
                refused++;
                built.Dispose();
            }
        }

        TestContext.Out.WriteLine($"{engine}: {supported.Count} models generated, {refused} refused.");
        var generated = GeneratedModels.CompileAll([.. supported.Select(s => (s.Built, s.Namespace))]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(supported, Has.Count.GreaterThanOrEqualTo(20), "most single-entity maps of the suite are covered");
            Assert.That(supported.Select(s => s.Map.GetType().Name), Does.Contain(nameof(Premix.Tests.Types.PurchaseMap)).And.Contain(nameof(Premix.Tests.Types.TenantMap)), "value objects (Owns), nested ones included, are covered");
            Assert.That(supported.Select(s => s.Map.GetType().Name), Does.Contain(nameof(GeneratedQueryFilterTests.LampMap)), "named query filters are covered");
            for (var i = 0; i < supported.Count; i++)
            {
                var name = supported[i].Map.GetType().Name;
                var map = supported[i].Map;
                var model = generated[i];
                Assert.That(CompiledByAnEagerStart(() => PremixFactory.Create(p => p.UseProvider(ProviderFor(engine)).AddModelConfiguration(map))).Compiles, Is.GreaterThan(0), $"{name}: an eager start without the generated model compiles");
                var (started, compiles) = CompiledByAnEagerStart(() => PremixFactory.Create(p => p.UseProvider(ProviderFor(engine)).AddModelConfiguration(map).UseGeneratedModel(model)));
                using (started)
                {
                    Assert.That(compiles, Is.Zero, $"{name}: delegates compiled by an eager start with the generated model");
                    AssertSamePlans(supported[i].Built, started, name);
                    AssertSameReading(model, started, name);
                }

                supported[i].Built.Dispose();
            }
        }
    }

    [TestCaseSource(nameof(Engines))]
    public void Models_with_relations_generate_plans_and_navigations_equal_to_the_startup_built_ones(Engine engine)
    {
        // Relations need their other end mapped, so these are whole models: the shelves' (each kind of navigation) and the
        // cold-start benchmark's 100 entities (50 one-to-many relations), with its naming convention.
        var models = new (string Name, ModelConfiguration[] Maps)[]
        {
            ("Shelves", GeneratedRelationsTests.Maps()),
            ("ColdStart", ColdStartMaps.All()),
        };
        IPremix Start(ModelConfiguration[] maps, GeneratedModel? generated) => PremixFactory.Create(p =>
        {
            p.UseProvider(ProviderFor(engine)).UseNamingConvention(NamingConvention.SnakeCase);
            foreach (var map in maps)
            {
                p.AddModelConfiguration(map);
            }

            if (generated is not null)
            {
                p.UseGeneratedModel(generated);
            }
        });

        var built = models.Select(m => Start(m.Maps, null)).ToList();
        var generatedModels = GeneratedModels.CompileAll([.. built.Select((b, i) => (b, "R" + models[i].Name))]);
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < models.Length; i++)
            {
                var (name, maps) = models[i];
                Assert.That(CompiledByAnEagerStart(() => Start(maps, null)).Compiles, Is.GreaterThan(0), $"{name}: an eager start without the generated model compiles");
                var (started, compiles) = CompiledByAnEagerStart(() => Start(maps, generatedModels[i]));
                using (started)
                {
                    Assert.That(compiles, Is.Zero, $"{name}: delegates compiled by an eager start with the generated model");
                    AssertSamePlans(built[i], started, name);
                    AssertSameReading(generatedModels[i], started, name);
                    AssertSameNavigations(started, name);
                }

                built[i].Dispose();
            }
        }
    }

    [Test]
    public void The_generated_files_are_one_per_entity_and_one_model_class_and_name_no_reflection_or_compiled_expression()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()).AddModelConfiguration(new GadgetMap()));

        var files = ModelGenerator.Generate(premix, new ModelGeneratorOptions { Namespace = "Shop.Generated", ModelClass = "ShopModel" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(files.Select(f => f.FileName), Is.EqualTo(new[] { "CustomerPlan.cs", "GadgetPlan.cs", "ShopModel.cs" }));
            Assert.That(files.Select(f => f.Text), Has.All.StartWith("// <auto-generated>"));
            Assert.That(files.Select(f => f.Text), Has.None.Contains("System.Reflection").And.None.Contains("System.Linq.Expressions").And.None.Contains(".Compile("));
            Assert.That(files[0].Text, Does.Contain("reader.GetInt64(0)").And.Contain("namespace Shop.Generated;"));
        }
    }

    private static void AssertSamePlans(IPremix built, IPremix started, string map)
    {
        Assert.That(started.DescribePlans(), Is.EqualTo(built.DescribePlans()), $"{map}: plans");
        var builtPlans = ((PremixDatabase)built).Runtime.Plans;
        foreach (var (type, plan) in ((PremixDatabase)started).Runtime.Plans)
        {
            var expected = builtPlans[type];
            Assert.That(plan.Statements.Select(Described), Is.EqualTo(expected.Statements.Select(Described)), $"{map}: {type.Name}'s statements and bindings");
            Assert.That(plan.SelectList, Is.EqualTo(expected.SelectList), $"{map}: {type.Name}'s select list");
            Assert.That(plan.Properties.Select(b => (b.Name, b.Property.Column)), Is.EqualTo(expected.Properties.Select(b => (b.Name, b.Property.Column))), $"{map}: {type.Name}'s bindings");
            Assert.That(plan.Updatable.Select(b => b.Name), Is.EqualTo(expected.Updatable.Select(b => b.Name)), $"{map}: {type.Name}'s updatable columns");
            if (!plan.Filters.IsEmpty)
            {
                // The named filters' condition, and the values the generated readers read for it, are the compiled ones'.
                var dialect = ((PremixDatabase)started).Runtime.Provider.Dialect;
                var (sql, _, values) = plan.Filters.Condition(plan, dialect, "t1");
                var (expectedSql, _, expectedValues) = expected.Filters.Condition(expected, dialect, "t1");
                Assert.That(sql, Is.EqualTo(expectedSql), $"{map}: {type.Name}'s query filters");
                Assert.That(values, Is.EqualTo(expectedValues), $"{map}: {type.Name}'s query filters' values");
            }
        }
    }

    // Starts Premix with every plan delegate made at once, counting what that compiles.
    private static (IPremix Premix, int Compiles) CompiledByAnEagerStart(Func<IPremix> start)
    {
        var compiles = LazyDelegates.CountInThisFlow();
        LazyDelegates.Eager = true;
        try
        {
            var premix = start();
            return (premix, compiles.Value);
        }
        finally
        {
            LazyDelegates.Eager = false; // the flag flows with the context: never leave it on for what follows
        }
    }

    // The generated row reader against the compiled one (RowReaders) on a row of sample values and a row of NULLs; then the
    // generated getters, copy, comparers and assign against reflection and the compiled comparers (Snapshots) on what was read.
    private static void AssertSameReading(GeneratedModel model, IPremix started, string map)
    {
        foreach (var (type, plan) in ((PremixDatabase)started).Runtime.Plans)
        {
            var description = model.Entities.Single(e => e.EntityType == type);
            var code = description.Code;
            var compiled = RowReaders.Compile(plan.Entity, plan.Properties);
            using var rows = SampleRows(plan).CreateDataReader();
            var read = new List<object>();
            while (rows.Read())
            {
                var expected = Outcome(() => compiled(rows));
                var actual = Outcome(() => code.ReadRow(rows));
                Assert.That(Described(plan, actual), Is.EqualTo(Described(plan, expected)), $"{map}: {type.Name} read from row {read.Count + 1} by the generated reader");
                if (actual is not Exception)
                {
                    read.Add(actual);
                }
            }

            Assert.That(read, Is.Not.Empty, $"{map}: {type.Name}'s sample row is read");
            var entity = read[0];
            var copy = code.Copy(entity);
            var assigned = Activator.CreateInstance(type, nonPublic: true)!;
            code.Assign(entity, assigned);
            Assert.That(Described(plan, copy), Is.EqualTo(Described(plan, entity)), $"{map}: {type.Name}'s generated copy");
            Assert.That(Described(plan, assigned), Is.EqualTo(Described(plan, entity)), $"{map}: {type.Name}'s generated assign");
            foreach (var owner in plan.Entity.Properties.Select(p => p.Owner?.Root).OfType<OwnedModel>().Distinct().Where(o => o.Navigation.GetValue(entity) is not null))
            {
                Assert.That(owner.Navigation.GetValue(copy), Is.Not.SameAs(owner.Navigation.GetValue(entity)), $"{map}: {type.Name}.{owner.Name} is copied for the snapshot, not shared");
            }

            foreach (var (property, accessors) in description.Properties.Zip(code.Properties))
            {
                var mapped = plan.Entity.Properties.Single(p => p.Name == property.Name);
                Assert.That(Text(accessors.Get(entity)), Is.EqualTo(Text(ValueOf(mapped, entity))), $"{map}: {type.Name}.{property.Name}'s generated getter");
                var same = Snapshots.Comparer(mapped);
                var blank = Activator.CreateInstance(type, nonPublic: true)!;
                Assert.That(accessors.Same(entity, copy), Is.EqualTo(same(entity, copy)).And.True, $"{map}: {type.Name}.{property.Name}'s generated comparer on a copy");
                Assert.That(accessors.Same(entity, blank), Is.EqualTo(same(entity, blank)), $"{map}: {type.Name}.{property.Name}'s generated comparer on a new instance");
                accessors.Set(blank, accessors.Get(entity));
                if (mapped.Owner is null)
                {
                    Assert.That(Text(ValueOf(mapped, blank)), Is.EqualTo(Text(ValueOf(mapped, entity))), $"{map}: {type.Name}.{property.Name}'s generated setter");
                }
                else
                {
                    // A value object's member is set on the object a new instance holds, if any: as the compiled setter sets it.
                    var compiledBlank = Activator.CreateInstance(type, nonPublic: true)!;
                    PropertyAccessors.StoredSetter(mapped)(compiledBlank, mapped.Converter is null ? accessors.Get(entity) : accessors.ReadStored!(entity));
                    Assert.That(Text(ValueOf(mapped, blank)), Is.EqualTo(Text(ValueOf(mapped, compiledBlank))), $"{map}: {type.Name}.{property.Name}'s generated setter");
                }
            }
        }
    }

    // Each relation's generated code is the one of its shape, with typed include keys exactly where compiled plans read them
    // typed; the generated navigation accessors set, fill and read what reflection sees on a fresh entity.
    private static void AssertSameNavigations(IPremix started, string model)
    {
        var runtime = ((PremixDatabase)started).Runtime;
        foreach (var entity in runtime.Model.Entities)
        {
            foreach (var relation in runtime.Relations.DeclaredOn(entity.ClrType))
            {
                var shape = GeneratedRelation.ShapeOf(relation.Relation);
                var name = $"{model}: {entity.Name}'s {shape}";
                Assert.That(relation.Generated?.Description.Shape, Is.EqualTo(shape), name);
                var code = relation.Generated!.Code;
                Assert.That(code.ParentSlots is not null, Is.EqualTo(relation.IsDeclaredOnPrincipal && global::Premix.Querying.ParentSlots.TypedKey(relation) is not null), $"{name}: typed include keys");
                if (relation.Relation.Navigation is not { } navigation)
                {
                    Assert.That((code.Get, code.Set, code.Fill), Is.EqualTo(((Func<object, object?>?)null, (Action<object, object?>?)null, (Func<object?, ArraySegment<object>, bool, object>?)null)), $"{name}: no navigation code");
                    continue;
                }

                var declaring = Activator.CreateInstance(entity.ClrType, nonPublic: true)!;
                var other = Activator.CreateInstance(relation.IsDeclaredOnPrincipal ? relation.Dependent.Entity.ClrType : relation.Principal.Entity.ClrType, nonPublic: true)!;
                var settable = navigation.SetMethod is { IsPublic: true };
                Assert.That((code.Set is not null, relation.Generated.Description.SetsNavigation), Is.EqualTo((settable, settable)), $"{name}: a setter exactly when the navigation's is public");
                if (relation.IsCollection)
                {
                    relation.SetCollection(declaring, new ArraySegment<object>([other]));
                    Assert.That((System.Collections.IEnumerable)navigation.GetValue(declaring)!, Is.EqualTo(new[] { other }), $"{name}: filled");
                }
                else if (settable)
                {
                    relation.SetNavigation(declaring, other);
                    Assert.That(navigation.GetValue(declaring), Is.SameAs(other), $"{name}: set");
                }

                Assert.That(code.Get!(declaring), Is.SameAs(navigation.GetValue(declaring)), $"{name}: get");
            }
        }
    }

    private static object Outcome(Func<object> read)
    {
        try
        {
            return read();
        }
        catch (Exception e)
        {
            return e;
        }
    }

    // Each mapped property's value (a DateTime with its kind, a byte array by content), or the exception's type and message.
    private static string Described(EntityPlan plan, object outcome) => outcome is Exception e
        ? $"{e.GetType().Name}: {e.Message}"
        : string.Join("; ", plan.Entity.Properties.Select(p => $"{p.Name}={Text(ValueOf(p, outcome))}"));

    // A mapped property's value by reflection: a value object's member through the objects holding it (null when one is).
    private static object? ValueOf(PropertyModel property, object entity)
    {
        object? holder = entity;
        foreach (var owner in property.Owner?.Path ?? [])
        {
            holder = owner.Navigation.GetValue(holder);
            if (holder is null)
            {
                return null;
            }
        }

        return property.Property.GetValue(holder);
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // A DataTable shaped as the select list, each column of the type the readers ask the driver for: a row of sample values and a row of NULLs.
    private static DataTable SampleRows(EntityPlan plan)
    {
        var table = new DataTable();
        var sample = new List<object>();
        var nulls = new List<object>();
        for (var i = 0; i < plan.Properties.Count; i++)
        {
            var property = plan.Properties[i].Property;
            var (columnType, value) = Sample(property);
            table.Columns.Add("c" + i.ToString(CultureInfo.InvariantCulture), columnType);
            sample.Add(value);
            nulls.Add(DBNull.Value);
        }

        table.Rows.Add([.. sample]);
        table.Rows.Add([.. nulls]);
        return table;
    }

    private static (Type Column, object Value) Sample(PropertyModel property)
    {
        if (property.Converter is { ModelType.IsEnum: true } converter)
        {
            // An enum converted to its name, say: a stored value the converter made, since other text would not read back.
            var values = Enum.GetValues(converter.ModelType);
            return (converter.ProviderType, ConverterDelegates.Of(converter).ToStored(values.GetValue(values.Length - 1)!));
        }

        var type = property.StoredType;
        return property.EnumStorage switch
        {
            EnumStorage.Number => (typeof(long), 1L),
            EnumStorage.Text => (typeof(string), Enum.GetNames(type)[^1]),
            _ when type == typeof(float) => (typeof(double), 2.5d),
            _ when type == typeof(string) => (type, "sample text"),
            _ when type == typeof(byte[]) => (type, new byte[] { 1, 2, 3 }),
            _ when type == typeof(long) => (type, 7L),
            _ when type == typeof(int) => (type, 7),
            _ when type == typeof(short) => (type, (short)7),
            _ when type == typeof(bool) => (type, true),
            _ when type == typeof(double) => (type, 1.5d),
            _ when type == typeof(decimal) => (type, 12.25m),
            _ when type == typeof(DateTime) => (type, new DateTime(2026, 12, 6, 1, 2, 3, DateTimeKind.Unspecified)),
            _ when type == typeof(Guid) => (type, new Guid("0f8fad5b-d9cb-469f-a165-70867728950e")),
            _ when type.IsValueType => (type, Activator.CreateInstance(type)!),
            _ => (typeof(object), DBNull.Value),
        };
    }

    private static string Described(SqlStatement statement) => $"{statement.Name}: {statement.Sql} ({string.Join(", ", statement.ParameterNames)})";

    // Every mapping class of the suite that can be made without arguments (the cold-start model's 100 included).
    private static IEnumerable<ModelConfiguration> MapsOfTheSuite() =>
        typeof(GeneratedPlansTests).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(ModelConfiguration).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (ModelConfiguration)Activator.CreateInstance(t)!);

    /// <summary>A provider of <paramref name="engine"/>'s dialect that is never opened: plans need no connection.</summary>
    internal static IDatabaseProvider ProviderFor(Engine engine) => engine switch
    {
        Engine.Sqlite => new SqliteProvider("Data Source=premix-generated-never-opened.db"),
        Engine.PostgreSql => new PostgreSqlProvider("Host=localhost;Database=premix_generated_never_opened;Username=premix;Password=unused"),
        Engine.MySql => new MySqlProvider("Server=localhost;Database=premix_generated_never_opened;User ID=premix;Password=unused"),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };
}
