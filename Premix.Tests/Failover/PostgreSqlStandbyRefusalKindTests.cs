using Npgsql;
using Premix.Providers;
using Premix.Providers.PostgreSql;

namespace Premix.Tests.Failover;

/// <summary>
/// The two refusals with SQLSTATE 25006 that must stay <see cref="DatabaseErrorKind.Transient"/> beside the read-only
/// primary's (<c>PostgreSqlReadOnlyPrimaryTests</c>, Permanent): a transaction begun on a standby promoted since reports
/// <c>in_hot_standby</c> off yet is still read-only, and a standby whose sessions are read-only by configuration (as a
/// read replica's connection string makes them) reports <c>default_transaction_read_only</c> on. Either would be taken
/// for a read-only primary by a rule on one setting alone. Asked of the provider with plain Npgsql on the failover pair;
/// PostgreSQL only: the refusal and the settings it reports are its own.
/// </summary>
public sealed class PostgreSqlStandbyRefusalKindTests : PostgreSqlFailoverFixture
{
    private const string Write = "CREATE TABLE premix_refused (id int)"; // refused as read-only before any table is looked up

    [Test]
    public async Task PostgreSql_a_write_refused_with_25006_in_a_transaction_begun_on_a_standby_promoted_since_is_Transient()
    {
        await using var connection = new NpgsqlConnection(Pair.Server(2));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var select = new NpgsqlCommand("SELECT 1", connection, transaction))
        {
            await select.ExecuteScalarAsync(); // the transaction has begun, read-only, on the standby
        }

        await Pair.ControlAsync("promote");
        await using var write = new NpgsqlCommand(Write, connection, transaction);
        var refusal = Assert.CatchAsync<PostgresException>(() => write.ExecuteNonQueryAsync());

        await AssertTransientAsync(refusal, connection, inHotStandby: "off", readOnlyByDefault: "off");
    }

    [Test]
    public async Task PostgreSql_a_write_refused_with_25006_by_a_standby_whose_sessions_are_read_only_by_configuration_is_Transient()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Pair.Server(2)) { Options = "-c default_transaction_read_only=on" }.ConnectionString);
        await connection.OpenAsync();
        await using var write = new NpgsqlCommand(Write, connection);
        var refusal = Assert.CatchAsync<PostgresException>(() => write.ExecuteNonQueryAsync());

        await AssertTransientAsync(refusal, connection, inHotStandby: "on", readOnlyByDefault: "on");
    }

    private async Task AssertTransientAsync(PostgresException? refusal, NpgsqlConnection connection, string inHotStandby, string readOnlyByDefault)
    {
        await using var provider = new PostgreSqlProvider(Pair.Server(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal?.SqlState, Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction));
            Assert.That(connection.PostgresParameters.GetValueOrDefault("in_hot_standby"), Is.EqualTo(inHotStandby));
            Assert.That(connection.PostgresParameters.GetValueOrDefault("default_transaction_read_only"), Is.EqualTo(readOnlyByDefault));
            Assert.That(provider.Classify(refusal!, connection), Is.EqualTo(DatabaseErrorKind.Transient), "a failover may end it: retried");
        }
    }
}
