namespace Premix.Providers;

/// <summary>
/// How an engine puts the statements of one tenant into the tenant's schema (schema per tenant): either a provider of
/// the tenant's own (MySQL and MariaDB, where a schema is a database, reached on the same server through a pool of its
/// own) or a statement Premix sends in the same round trip as every command and at the start of every transaction
/// (PostgreSQL: the schema set transaction-locally, so a pooled connection never carries it to another tenant).
/// </summary>
public sealed class TenantSchemaSelection
{
    private TenantSchemaSelection(IDatabaseProvider? provider, string? commandPrefix, string createSchemaSql)
    {
        Provider = provider;
        CommandPrefix = commandPrefix;
        CreateSchemaSql = createSchemaSql;
    }

    /// <summary>The provider that reaches the tenant's schema, when the engine reaches it through a connection string of its own.</summary>
    public IDatabaseProvider? Provider { get; }

    /// <summary>The statement (ending with <c>;</c>) sent before each command of the tenant and run at the start of each of its transactions.</summary>
    public string? CommandPrefix { get; }

    /// <summary>The statement that creates the tenant's schema when it does not exist, run on the configured database.</summary>
    public string CreateSchemaSql { get; }

    /// <summary>The tenant's schema is reached through <paramref name="provider"/>, a connection string of its own.</summary>
    public static TenantSchemaSelection ThroughProvider(IDatabaseProvider provider, string createSchemaSql) =>
        new(provider ?? throw new ArgumentNullException(nameof(provider)), null, createSchemaSql);

    /// <summary>The tenant's schema is chosen by <paramref name="commandPrefix"/>, sent with each command on the shared pool.</summary>
    public static TenantSchemaSelection ThroughCommandPrefix(string commandPrefix, string createSchemaSql) =>
        new(null, commandPrefix ?? throw new ArgumentNullException(nameof(commandPrefix)), createSchemaSql);
}
