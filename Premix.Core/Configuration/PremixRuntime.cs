using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Tracking;

namespace Premix;

/// <summary>What startup produces once: the validated model, the compiled plans and the provider. Shared by all threads.</summary>
internal sealed class PremixRuntime
{
    private PremixRuntime(IDatabaseProvider provider, bool ownsProvider, Model model, IReadOnlyDictionary<Type, EntityPlan> plans, bool logParameterValues, IReadOnlyList<Action<IPremix>> startupChecks, ResilienceOptions resilience)
    {
        Resilience = resilience;
        OwnsProvider = ownsProvider;
        StartupChecks = startupChecks;
        Provider = provider;
        Model = model;
        Constraints = new Execution.ModelConstraints(model);
        Plans = plans;
        Relations = RelationGraph.Build(model, plans);
        LogParameterValues = logParameterValues;
        Telemetry = new Diagnostics.TelemetryContext(provider.Name, provider.Target, model.Entities.ToDictionary(e => e.Name, e => e.Schema is null ? e.Table : e.Schema + "." + e.Table));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, IReadOnlyDictionary<string, string>?> _rawColumnRenames = new();

    public IDatabaseProvider Provider { get; }

    /// <summary>Whether Premix created the provider (from <c>UseSqlite</c> and the like) and so disposes it; one given ready-made stays the giver's.</summary>
    public bool OwnsProvider { get; }

    public Model Model { get; }

    /// <summary>The mapping's constraints by the names engines report, to complete what a constraint violation says.</summary>
    public Execution.ModelConstraints Constraints { get; }

    public IReadOnlyDictionary<Type, EntityPlan> Plans { get; }

    public RelationGraph Relations { get; }

    /// <summary>Queries translated so far, by shape.</summary>
    public Querying.QueryCache Queries { get; } = new();

    /// <summary>The IN-list reads of includes and refreshes, built once per entity and column.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<(EntityPlan Plan, ParameterBinding Column), Querying.KeyListReader.Statement> KeyListStatements => LazyInitializer.EnsureInitialized(ref _keyListStatements, static () => new());

    private System.Collections.Concurrent.ConcurrentDictionary<(EntityPlan Plan, ParameterBinding Column), Querying.KeyListReader.Statement>? _keyListStatements; // made on first use (LazyInitializer; see UpdateStatements)

    public bool LogParameterValues { get; }

    /// <summary>The number of new rows of one entity type in a commit from which they go through the engine's bulk channel (<see cref="int.MaxValue"/>: never).</summary>
    public int BulkInsertThreshold { get; private init; } = int.MaxValue;

    /// <summary>How the columns of raw statements are renamed to the members of <typeparamref name="T"/> (<see cref="RawColumnNames"/>), found once per type.</summary>
    public IReadOnlyDictionary<string, string>? RawColumnRenames<[DynamicallyAccessedMembers(RawTarget.Members)] T>() =>
        _rawColumnRenames.GetOrAdd(typeof(T), static (_, model) => RawColumnNames.For(model, typeof(T)), Model);

    /// <summary>The row readers the application registered for raw queries' target types (<see cref="PremixOptionsBuilder.AddRowReader"/>).</summary>
    public IReadOnlyDictionary<Type, Func<DbDataReader, object>> RawRowReaders { get; private init; } = new Dictionary<Type, Func<DbDataReader, object>>();

    /// <summary>
    /// How the rows of a raw query become <typeparamref name="T"/>: the row reader the application registered, else Dapper's
    /// mapping by column name, which native AOT cannot run (it generates code): there a type without a reader is refused here,
    /// before the statement is sent, naming the fix.
    /// </summary>
    /// <exception cref="NotSupportedException">Under native AOT, <typeparamref name="T"/> has no registered row reader.</exception>
    public RowReader RawRows<[DynamicallyAccessedMembers(RawTarget.Members)] T>(bool strict) =>
        RawRowReaders.TryGetValue(typeof(T), out var read) ? RowReader.Compiled(read)
        : RuntimeFeature.IsDynamicCodeSupported ? new RawRowReader<T>(RawColumnRenames<T>(), strict ? RawTarget<T>.Names : null)
        : !FirstColumnReader<T>.IsObject ? FirstColumnReader<T>.Rows
        : throw new NotSupportedException(
            $"FetchAs<{TypeName(typeof(T))}> has no row reader. Without one, raw rows are mapped by Dapper, whose mappers are code generated at run time, which native AOT cannot run. "
            + $"Register a reader where Premix is configured: AddRowReader<{TypeName(typeof(T))}>(row => new {TypeName(typeof(T))} {{ ... }}) (docs/aot.md, Native AOT).");

    // As C# writes it: Outer.Inner, List<Order> rather than the CLR's Inner or List`1.
    private static string TypeName(Type type)
    {
        var name = type.IsNested ? $"{TypeName(type.DeclaringType!)}.{type.Name}" : type.Name;
        return type.IsGenericType && !type.IsNested
            ? $"{name[..name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
            : name;
    }

    /// <summary>How transient failures are retried.</summary>
    public ResilienceOptions Resilience { get; }

    /// <summary>The tenants (<c>UseTenants</c>); <see langword="null"/> when Premix serves one database.</summary>
    public TenancyOptions? Tenancy { get; private init; }

    /// <summary>The engine and database that spans and measurements name.</summary>
    public Diagnostics.TelemetryContext Telemetry { get; }

    /// <summary>One provider per read replica (<c>WithReadReplicas</c>), each opening read-only sessions; empty without any.</summary>
    public IReadOnlyList<IDatabaseProvider> ReadReplicas { get; private init; } = [];

    public ReadReplicaOptions ReadReplicaOptions { get; private init; } = new();

    /// <summary>Checks to run against the built Premix before startup completes.</summary>
    public IReadOnlyList<Action<IPremix>> StartupChecks { get; }

    /// <summary>Validates the model and compiles every plan.</summary>
    /// <exception cref="MappingException">The mapping is invalid.</exception>
    /// <exception cref="NotSupportedException">Dynamic code is off (native AOT) and no generated model is registered
    /// (<c>UseGeneratedModel</c>); if the mapping has problems too, they are listed after it and its
    /// <see cref="Exception.InnerException"/> is the <see cref="MappingException"/>.</exception>
    public static PremixRuntime Build(Action<PremixOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        StartPhases.Mark("build");
        var options = new PremixOptionsBuilder();
        configure(options);
        StartPhases.Mark("configured-options");
        var provider = options.Provider
            ?? options.ProviderFactory?.Invoke(options.ConnectionPool.Resolve(HostingDetector.Detect, Environment.ProcessorCount))
            ?? throw new InvalidOperationException(
            "No database provider is configured. Call UseSqlite(...), UsePostgreSql(...) or UseMySql(...) in AddPremix / PremixFactory.Create.");
        var dialect = provider.Dialect;
        // With dynamic code off, value-object members are read as the nullable types the generated model names (none made
        // at run time); at design time the generated model is neither checked nor used (below).
        var generated = PremixDesignTime.IsActive ? null : options.GeneratedModel;
        Model model;
        try
        {
            model = options.Model.Build(
                p => ArrayColumns.MappingProblem(p, dialect) ?? dialect.MappingProblem(p) ?? CompositeTypeProblem(p, dialect) ?? DecimalDigits.MappingProblem(p, dialect.StoredValues),
                dialect.StoresNatively,
                RuntimeFeature.IsDynamicCodeSupported || generated is null ? null : generated.NullableOf);
        }
        catch (MappingException problems) when (!RuntimeFeature.IsDynamicCodeSupported && generated is null && options.Model.EntityNames.Any())
        {
            // Without dynamic code and a generated model the start fails anyway: one message says so first, naming the way
            // out, then lists the mapping problems (a value object's among them), rather than the problems alone. Without
            // any mapping class (a trimmed assembly scan, say) there is nothing to generate: the problems alone say so.
            throw NativeAotPlans.NoGeneratedModel(options.Model.EntityNames, problems);
        }

        provider.UseModel(model);
        if (RuntimeFeature.IsDynamicCodeSupported)
        {
            // Dapper's type handlers serve its raw-row mappers, which native AOT cannot run (RawRows); registering them there
            // would itself fail, as Dapper makes each handler's cache a generic type at run time.
            ReadConversions.EnsureRegistered();
        }

        options.Tenancy?.Validate(provider, readReplicas: options.ReadReplicas.Count > 0);
        StartPhases.Mark("provider-ready");
        // At design time the premix tool runs the application's startup to read its configuration, often to regenerate a
        // generated model gone stale: checking that model there would stop the very start the tool needs.
        var plans = Compile(model, provider, generated);
        StartPhases.Mark("plans-checked");
        Querying.QueryFilterCheck.ThrowIfUntranslatable(plans.Values, dialect);
        StartPhases.Mark("filters-checked");
        var runtime = new PremixRuntime(provider, ownsProvider: options.Provider is null, model, plans, options.LogParameterValues, options.StartupChecks.ToArray(), options.Resilience)
        {
            BulkInsertThreshold = options.BulkInsertRows ?? (dialect as IBulkInsertDialect)?.DefaultBulkInsertThreshold ?? int.MaxValue,
            ReadReplicas = Replicas.ReadReplicaProviders.Create(provider, model, options.ReadReplicas, options.ConnectionPool, options.ReadReplicaOptions),
            ReadReplicaOptions = options.ReadReplicaOptions,
            Tenancy = options.Tenancy,
            RawRowReaders = new Dictionary<Type, Func<DbDataReader, object>>(options.RawRowReaders),
        };
        StartPhases.Mark("runtime");
        return runtime;
    }

    // With a generated model, its delegates are wired by property: it must fit the model before a plan uses them, and its
    // statements must be the plans' (the check a CI run of premix optimize would make, made at every start).
    private static IReadOnlyDictionary<Type, EntityPlan> Compile(Model model, IDatabaseProvider provider, GeneratedModel? generated)
    {
        if (generated is null)
        {
            return RuntimeFeature.IsDynamicCodeSupported ? new PlanCompiler(provider.Dialect).Compile(model) : throw NativeAotPlans.NoGeneratedModel(model);
        }

        var differences = GeneratedModelCheck.Structure(generated, model, provider.Name, provider.Dialect, RuntimeFeature.IsDynamicCodeSupported);
        if (differences.Count > 0)
        {
            throw new GeneratedModelMismatchException(differences);
        }

        StartPhases.Mark("structure-checked");
        var plans = new PlanCompiler(provider.Dialect, generated).Compile(model);
        StartPhases.Mark("plans");
        differences = GeneratedModelCheck.Statements(generated, plans.Values, provider.Dialect);
        return differences.Count > 0 ? throw new GeneratedModelMismatchException(differences) : plans;
    }

    private static (string Problem, string Fix)? CompositeTypeProblem(PropertyModel property, ISqlDialect dialect) =>
        property.CompositeType is { } composite && !dialect.StoresCompositeTypes
            ? ($"is stored as the composite type {composite.Name}, which only PostgreSQL has.", $"On this database store its parts as columns with Owns(x => x.{property.Property.Name}), or the whole value as a document with StoredAsJson().")
            : null;

    public EntityPlan Plan(Type type) =>
        Plans.TryGetValue(type, out var plan) ? plan : throw new InvalidOperationException(
            $"{type.Name} is not mapped. Add a ModelConfiguration<{type.Name}> class and register it with AddModelConfiguration or AddModelConfigurationsFrom.");
}
