using System.Data;
using System.Linq.Expressions;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Tenancy;

namespace Premix.Testing;

/// <summary>
/// A recording fake of <see cref="IPremix"/>, its units of work and repositories, for unit tests without a database. It is
/// built from the application's own <c>ModelConfiguration</c> classes (a bad mapping fails here as at startup), serves
/// reads and <see cref="Query{T}"/> from rows the test seeds, commits through Premix's own change tracking, hooks and
/// validation, and records every commit and raw statement. A test can script failures: an error on the next commit, a
/// unique constraint, answers to raw SQL.
/// </summary>
/// <remarks>
/// What it cannot tell you, a real database can: see "A recording fake for unit tests" in docs/testing-your-app.md for
/// where its answers differ (text comparison, NULL ordering, precision, constraints, raw SQL) and when to use which.
/// Thread-safe: units of work on several threads share its tables as sessions share a database (last commit wins,
/// except where a version column catches it).
/// </remarks>
public sealed class FakePremix : IPremix
{
    private readonly object _gate = new();
    private readonly List<RecordedCommit> _commits = [];
    private readonly FakeRawScripts _raw = new();
    private readonly List<FakeUniqueConstraint> _uniques = [];
    private readonly Queue<Exception> _commitFailures = new();
    private FakeStore _store;
    private long _generation; // commits published so far: a transaction begun before another commit cannot be published over it

    private FakePremix(PremixRuntime runtime, FakeOptions options, IServiceProvider? services)
    {
        Runtime = runtime;
        Options = options;
        Services = services;
        Plans = runtime.Model.Entities.Select(e => runtime.Plans[e.ClrType]).ToArray();
        _store = new FakeStore(Plans);
        _uniques.AddRange(Plans.SelectMany(plan => plan.Entity.Indexes.Where(i => i.IsUnique).Select(index =>
            new FakeUniqueConstraint(index.Name, plan, index.Properties.Select(p => plan.Properties.First(b => b.Property == p)).ToList()))));
    }

    /// <summary>
    /// Builds the fake from the same configuration as <c>AddPremix</c>: the model is validated and every plan compiled, so a
    /// mapping problem throws the same <see cref="MappingException"/>. Without a provider the plans are in a neutral SQL;
    /// with one (<c>UseSqlite(...)</c>), in that engine's, still without ever opening a connection. Startup checks are not run.
    /// </summary>
    /// <param name="configure">Adds the mapping classes (and optionally a provider and naming convention).</param>
    /// <param name="options">How text compares and NULLs sort; <see cref="FakeOptions.Sqlite"/> when null.</param>
    /// <param name="services">Where commits find <see cref="IEntityHook{T}"/> services, as Premix finds them in the scope.</param>
    /// <exception cref="MappingException">The mapping is invalid; the message lists every problem.</exception>
    public static FakePremix Create(Action<PremixOptionsBuilder> configure, FakeOptions? options = null, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var runtime = PremixRuntime.Build(builder =>
        {
            configure(builder);
            if (builder.Provider is null && builder.ProviderFactory is null)
            {
                builder.UseProvider(InMemoryProvider.Instance);
            }
        });
        if (runtime.Tenancy?.Strategy is TenantStrategy.Database or TenantStrategy.Schema)
        {
            DisposeOwnedProvider(runtime); // no fake is returned to dispose it
            throw new NotSupportedException(
                $"Premix.Testing's in-memory fake keeps one set of tables, so it cannot give each tenant a {(runtime.Tenancy.Strategy == TenantStrategy.Database ? "database" : "schema")} of its own (UseTenants with {runtime.Tenancy.Strategy}PerTenant): every tenant would see the others' rows. "
                + "It binds a tenant column (UseTenants(t => t.TenantColumn())); test a database or schema per tenant against real databases (an InMemoryTestDatabase file per tenant on SQLite, or your engine).");
        }

        return new FakePremix(runtime, options ?? FakeOptions.Sqlite, services);
    }

    /// <summary>How text compares and NULLs sort in this fake's queries.</summary>
    public FakeOptions Options { get; }

    /// <inheritdoc />
    public Model Model => Runtime.Model;

    /// <inheritdoc />
    public IDatabaseProvider Provider => Runtime.Provider;

    /// <summary>Always null: the fake opens no connection.</summary>
    public ConnectionSettings? Connections => null;

    /// <inheritdoc />
    public IReadOnlyList<EntityPlan> Plans { get; }

    /// <summary>Every commit that had something to write, in order, failed ones included.</summary>
    public IReadOnlyList<RecordedCommit> Commits
    {
        get
        {
            lock (_gate)
            {
                return _commits.ToArray();
            }
        }
    }

    /// <summary>Every raw statement run, through <see cref="Raw(string, object?)"/> or a unit of work's <c>Raw</c>, in order.</summary>
    public IReadOnlyList<RecordedRawStatement> Statements => _raw.Statements;

    internal PremixRuntime Runtime { get; }

    internal IServiceProvider? Services { get; }

    internal FakeStore Store
    {
        get
        {
            lock (_gate)
            {
                return _store;
            }
        }
    }

    internal IReadOnlyList<FakeUniqueConstraint> UniqueConstraints
    {
        get
        {
            lock (_gate)
            {
                return _uniques.ToArray();
            }
        }
    }

    /// <summary>
    /// Stores rows as they are, without hooks or validation, as a test's arrange step would insert them with SQL. A
    /// generated key left at its default is assigned (on the object too), and later generated keys follow the largest one.
    /// </summary>
    /// <remarks>A row of a table shared by tenants (<c>HasTenantColumn</c>) is seeded with its tenant set, as its NOT NULL column needs.</remarks>
    /// <exception cref="InvalidOperationException">A row has the key of one already stored.</exception>
    /// <exception cref="ArgumentException">A row of a table shared by tenants has no tenant.</exception>
    public FakePremix Seed<T>(params T[] rows)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        var plan = Runtime.Plan(typeof(T));
        lock (_gate)
        {
            foreach (var row in rows)
            {
                ArgumentNullException.ThrowIfNull(row, nameof(rows));
                if (plan.GetTenant is { } tenantOf && string.IsNullOrEmpty(tenantOf(row) as string))
                {
                    throw new ArgumentException($"A seeded {plan.Entity.Name} has no tenant in {plan.Entity.Name}.{plan.TenantBinding!.Property.Name}: its table is shared by tenants and the column is NOT NULL. Seed each row with its tenant, as an arrange step's INSERT names it.", nameof(rows));
                }

                if (plan.SetGeneratedKey is not null && plan.IsNew(row))
                {
                    plan.SetGeneratedKey(row, _store.NextKey(plan));
                }

                if (_store.Contains(plan, plan.KeyOf(row)))
                {
                    throw new InvalidOperationException($"The fake already holds a {plan.Entity.Name} with key {Tracking.KeyText.Describe(plan, row)}; seed each key once.");
                }

                plan.For(row).Inheritance?.MarkForInsert(row); // a seeded row of a hierarchy holds its class's discriminator, as an insert writes it
                _store.SawKey(plan, plan.KeyParameters[0].ReadStored(row));
                _store.Put(plan, row);
            }
        }

        return this;
    }

    /// <summary>The committed rows of <typeparamref name="T"/> (soft-deleted ones included), as new copies, in insertion order: what a test asserts on after the code under test committed.</summary>
    public IReadOnlyList<T> Rows<T>()
        where T : class
    {
        var plan = Runtime.Plan(typeof(T));
        return Store.Rows(plan).Select(row => (T)plan.For(row).Copy(row)).ToList();
    }

    /// <summary>
    /// Declares a unique constraint the fake enforces on every commit from now on: an insert or update that gives two rows
    /// the same values (none of them NULL, text compared by <see cref="FakeOptions.TextComparer"/>) throws
    /// <see cref="UniqueConstraintException"/> naming <paramref name="name"/>, and the commit is rolled back. Keys and the
    /// mapping's unique indexes (<c>HasIndex(...).IsUnique()</c>) are always enforced; nothing else is, unless declared.
    /// </summary>
    public FakePremix HasUniqueConstraint<T>(string name, params Expression<Func<T, object?>>[] properties)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(properties);
        var plan = Runtime.Plan(typeof(T));
        var bindings = properties.Select(p => new InMemoryColumns(plan, p).Find(p.Body)
            ?? throw new ArgumentException($"{p} must name a mapped property of {plan.Entity.Name}, as in x => x.Email.", nameof(properties))).ToList();
        lock (_gate)
        {
            _uniques.Add(new FakeUniqueConstraint(name, plan, bindings));
        }

        return this;
    }

    /// <summary>Makes the next commit that has something to write fail with <paramref name="error"/>, after its hooks and validation ran, and roll back.</summary>
    public FakePremix FailNextCommit(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate)
        {
            _commitFailures.Enqueue(error);
        }

        return this;
    }

    /// <summary>Makes the next commit fail as a stale write of the <typeparamref name="T"/> with <paramref name="key"/> does: a <see cref="ConcurrencyException"/>, everything rolled back.</summary>
    public FakePremix FailNextCommitWithConcurrency<T>(object key)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        var plan = Runtime.Plan(typeof(T));
        return FailNextCommit(new ConcurrencyException(plan.Update.Name, typeof(T), Tracking.KeyText.DescribeKeyValue(plan, key)));
    }

    /// <summary>Makes the next commit fail as an insert of a <typeparamref name="T"/> that breaks unique constraint <paramref name="constraint"/> on <paramref name="columns"/> would.</summary>
    public FakePremix FailNextCommitWithUniqueViolation<T>(string constraint, params string[] columns)
        where T : class
    {
        var plan = Runtime.Plan(typeof(T));
        var violation = new ConstraintViolation(ConstraintViolationKind.Unique, constraint, plan.Entity.Table, columns, "scripted by the recording fake");
        return FailNextCommit(new UniqueConstraintException(plan.Insert.Name, plan.Entity.Name, plan.Insert.Sql, violation,
            new InvalidOperationException("Scripted with FailNextCommitWithUniqueViolation; no database was involved.")));
    }

    /// <summary>Makes the next commit fail validation of <typeparamref name="T"/>.<paramref name="property"/> with <paramref name="message"/>, as a broken mapping rule would.</summary>
    public FakePremix FailNextCommitWithValidation<T>(string? property, string message)
        where T : class => FailNextCommit(new ValidationException([new ValidationFailure(Runtime.Plan(typeof(T)).Entity.Name, property, message)]));

    /// <summary>Scripts the answer to raw statements whose SQL is <paramref name="sql"/> (compared with runs of whitespace as one space). The latest matching script answers.</summary>
    public FakeRawResponse OnRaw(string sql) => _raw.On(sql);

    /// <summary>Scripts the answer to the raw statements <paramref name="matches"/> accepts. The latest matching script answers.</summary>
    public FakeRawResponse OnRaw(Func<RecordedRawStatement, bool> matches) => _raw.On(matches);

    /// <summary>
    /// A unit of work over the fake's tables; the isolation level is accepted and has no effect. With
    /// <c>UseTenants(t => t.TenantColumn())</c> it belongs to the ambient tenant (<see cref="PremixTenant.Begin"/>) only, as
    /// Premix's <c>BeginUnitOfWork()</c> does: an <see cref="ITenantResolver"/> among the fake's services is not consulted
    /// (<see cref="BeginScopedUnitOfWork"/> is the unit of work a DI scope injects, which consults it).
    /// </summary>
    /// <exception cref="TenantRequiredException">With <c>UseTenants</c>, no ambient tenant is set.</exception>
    public IUnitOfWork BeginUnitOfWork(IsolationLevel isolationLevel = IsolationLevel.Unspecified) => new FakeUnitOfWork(this, scope: null);

    /// <summary>
    /// The unit of work Premix injects into a DI scope (<c>IUnitOfWork</c>, with <c>AddPremix</c>), with the services given to
    /// <see cref="Create"/> as that scope: a tenant column's tenant is the ambient one or the one their
    /// <see cref="ITenantResolver"/> names (both set and different: <see cref="TenantConflictException"/>).
    /// </summary>
    /// <exception cref="TenantConflictException">With <c>UseTenants</c>, the ambient tenant and the resolver's differ.</exception>
    /// <exception cref="TenantRequiredException">With <c>UseTenants</c>, neither names a tenant.</exception>
    public IUnitOfWork BeginScopedUnitOfWork() => new FakeUnitOfWork(this, Services);

    /// <summary>Records the statement and answers with what <see cref="OnRaw(string)"/> scripted.</summary>
    /// <exception cref="TenantRequiredException">With <c>UseTenants</c>, no ambient tenant is set, as Premix refuses it.</exception>
    public RawQuery Raw(RawSql sql) => RawQuery.Served(RawRunner(), Runtime, sql);

    /// <summary>Records the statement and answers with what <see cref="OnRaw(string)"/> scripted.</summary>
    /// <exception cref="TenantRequiredException">With <c>UseTenants</c>, no ambient tenant is set, as Premix refuses it.</exception>
    public RawQuery Raw(string sql, object? args = null) => RawQuery.Served(RawRunner(), Runtime, sql, args);

    RawQuery IPremix.Raw(RawSql sql, object? args) => throw RawQuery.MixedArguments();

    /// <inheritdoc />
    public EntityPlan GetPlan<T>()
        where T : class => Runtime.Plan(typeof(T));

    /// <inheritdoc />
    public string DescribePlans() => string.Join(Environment.NewLine, Plans.Select(p => p.ToSql()));

    /// <summary>Disposes a provider the fake created from the configuration (it never opened a connection).</summary>
    public void Dispose() => DisposeOwnedProvider(Runtime);

    private static void DisposeOwnedProvider(PremixRuntime runtime)
    {
        if (runtime.OwnsProvider && runtime.Provider is IDisposable provider && runtime.Provider != InMemoryProvider.Instance)
        {
            provider.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // A raw statement outside a unit of work runs for the ambient tenant with UseTenants: none fails closed, as in Premix.
    private FakeRawRunner RawRunner()
    {
        Runtime.Tenancy?.CheckTenantId(TenantResolution.Resolve(null));

        return new FakeRawRunner(this, inUnitOfWork: false);
    }

    /// <summary>A copy of the committed tables for a unit of work's transaction, and the commit count it starts from.</summary>
    internal (FakeStore Tables, long Generation) BeginTransaction()
    {
        lock (_gate)
        {
            return (_store.Clone(), _generation);
        }
    }

    /// <summary>
    /// Runs a commit's writes on its transaction (or on a fresh copy of the tables) and publishes the result, one commit at
    /// a time: the scripted failure, if any, comes first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transaction began (with a bulk statement) before another unit of work committed: the fake cannot merge the two.</exception>
    internal void Commit((FakeStore Tables, long Generation)? transaction, Func<FakeStore, RecordedCommit> write)
    {
        lock (_gate)
        {
            if (transaction is { } begun && begun.Generation != _generation)
            {
                throw new InvalidOperationException(
                    "Another unit of work committed to the recording fake after this one ran a bulk statement; the fake works on a copy of its tables from that statement and cannot merge both. Run them one after the other, or test concurrent writers against a real database.");
            }

            if (_commitFailures.TryDequeue(out var error))
            {
                throw error;
            }

            var tables = transaction?.Tables ?? _store.Clone();
            var commit = write(tables);
            _store = tables;
            _generation++;
            _commits.Add(commit);
        }
    }

    internal void RecordCommit(RecordedCommit commit)
    {
        lock (_gate)
        {
            _commits.Add(commit);
        }
    }

    /// <summary>Records a raw statement and answers it from the latest script that matches.</summary>
    internal TResult AnswerRaw<TResult>(RawQuery query, RawStatementKind kind, bool inUnitOfWork, Func<FakeRawResponse, RecordedRawStatement, TResult> answer) =>
        _raw.Answer(query, kind, inUnitOfWork, answer);

}
