namespace Premix.Tests.Infrastructure;

/// <summary>
/// The servers the tests talk to, located by environment variables. <c>./build.sh --target=Test</c> starts
/// throwaway servers and sets them; a developer can point them at servers of their own instead.
/// </summary>
internal static class TestEnvironment
{
    /// <summary>Npgsql connection string of a superuser (or a role with CREATEDB), for example to the <c>postgres</c> database.</summary>
    public const string PostgreSqlVariable = "PREMIX_TEST_POSTGRES";

    /// <summary>MySqlConnector connection string of a user allowed to CREATE and DROP DATABASE.</summary>
    public const string MySqlVariable = "PREMIX_TEST_MYSQL";

    /// <summary>Npgsql connection string of the same PostgreSQL server reached through PgBouncer in transaction pooling mode.</summary>
    public const string PostgreSqlPooledVariable = "PREMIX_TEST_POSTGRES_POOLED";

    /// <summary>
    /// <c>true</c> in the pooled leg of the test run: PostgreSQL fixtures then reach their database through
    /// <see cref="PostgreSqlPooledVariable"/> (the administrative work stays on <see cref="PostgreSqlVariable"/>).
    /// </summary>
    public const string PooledLegVariable = "PREMIX_TEST_POOLED_LEG";

    /// <summary>Npgsql connection string of a hot standby of the server of <see cref="PostgreSqlVariable"/> (streaming replication), for the read-replica tests.</summary>
    public const string PostgreSqlReplicaVariable = "PREMIX_TEST_POSTGRES_REPLICA";

    /// <summary>MySqlConnector connection string of a GTID replica of the server of <see cref="MySqlVariable"/>, for the read-replica tests.</summary>
    public const string MySqlReplicaVariable = "PREMIX_TEST_MYSQL_REPLICA";

    /// <summary>The version the started PostgreSQL binaries report (for example <c>15.14</c>); unset for your own server.</summary>
    public const string PostgreSqlVersionVariable = "PREMIX_TEST_POSTGRES_VERSION";

    /// <summary>The version the started MariaDB binaries report (for example <c>10.11.14</c>); unset for your own server.</summary>
    public const string MySqlVersionVariable = "PREMIX_TEST_MYSQL_VERSION";

    /// <summary>The version of the PostgreSQL server that was started for this run, if the build started one.</summary>
    public static string? PostgreSqlVersion => Read(PostgreSqlVersionVariable);

    /// <summary>The version of the MariaDB server that was started for this run, if the build started one.</summary>
    public static string? MySqlVersion => Read(MySqlVersionVariable);

    /// <summary>Whether this run is the pooled leg (<see cref="PooledLegVariable"/> is <c>true</c>).</summary>
    public static bool PooledLeg => string.Equals(Read(PooledLegVariable), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string through PgBouncer; a missing one fails the test, so the pooled leg never runs direct by mistake.</summary>
    public static string RequirePooledPostgreSqlConnectionString()
    {
        var value = Read(PostgreSqlPooledVariable);
        if (value is null)
        {
            Assert.Fail($"{PooledLegVariable} is true but {PostgreSqlPooledVariable} is not set, so the pooled leg has no PgBouncer to "
                + "go through. Run ./build.sh --target=Test, which starts one, or set it to a transaction-mode pooler in front of "
                + $"the server of {PostgreSqlVariable} (see docs/testing.md).");
        }

        return value!; // Assert.Fail throws; the compiler does not know it.
    }

    /// <summary>The connection string of the replica of <paramref name="engine"/>'s server; a missing one fails the test, never skips it.</summary>
    public static string RequireReplicaConnectionString(Engine engine)
    {
        var (variable, what) = engine switch
        {
            Engine.PostgreSql => (PostgreSqlReplicaVariable, $"a hot standby (pg_basebackup -R) of the server of {PostgreSqlVariable}"),
            Engine.MySql => (MySqlReplicaVariable, $"a GTID replica (read_only, MASTER_USE_GTID=slave_pos) of the server of {MySqlVariable}"),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Only PostgreSQL and MariaDB have replicas."),
        };
        var value = Read(variable);
        if (value is null)
        {
            Assert.Fail($"{variable} is not set, so the read-replica tests have no replica. Run ./build.sh --target=Test, "
                + $"which starts one, or set it to {what} (see docs/testing.md).");
        }

        return value!; // Assert.Fail throws; the compiler does not know it.
    }

    /// <summary>The administrative connection string for a server engine; a missing one fails the test, never skips it.</summary>
    public static string RequireAdminConnectionString(Engine engine)
    {
        var variable = engine switch
        {
            Engine.PostgreSql => PostgreSqlVariable,
            Engine.MySql => MySqlVariable,
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Only server engines have an administrative connection string."),
        };
        var value = Read(variable);
        if (value is null)
        {
            Assert.Fail($"{variable} is not set, so the {engine} tests have no server. Run ./build.sh --target=Test, "
                + $"which starts throwaway servers, or set {variable} to a connection string of your own server "
                + "(see docs/testing.md).");
        }

        return value!; // Assert.Fail throws; the compiler does not know it.
    }

    private static string? Read(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
