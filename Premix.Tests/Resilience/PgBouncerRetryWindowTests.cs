using Microsoft.Extensions.Logging.Abstractions;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Providers;
using Premix.Providers.PostgreSql;
using Premix.Resilience;
using Premix.Tests.Providers;

namespace Premix.Tests.Resilience;

/// <summary>
/// A statement that PgBouncer refused because it had no server (SQLSTATE 08P01, "server login has been failing") is
/// retried in the <see cref="ResilienceOptions.MaxUnavailableTime"/> window once the server was reached, as a refused
/// connection is, and <see cref="ResilienceOptions.MaxRetries"/> times before; "server conn crashed?" only MaxRetries
/// times. The error is wrapped as Premix wraps a failed statement, also redacted (a sensitive value in its message), and
/// retried by the retry policy itself with no server: PostgreSQL-specific, since it is PgBouncer's answer.
/// </summary>
public sealed class PgBouncerRetryWindowTests
{
    private const int MaxRetries = 2;
    private const string LoginFailing = "server login has been failing, try again later (server_login_retry)";

    private static readonly PostgreSqlProvider Provider = new("Host=127.0.0.1;Port=6432;Database=shop;Username=app");

    [Test]
    public void A_statement_refused_by_PgBouncer_with_no_server_is_retried_in_the_window_once_the_server_was_reached()
    {
        var retries = Retries(Wrapped(LoginFailing), reached: true);

        Assert.That(retries, Is.GreaterThan(MaxRetries));
    }

    [Test]
    public void Redacted_because_its_message_held_a_sensitive_value_it_is_still_retried_in_the_window()
    {
        var retries = Retries(Wrapped(LoginFailing, reason: "08P01: server *** has been failing, try again later (server_login_retry)"), reached: true);

        Assert.That(retries, Is.GreaterThan(MaxRetries));
    }

    [Test]
    public void Before_the_server_was_reached_it_gets_MaxRetries()
    {
        var retries = Retries(Wrapped(LoginFailing), reached: false);

        Assert.That(retries, Is.EqualTo(MaxRetries));
    }

    [Test]
    public void Server_conn_crashed_gets_MaxRetries_even_once_the_server_was_reached()
    {
        var retries = Retries(Wrapped("server conn crashed?"), reached: true);

        Assert.That(retries, Is.EqualTo(MaxRetries));
    }

    // The driver's error wrapped as a failed statement's, with its message as given (redacted when it differs).
    private static DatabaseCommandException Wrapped(string message, string? reason = null)
    {
        var error = PostgreSqlPgBouncerErrorTests.PgBouncerError(message);
        var wrapped = SqlExecutor.Wrap(Provider, "Raw", null, "SELECT 1", error, reason ?? error.Message, null, Provider.Classify(error));
        Assert.That(wrapped.InnerException, reason is null ? Is.SameAs(error) : Is.TypeOf<RedactedDatabaseException>());
        return wrapped;
    }

    // How many times a read failing with error every time is tried again, in a 1 s window with waits of 100 ms or more.
    private static int Retries(DatabaseCommandException error, bool reached)
    {
        var options = new ResilienceOptions { MaxRetries = MaxRetries, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100), MaxUnavailableTime = TimeSpan.FromSeconds(1) };
        var policy = new RetryPolicy(options, Provider, NullLogger.Instance, new TelemetryContext("postgresql", Provider.Target, new Dictionary<string, string>()));
        if (reached)
        {
            policy.Reached();
        }

        var attempts = new Attempts(error);
        Assert.CatchAsync<DatabaseCommandException>(async () => await policy.RetryAsync(async: true, "read", error, static (_, each, _) => each.Fail(), attempts, CancellationToken.None));
        return attempts.Count;
    }

    // Each attempt fails as the first did.
    private sealed class Attempts(Exception error)
    {
        public int Count { get; private set; }

        public ValueTask<int> Fail()
        {
            Count++;
            throw error;
        }
    }
}
