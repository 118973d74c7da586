using Npgsql;
using Premix.Providers;
using Premix.Providers.PostgreSql;

namespace Premix.Tests.Providers;

/// <summary>
/// What PgBouncer answers while it has no server to give, as the PostgreSQL provider reads it (PostgreSQL-specific; no
/// server: PgBouncer's errors are built as Npgsql raises them, a <see cref="PostgresException"/> with SQLSTATE 08P01). Its
/// refusals before any server was reached are a server that is away (retried in the window); "server conn crashed?", sent
/// when a server connection died under a transaction, is a lost connection and never that, since it may come at COMMIT.
/// </summary>
public sealed class PostgreSqlPgBouncerErrorTests
{
    private static readonly PostgreSqlProvider Provider = new("Host=127.0.0.1;Port=6432;Database=shop;Username=app");

    // PgBouncer 1.18's wording (seen in the failover runs), and the older one.
    [TestCase("server login has been failing, try again later (server_login_retry)")]
    [TestCase("pgbouncer cannot connect to server")]
    public void A_refusal_before_any_server_was_reached_is_a_server_that_is_away_on_open_and_on_a_statement(string message)
    {
        var error = PgBouncerError(message);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Provider.DescribeConnectionFailure(error).Kind, Is.EqualTo(ConnectionFailureKind.ServerUnavailable), "on open");
            Assert.That(Provider.Classify(error), Is.EqualTo(DatabaseErrorKind.ConnectionLost), "on a statement: the connection is dropped");
            Assert.That(Provider.IsServerUnavailable(error), Is.True, "retried in the MaxUnavailableTime window");
        }
    }

    [Test]
    public void Server_conn_crashed_is_a_lost_connection_and_not_a_server_that_is_away()
    {
        var error = PgBouncerError("server conn crashed?");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Provider.Classify(error), Is.EqualTo(DatabaseErrorKind.ConnectionLost), "at COMMIT: the outcome is unknown");
            Assert.That(Provider.IsServerUnavailable(error), Is.False, "a statement may have reached the server");
            Assert.That(Provider.DescribeConnectionFailure(error).Kind, Is.EqualTo(ConnectionFailureKind.Other));
        }
    }

    [Test]
    public void Another_protocol_violation_is_not_a_server_that_is_away()
    {
        Assert.That(Provider.IsServerUnavailable(PgBouncerError("unsupported startup parameter: extra_float_digits")), Is.False);
    }

    internal static PostgresException PgBouncerError(string message) => new(message, "FATAL", "FATAL", PostgresErrorCodes.ProtocolViolation);
}
