using System.Text.RegularExpressions;

namespace Premix;

/// <summary>
/// Configures tenants (<c>UseTenants</c>): where each tenant's rows live (<see cref="DatabasePerTenant(Func{string, string?})"/>,
/// <see cref="SchemaPerTenant"/>, or shared tables with <see cref="TenantColumn"/>), which tenants exist (for sync and
/// migrations across all of them), and how many tenant databases stay open. One model and one set of compiled plans serve every tenant (docs/multi-tenancy.md).
/// </summary>
public sealed partial class TenancyOptions
{
    private int _maxOpenDatabases = 100;
    private TimeSpan _idleTimeout = TimeSpan.FromMinutes(5);
    private Regex _tenantIdFormat = DefaultTenantIdFormat();

    /// <summary>
    /// The form every tenant identifier must have, checked before it reaches a callback, a connection string, a schema name,
    /// a message or a log: by default <c>\A[a-z0-9][a-z0-9_-]{0,62}\z</c>, lowercase only, so that two spellings of one
    /// tenant (<c>Acme</c>, <c>acme</c>) never name two tenants that share a database (MySQL with
    /// <c>lower_case_table_names</c>, a case-insensitive file system). A format of your own should be anchored
    /// (<c>\A…\z</c>) and just as strict: the identifier usually comes from a request.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    public Regex TenantIdFormat
    {
        get => _tenantIdFormat;
        set => _tenantIdFormat = value ?? throw new ArgumentNullException(nameof(value));
    }

    internal TenantStrategy? Strategy { get; private set; }

    internal Func<string, string?>? ConnectionStringOf { get; private set; }

    internal Func<string, string> SchemaOf { get; private set; } = static tenant => tenant;

    internal Func<CancellationToken, ValueTask<IReadOnlyList<string>>>? ListTenants { get; private set; }

    /// <summary>
    /// How many tenant databases (each with a connection pool of its own) stay open at once; 100 by default. At the bound
    /// the least recently used one that no unit of work is using is closed to make room; when every open one is in use, a
    /// unit of work for another tenant fails at once (before any SQL) rather than open one more pool.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int MaxOpenDatabases
    {
        get => _maxOpenDatabases;
        set => _maxOpenDatabases = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxOpenDatabases is how many tenant databases stay open at once, so it must be 1 or more.");
    }

    /// <summary>How long a tenant database stays open with no unit of work using it before its pool is closed; 5 minutes by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set => _idleTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "IdleTimeout must be longer than zero.");
    }

    /// <summary>
    /// Gives each tenant a database of its own (a file on SQLite): <paramref name="connectionString"/> returns the tenant's
    /// connection string, or <see langword="null"/> for a tenant that does not exist. It is called once per tenant while
    /// the tenant's database is open, so it may read configuration or a catalog.
    /// </summary>
    public TenancyOptions DatabasePerTenant(Func<string, string?> connectionString)
    {
        ConnectionStringOf = connectionString ?? throw new ArgumentNullException(nameof(connectionString));
        Strategy = TenantStrategy.Database;
        return this;
    }

    /// <summary>Gives each tenant a database of its own, from a fixed table of tenant → connection string, which also lists the tenants.</summary>
    public TenancyOptions DatabasePerTenant(IReadOnlyDictionary<string, string> connectionStrings)
    {
        ArgumentNullException.ThrowIfNull(connectionStrings);
        var table = new Dictionary<string, string>(connectionStrings, StringComparer.Ordinal);
        IReadOnlyList<string> tenants = [.. table.Keys];
        ListTenants = _ => ValueTask.FromResult(tenants);
        return DatabasePerTenant(tenant => table.GetValueOrDefault(tenant));
    }

    /// <summary>
    /// Gives each tenant a schema of its own in the configured database (PostgreSQL), or a database of its own on the
    /// configured server (MySQL, MariaDB: a schema is a database there). <paramref name="schemaName"/> names a tenant's
    /// schema (the tenant's identifier when omitted); the name must be letters, digits and underscores, at most 63.
    /// SQLite has no schemas: use <see cref="DatabasePerTenant(Func{string, string?})"/> with a file per tenant.
    /// </summary>
    public TenancyOptions SchemaPerTenant(Func<string, string>? schemaName = null)
    {
        SchemaOf = schemaName ?? (static tenant => tenant);
        Strategy = TenantStrategy.Schema;
        return this;
    }

    /// <summary>
    /// Keeps every tenant's rows in the same tables, told apart by the tenant column each shared entity declares
    /// (<c>e.HasTenantColumn(x =&gt; x.TenantId)</c>): its statements keep only the current tenant's rows, the tenant always
    /// a parameter, and inserts set the column. Entities without one are shared by all tenants (docs/multi-tenancy.md).
    /// </summary>
    /// <param name="rowLevelSecurity">
    /// PostgreSQL only: also set <c>premix.tenant</c> to the tenant, transaction-locally, with every statement and at the start
    /// of every transaction, so row-level security policies (<c>current_setting('premix.tenant')</c>) keep other tenants'
    /// rows out of raw SQL and lifted filters too.
    /// </param>
    public TenancyOptions TenantColumn(bool rowLevelSecurity = false)
    {
        Strategy = TenantStrategy.Column;
        RowLevelSecurity = rowLevelSecurity;
        return this;
    }

    internal bool RowLevelSecurity { get; private set; }

    /// <summary>Names every tenant, for the operations that run across all of them (<c>SyncAllTenantsAsync</c>, <c>premix migrate up-all-tenants</c>).</summary>
    public TenancyOptions ListTenantsWith(Func<CancellationToken, ValueTask<IReadOnlyList<string>>> listTenants)
    {
        ListTenants = listTenants ?? throw new ArgumentNullException(nameof(listTenants));
        return this;
    }

    /// <summary>Names every tenant from a fixed list.</summary>
    public TenancyOptions ListTenantsWith(IEnumerable<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        IReadOnlyList<string> list = [.. tenants];
        return ListTenantsWith(_ => ValueTask.FromResult(list));
    }

    /// <summary>Refuses a tenant identifier not of <see cref="TenantIdFormat"/>, without repeating it (it may carry line breaks or a path).</summary>
    /// <exception cref="UnknownTenantException">It is not.</exception>
    internal void CheckTenantId(string tenantId)
    {
        if (!_tenantIdFormat.IsMatch(tenantId))
        {
            throw new UnknownTenantException(tenantId, $"A tenant identifier of {tenantId.Length} character(s) was refused: it does not match TenancyOptions.TenantIdFormat ({_tenantIdFormat}), so it reaches no database, schema or log. Check where the identifier comes from (a header, a claim), or set TenantIdFormat.");
        }
    }

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9_-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultTenantIdFormat();

    /// <summary>Refuses an incomplete configuration at startup, and one with read replicas (<paramref name="readReplicas"/>), which tenant work does not route to.</summary>
    internal void Validate(Providers.IDatabaseProvider provider, bool readReplicas)
    {
        if (Strategy is null)
        {
            throw new InvalidOperationException("UseTenants was called without a strategy: call DatabasePerTenant(...), SchemaPerTenant() or TenantColumn() in it (docs/multi-tenancy.md).");
        }

        // Every unit of work and statement runs on a tenant's executor, which has no replicas: the configured ones would be
        // silently unused. With a database per tenant they are not even the tenants' (they replicate the configured database),
        // and a read-your-writes token of one tenant's server means nothing on another's: refused rather than guessed.
        if (readReplicas)
        {
            throw new NotSupportedException(Strategy == TenantStrategy.Database
                ? "WithReadReplicas cannot be combined with UseTenants(t => t.DatabasePerTenant(...)): the replicas named replicate the configured database, which holds no tenant's data, and a tenant's database has no replica Premix knows of. Remove WithReadReplicas; every tenant's reads go to its own database (docs/scale-out.md, \"Replicas and tenants\")."
                : $"WithReadReplicas cannot be combined with UseTenants ({Strategy}): Premix does not route tenant work to read replicas yet, so the replicas would be silently unused. Remove WithReadReplicas; tenant reads go to the primary (docs/scale-out.md, \"Replicas and tenants\").");
        }

        if (RowLevelSecurity && provider.TenantSettingPrefix("premix_probe") is null)
        {
            throw new NotSupportedException($"TenantColumn(rowLevelSecurity: true) is offered on PostgreSQL only; {provider.Name} has no row-level security. Use TenantColumn() alone: Premix's tenant filter still applies to every statement it builds.");
        }

        if (Strategy == TenantStrategy.Schema)
        {
            var probe = provider.SelectTenantSchema("premix_probe");
            (probe?.Provider as IDisposable)?.Dispose(); // made without opening anything
            if (probe is null)
            {
                throw new NotSupportedException($"SchemaPerTenant is not offered on {provider.Name}: it has no schemas. Give each tenant a database file of its own with DatabasePerTenant(tenant => $\"Data Source=tenants/{{tenant}}.db\").");
            }
        }
    }
}
