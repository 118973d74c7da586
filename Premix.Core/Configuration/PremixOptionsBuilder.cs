using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Mapping;
using Premix.Providers;

namespace Premix;

/// <summary>
/// Configures Premix: the database provider (<c>UseSqlite</c>, <c>UsePostgreSql</c>, <c>UseMySql</c>), the mapping
/// classes and the naming convention.
/// </summary>
public sealed class PremixOptionsBuilder
{
    internal IDatabaseProvider? Provider { get; private set; }

    internal Func<ConnectionSettings, IDatabaseProvider>? ProviderFactory { get; private set; }

    internal ConnectionPoolOptions ConnectionPool { get; } = new();

    internal ResilienceOptions Resilience { get; } = new();

    internal ModelBuilder Model { get; } = new();

    internal bool LogParameterValues { get; private set; }

    internal List<Action<IPremix>> StartupChecks { get; } = [];

    /// <summary>The connection strings of the read replicas (<see cref="WithReadReplicas"/>).</summary>
    internal List<string> ReadReplicas { get; } = [];

    internal ReadReplicaOptions ReadReplicaOptions { get; } = new();

    /// <summary>The tenants, when <see cref="UseTenants"/> was called.</summary>
    internal TenancyOptions? Tenancy { get; private set; }

    /// <summary>The generated model (<see cref="UseGeneratedModel"/>), or <see langword="null"/>: plans compile their delegates.</summary>
    internal Plans.GeneratedModel? GeneratedModel { get; private set; }

    /// <summary>The row readers of raw queries' target types (<see cref="AddRowReader"/>), by type.</summary>
    internal Dictionary<Type, Func<DbDataReader, object>> RawRowReaders { get; } = [];

    /// <summary>The bulk insert threshold the application chose (<see cref="int.MaxValue"/> when turned off); <see langword="null"/>: the engine's default.</summary>
    internal int? BulkInsertRows { get; private set; }

    /// <summary>Uses <paramref name="provider"/>. Provider packages offer friendlier methods such as <c>UsePostgreSql(connectionString)</c>.</summary>
    /// <remarks>A provider given ready-made keeps its connection settings as they are; see the overload that takes a factory.</remarks>
    public PremixOptionsBuilder UseProvider(IDatabaseProvider provider)
    {
        Provider = provider ?? throw new ArgumentNullException(nameof(provider));
        ProviderFactory = null;
        return this;
    }

    /// <summary>
    /// Uses the provider <paramref name="create"/> makes, at build time, with the connection settings chosen for the
    /// environment (<see cref="ConfigureConnectionPool"/>, docs/configuration.md). This is what <c>UsePostgreSql</c> and
    /// the other provider methods do.
    /// </summary>
    public PremixOptionsBuilder UseProvider(Func<ConnectionSettings, IDatabaseProvider> create)
    {
        ProviderFactory = create ?? throw new ArgumentNullException(nameof(create));
        Provider = null;
        return this;
    }

    /// <summary>
    /// Replaces settings Premix would choose for the environment it detects (pool size, idle lifetime, timeouts), or
    /// the environment itself. A setting the connection string names wins over both.
    /// </summary>
    public PremixOptionsBuilder ConfigureConnectionPool(Action<ConnectionPoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(ConnectionPool);
        return this;
    }

    /// <summary>
    /// Tunes or turns off retries of transient failures (deadlocks, serialization failures, a busy database, lost
    /// connections): reads are retried, and a commit is run again as a whole. On by default.
    /// </summary>
    public PremixOptionsBuilder ConfigureResilience(Action<ResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Resilience);
        Resilience.Validate();
        return this;
    }

    /// <summary>
    /// Sends reads outside a unit of work's transaction to these read replicas of the database chosen with
    /// <c>UsePostgreSql</c>, when one may serve them: it is up, not lagging beyond <see cref="ReadReplicaOptions.MaxLag"/>,
    /// and, after a commit in the same unit of work (or with a <see cref="ReadYourWritesToken"/> handed in), it has
    /// replayed that commit. Everything else goes to the primary: writes, reads inside a transaction, raw SQL not marked
    /// <see cref="RawQuery.ReadOnly"/>, migrations and locks. See docs/scale-out.md.
    /// </summary>
    /// <param name="connectionStrings">One connection string per replica (its sessions are opened read-only).</param>
    /// <exception cref="ArgumentException">No connection string, or an empty one.</exception>
    /// <remarks>
    /// The engine must have read replicas: with SQLite, building Premix fails with a message saying so. Replicas and
    /// <see cref="UseTenants"/> are not combined: building Premix with both fails with <see cref="NotSupportedException"/>
    /// (tenant work would never reach the replicas; docs/scale-out.md, "Replicas and tenants").
    /// </remarks>
    public PremixOptionsBuilder WithReadReplicas(params string[] connectionStrings)
    {
        ArgumentNullException.ThrowIfNull(connectionStrings);
        if (connectionStrings.Length == 0 || connectionStrings.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("WithReadReplicas needs one non-empty connection string per read replica.", nameof(connectionStrings));
        }

        ReadReplicas.AddRange(connectionStrings);
        return this;
    }

    /// <summary>Tunes how reads go to the read replicas of <see cref="WithReadReplicas"/>: the wait for a replica to catch up, the lag tolerated, how long a replica may take to answer, how soon a skipped replica is tried again.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message lists every one.</exception>
    public PremixOptionsBuilder ConfigureReadReplicas(Action<ReadReplicaOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(ReadReplicaOptions);
        ReadReplicaOptions.Validate();
        return this;
    }

    /// <summary>Adds one mapping class.</summary>
    public PremixOptionsBuilder AddModelConfiguration(ModelConfiguration configuration)
    {
        Model.Add(configuration);
        return this;
    }

    /// <summary>Adds one mapping class by type.</summary>
    public PremixOptionsBuilder AddModelConfiguration<TConfiguration>()
        where TConfiguration : ModelConfiguration, new() => AddModelConfiguration(new TConfiguration());

    /// <summary>Adds every mapping class found in <paramref name="assembly"/>; finding none fails the start, naming the assembly.</summary>
    /// <remarks>Trimming (and so native AOT) removes mapping classes that nothing but this scan names: there register each with <see cref="AddModelConfiguration{TConfiguration}"/> (docs/aot.md).</remarks>
    [RequiresUnreferencedCode(Mapping.ModelBuilder.ScanTrimmingMessage)]
    public PremixOptionsBuilder AddModelConfigurationsFrom(Assembly assembly)
    {
        Model.AddFromAssembly(assembly);
        return this;
    }

    /// <summary>
    /// Lets Premix start with no entity mapped, for tools and applications that use it only for raw SQL or migrations.
    /// Without it an empty model fails the start with a <see cref="MappingException"/>, because it almost always means
    /// the mapping classes were not found (wrong assembly, or removed by trimming).
    /// </summary>
    public PremixOptionsBuilder AllowEmptyModel()
    {
        Model.AllowEmptyModel();
        return this;
    }

    /// <summary>Chooses how tables and columns are named when the mapping does not name them.</summary>
    public PremixOptionsBuilder UseNamingConvention(NamingConvention naming)
    {
        Model.UseNamingConvention(naming);
        return this;
    }

    /// <summary>
    /// Stores every mapped property of <typeparamref name="TModel"/> through a conversion, unless its own mapping calls
    /// <c>HasConversion</c>: <c>Convert&lt;Money, decimal&gt;(m =&gt; m.Amount, d =&gt; new Money(d))</c> (see docs/types.md, "Value converters").
    /// </summary>
    public PremixOptionsBuilder Convert<TModel, TProvider>(Expression<Func<TModel, TProvider>> toProvider, Expression<Func<TProvider, TModel>> fromProvider)
    {
        Model.Convert(toProvider, fromProvider);
        return this;
    }

    /// <summary>The System.Text.Json options of every property mapped <c>StoredAsJson()</c> without options of its own (see docs/types.md, "JSON columns").</summary>
    public PremixOptionsBuilder UseJsonSerializerOptions(System.Text.Json.JsonSerializerOptions options)
    {
        Model.UseJsonSerializerOptions(options);
        return this;
    }

    /// <summary>Stores every mapped property of the converter's model type through <paramref name="converter"/>, unless its own mapping calls <c>HasConversion</c>.</summary>
    public PremixOptionsBuilder Convert(ValueConverter converter)
    {
        Model.Convert(converter);
        return this;
    }

    /// <summary>
    /// Uses the accessors, row readers and snapshot delegates that <c>premix optimize</c> generated for this model
    /// (<c>UseGeneratedModel(MyAppModel.Instance)</c>) instead of compiling expression trees: plans compile nothing at
    /// startup or on first use (docs/aot.md). The mapping classes are still registered and validated as usual.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <remarks>
    /// When Premix is built, the generated model is compared with the model the mapping builds; any difference (an entity
    /// added, a column renamed, another engine) fails the start with <see cref="Plans.GeneratedModelMismatchException"/>
    /// listing every one. Regenerate after changing a mapping.
    /// </remarks>
    public PremixOptionsBuilder UseGeneratedModel(Plans.GeneratedModel model)
    {
        GeneratedModel = model ?? throw new ArgumentNullException(nameof(model));
        return this;
    }

    /// <summary>
    /// Reads the rows of raw queries mapped onto <typeparamref name="T"/> (<c>Raw(...).FetchAs&lt;T&gt;()</c>, <c>FetchOneAs</c>,
    /// <c>FetchSingleAs</c>) with <paramref name="read"/> instead of Dapper's mapping by column name. Native AOT applications
    /// need one per type they fetch: Dapper builds its mappers with code generated at run time, which native AOT cannot run,
    /// so there <c>FetchAs&lt;T&gt;</c> of a type without a reader throws <see cref="NotSupportedException"/> (docs/aot.md).
    /// </summary>
    /// <typeparam name="T">The type raw queries fetch (exactly this type: a reader of a base class does not serve a derived one).</typeparam>
    /// <param name="read">Builds one <typeparamref name="T"/> from the current row, reading its columns by position or name
    /// (<c>row =&gt; new SalesRow(row.GetString(0), row.GetDecimal(1))</c>); it sees every row of every raw query fetched as <typeparamref name="T"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="read"/> is null.</exception>
    /// <remarks>A reader reads the columns it is written for: <see cref="RawQuery.Strict"/> checks nothing more for its type. Registering a second reader for a type replaces the first.</remarks>
    public PremixOptionsBuilder AddRowReader<T>(Func<DbDataReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        RawRowReaders[typeof(T)] = row => read(row)!;
        return this;
    }

    /// <summary>
    /// Includes parameter values in Debug logs (off by default). Values of <c>Sensitive()</c> columns are still shown as <c>***</c>.
    /// </summary>
    public PremixOptionsBuilder EnableParameterLogging(bool enabled = true)
    {
        LogParameterValues = enabled;
        return this;
    }

    /// <summary>
    /// Sets how many new rows of one entity type a commit must insert, consecutively, before it sends them through the
    /// engine's bulk channel (PostgreSQL's binary <c>COPY</c>) instead of its many-row statement. Everything a commit
    /// guarantees holds either way (validation, hooks, generated keys written back, foreign keys, one transaction, full
    /// rollback). Each engine has a measured default (docs/unit-of-work.md, "The bulk path"); engines without a bulk
    /// channel (SQLite, MySQL and MariaDB for now) ignore it.
    /// </summary>
    /// <param name="rows">The smallest run of inserts that goes through the bulk channel: 1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is zero or negative.</exception>
    public PremixOptionsBuilder BulkInsertThreshold(int rows)
    {
        if (rows <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The bulk insert threshold is the number of new rows of one entity type from which a commit uses the bulk channel, so it must be 1 or more; it was {rows}. To never use the bulk channel, call DisableBulkInsert().");
        }

        BulkInsertRows = rows;
        return this;
    }

    /// <summary>Never sends a commit's inserts through the engine's bulk channel: they keep the many-row statements, whatever their number.</summary>
    public PremixOptionsBuilder DisableBulkInsert()
    {
        BulkInsertRows = int.MaxValue;
        return this;
    }

    /// <summary>
    /// Serves many tenants from one model and one set of compiled plans: a database or a schema per tenant, or a tenant
    /// column in shared tables, the tenant named
    /// per scope by an <see cref="ITenantResolver"/> or ambiently by <see cref="PremixTenant.Begin"/>. Tenancy fails closed:
    /// work without a tenant throws <see cref="TenantRequiredException"/> before any SQL (docs/multi-tenancy.md).
    /// </summary>
    /// <remarks>
    /// Not with <see cref="WithReadReplicas"/>: building Premix with both fails with <see cref="NotSupportedException"/>,
    /// under every strategy (docs/scale-out.md, "Replicas and tenants").
    /// </remarks>
    public PremixOptionsBuilder UseTenants(Action<TenancyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var tenancy = new TenancyOptions();
        configure(tenancy);
        Tenancy = tenancy;
        return this;
    }

    /// <summary>
    /// Runs <paramref name="check"/> once Premix is built: before <c>PremixFactory.Create</c> returns, or, with
    /// <c>AddPremix</c>, when the host starts (without a host, when <see cref="IPremix"/> is first resolved). An exception
    /// it throws fails the start (used by <c>VerifySchemaAtStartup()</c> of Premix.Migrations).
    /// </summary>
    public PremixOptionsBuilder AddStartupCheck(Action<IPremix> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        StartupChecks.Add(check);
        return this;
    }
}
