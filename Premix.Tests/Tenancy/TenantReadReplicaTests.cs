using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// Read replicas with tenants are refused at startup: tenant work runs on the tenants' own executors, which route nothing
/// to a replica, and with a database per tenant the replicas named are not the tenants' at all (docs/scale-out.md,
/// "Replicas and tenants"). On the engines with replicas, through relays that record what a client sends, so the test
/// sees that nothing reached either server.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class TenantReadReplicaTests(Engine engine) : PremixTest(engine)
{
    private static readonly (string Name, Action<TenancyOptions> Configure)[] Strategies =
    [
        ("database per tenant", t => t.DatabasePerTenant(tenant => null)),
        ("schema per tenant", t => t.SchemaPerTenant(tenant => "t_" + tenant)),
        ("tenant column", t => t.TenantColumn()),
    ];

    [Test]
    public async Task Read_replicas_with_tenants_are_refused_at_startup_before_anything_is_opened()
    {
        await using var primary = RelayToServer();
        await using var replica = RelayToReplica();
        primary.Recording = true;
        replica.Recording = true;
        var replicaThroughRelay = ThroughRelay(TestEnvironment.RequireReplicaConnectionString(Engine), replica);

        foreach (var (name, configure) in Strategies)
        {
            var error = Assert.Throws<NotSupportedException>(() => PremixFactory.Create(p => p.UseProvider(ProviderThrough(primary)).AddModelConfiguration(new CustomerMap()).WithReadReplicas(replicaThroughRelay).UseTenants(configure)), name);
            Assert.That(error!.Message, Does.Contain("WithReadReplicas cannot be combined with UseTenants").And.Contain("Remove WithReadReplicas"), name);
            if (name == "database per tenant")
            {
                Assert.That(error.Message, Does.Contain("replicate the configured database, which holds no tenant's data"));
            }
        }

        Assert.That(primary.Sent, Is.Empty, "nothing reached the primary");
        Assert.That(replica.Sent, Is.Empty, "nothing reached the replica");

        // The same configuration without tenants starts, and its read-only statement reaches the replica through its relay.
        await using var untenanted = PremixFactory.Create(p => p.UseProvider(ProviderThrough(primary)).AddModelConfiguration(new CustomerMap()).WithReadReplicas(replicaThroughRelay));
        await untenanted.Raw("SELECT 1").ReadOnly().ScalarAs<int>();
        Assert.That(replica.Sent, Is.Not.Empty, "the control: the relay sees what a client sends");
    }

    private TcpRelay RelayToReplica()
    {
        var replica = TestEnvironment.RequireReplicaConnectionString(Engine);
        return Engine == Engine.PostgreSql
            ? new TcpRelay(new Npgsql.NpgsqlConnectionStringBuilder(replica).Host!, new Npgsql.NpgsqlConnectionStringBuilder(replica).Port)
            : new TcpRelay(new MySqlConnector.MySqlConnectionStringBuilder(replica).Server, (int)new MySqlConnector.MySqlConnectionStringBuilder(replica).Port);
    }

    // The replica of the fixture's database, reached in plain text through the relay.
    private string ThroughRelay(string replica, TcpRelay relay) => Engine == Engine.PostgreSql
        ? new Npgsql.NpgsqlConnectionStringBuilder(replica) { Host = "127.0.0.1", Port = relay.Port, SslMode = Npgsql.SslMode.Disable, Database = DatabaseName }.ConnectionString
        : new MySqlConnector.MySqlConnectionStringBuilder(replica) { Server = "127.0.0.1", Port = (uint)relay.Port, SslMode = MySqlConnector.MySqlSslMode.None, Database = DatabaseName }.ConnectionString;
}
