using System.Data.Common;
using MySqlConnector;
using Npgsql;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A fixture that makes real faults on its engine (a killed session, a held lock, a refusing trigger) and counts the
/// retries Premix reports through its <c>premix.retries</c> counter.
/// </summary>
public abstract class ResilienceTest(Engine engine) : PremixTest(engine)
{
    /// <summary>Retries after the first attempt in these tests (the default is 3; fewer keeps failing tests short).</summary>
    protected const int MaxRetries = 2;

    private TelemetryCapture _telemetry = null!;

    [SetUp]
    public void CaptureTelemetry()
    {
        _telemetry = new TelemetryCapture();
        Logs = new CapturingLoggerProvider();
    }

    [TearDown]
    public void StopCapturingTelemetry()
    {
        _telemetry.Dispose();
        Logs.Dispose();
    }

    /// <summary>The log events of the Premix instances this fixture's tests create.</summary>
    protected CapturingLoggerProvider Logs { get; private set; } = null!;

    /// <summary>Premix on <paramref name="provider"/> (the fixture's by default) with short retry delays, logging to <see cref="Logs"/>.</summary>
    protected IPremix CreateRetryingPremix(ModelConfiguration mapping, Action<ResilienceOptions>? tune = null, IDatabaseProvider? provider = null) =>
        PremixFactory.Create(
            p => p.UseProvider(provider ?? Provider).AddModelConfiguration(mapping).ConfigureResilience(o =>
            {
                o.MaxRetries = MaxRetries;
                o.BaseDelay = TimeSpan.FromMilliseconds(10);
                tune?.Invoke(o);
            }),
            LoggerFactory.Create(logging => logging.AddProvider(Logs)));

    /// <summary>The retries of <paramref name="operation"/> (<c>read</c> or <c>commit</c>) Premix counted on this fixture's database.</summary>
    protected long Retries(string operation) =>
        _telemetry.Measurements(PremixDiagnostics.Retries, DatabaseName).Where(m => Equals(m.Tag("premix.retry.operation"), operation)).Sum(m => (long)m.Value);

    /// <summary>Runs one or more statements through plain ADO.NET.</summary>
    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await ExecuteAsync(connection, sql);
    }

    protected static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// SQLite: another connection takes the database's write lock (<c>BEGIN IMMEDIATE</c>; <c>EXCLUSIVE</c> keeps readers
    /// out too) and gives it back after <paramref name="hold"/>. The returned task ends once it has.
    /// </summary>
    protected Task<Task> HoldSqliteLockAsync(TimeSpan hold, string mode = "IMMEDIATE") => HoldSqliteLockAsync(() => Task.Delay(hold), mode);

    /// <summary>SQLite: another connection holds the write lock until <paramref name="release"/> completes.</summary>
    protected async Task<Task> HoldSqliteLockAsync(Func<Task> release, string mode = "IMMEDIATE")
    {
        var connection = await OpenConnectionAsync();
        await ExecuteAsync(connection, $"BEGIN {mode}");
        return ReleaseLaterAsync();

        async Task ReleaseLaterAsync()
        {
            await using (connection)
            {
                await release();
                await ExecuteAsync(connection, "COMMIT;");
            }
        }
    }

    /// <summary>A provider on the fixture's SQLite database whose driver waits at most one second for a lock.</summary>
    protected IDatabaseProvider SqliteWaitingOneSecond() => new global::Premix.Providers.Sqlite.SqliteProvider(ConnectionString + ";Default Timeout=1");

    /// <summary>PostgreSQL and MariaDB: the server's id of the session a unit of work is connected on.</summary>
    protected Task<long> SessionIdAsync(IUnitOfWork uow) =>
        uow.Raw(Engine == Engine.PostgreSql ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()").ReadOnly().ScalarAs<long>();

    /// <summary>PostgreSQL and MariaDB: ends a session from another connection, as an administrator or a failover would.</summary>
    protected async Task KillSessionAsync(long sessionId)
    {
        await using var connection = await OpenConnectionAsync();
        if (Engine == Engine.PostgreSql)
        {
            await using var terminate = connection.CreateCommand();
            terminate.CommandText = "SELECT pg_terminate_backend(@pid)";
            var pid = terminate.CreateParameter();
            pid.ParameterName = "pid";
            pid.Value = (int)sessionId;
            terminate.Parameters.Add(pid);
            await terminate.ExecuteScalarAsync();
        }
        else
        {
            // KILL takes no parameter; the id is a number the server gave, formatted as one.
            await ExecuteAsync(connection, $"KILL {sessionId.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }
}
