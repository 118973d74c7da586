using Npgsql;
using Premix.Providers;
using Premix.Providers.PostgreSql;

namespace Premix.Tests.Failover;

/// <summary>
/// What a multi-host connection string's failure to open means (<c>Host=a,b</c>), from the exceptions Npgsql throws for
/// it: a host that answered but is not what Target Session Attributes asks for (a standby before its promotion) adds no
/// exception, so a dead host's timeout alone must not end the retries. PostgreSQL only; no server needed.
/// </summary>
public sealed class PostgreSqlMultiHostFailureTests
{
    private const string TwoHosts = "Host=127.0.0.1:1,127.0.0.1:2;Username=app;Database=shop;Target Session Attributes=primary";

    [Test]
    public async Task PostgreSql_a_dead_host_that_timed_out_while_the_other_answered_as_a_standby_is_worth_another_attempt()
    {
        await using var provider = new PostgreSqlProvider(TwoHosts);

        var failure = provider.DescribeConnectionFailure(Unable(TimedOut()));

        Assert.That(failure.Kind, Is.EqualTo(ConnectionFailureKind.ServerUnavailable), "one host answered (as a standby): a primary may come");
    }

    [Test]
    public async Task PostgreSql_every_host_timing_out_is_a_timeout_not_retried()
    {
        await using var provider = new PostgreSqlProvider(TwoHosts);

        var failure = provider.DescribeConnectionFailure(Unable(TimedOut(), TimedOut()));

        Assert.That(failure.Kind, Is.EqualTo(ConnectionFailureKind.TimedOut));
    }

    [Test]
    public async Task PostgreSql_no_host_tried_because_of_their_last_known_states_is_worth_another_attempt()
    {
        await using var provider = new PostgreSqlProvider(TwoHosts);

        var failure = provider.DescribeConnectionFailure(new NpgsqlException("No suitable host was found."));

        Assert.That(failure.Kind, Is.EqualTo(ConnectionFailureKind.ServerUnavailable));
    }

    // Npgsql's NpgsqlMultiHostDataSource: one exception per host it tried, none for a host that answered as the wrong kind.
    private static NpgsqlException Unable(params Exception[] hosts) =>
        new("Unable to connect to a suitable host. Check inner exception for more details.", new AggregateException(hosts));

    private static NpgsqlException TimedOut() => new("Exception while connecting", new TimeoutException("Timeout during connection attempt"));
}
