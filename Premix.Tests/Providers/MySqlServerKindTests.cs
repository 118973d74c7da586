using Premix.Providers.MySql;

namespace Premix.Tests.Providers;

/// <summary>
/// Which MySQL-family servers get their generated keys back from one many-row INSERT: MariaDB from 10.5 (RETURNING), never
/// MySQL; and which may have read replicas (MariaDB only). Read from the version string a server announces; the suite's MariaDB proves the answer on a live server
/// (ManyRowInsertWireTests), this the versions the suite does not run.
/// </summary>
public sealed class MySqlServerKindTests
{
    [TestCase("10.11.19-MariaDB-0+deb12u1", true)]
    [TestCase("10.5.0-MariaDB", true)]
    [TestCase("11.4.2-MariaDB-ubu2404", true)]
    [TestCase("5.5.5-10.6.12-MariaDB-log", true)]
    [TestCase("10.4.32-MariaDB", false)]
    [TestCase("5.5.5-10.3.39-MariaDB", false)]
    [TestCase("8.0.36", false)]
    [TestCase("8.4.0-commercial", false)]
    [TestCase("9.1.0", false)]
    [TestCase("", false)]
    public void A_server_returns_the_keys_of_a_many_row_insert_only_on_MariaDb_10_5_and_later(string version, bool returns) =>
        Assert.That(MySqlServerKind.HasInsertReturning(version), Is.EqualTo(returns));

    [TestCase("10.11.19-MariaDB-0+deb12u1", true)]
    [TestCase("5.5.5-10.6.12-MariaDB-log", true)]
    [TestCase("11.4.2-mariadb-ubu2404", true)]
    [TestCase("8.0.36", false)]
    [TestCase("8.4.0-commercial", false)]
    [TestCase("5.7.44-log", false)]
    [TestCase("9.1.0", false)]
    public void Read_replicas_are_refused_on_a_server_whose_version_is_not_MariaDB(string version, bool mariaDb)
    {
        Assert.That(MySqlServerKind.IsMariaDb(version), Is.EqualTo(mariaDb));
        var refusal = MySqlReadReplicas.Unsupported(version, "db1", isReplica: true);
        if (mariaDb)
        {
            Assert.That(refusal, Is.Null);
            return;
        }

        Assert.That(refusal, Does.StartWith("The read replica db1 is Oracle MySQL (" + version + ")").And.Contains("@@last_gtid").And.Contains("Remove WithReadReplicas"));
        Assert.That(MySqlReadReplicas.Unsupported(version, "db0", isReplica: false), Does.StartWith("The primary db0 is Oracle MySQL"));
    }
}
