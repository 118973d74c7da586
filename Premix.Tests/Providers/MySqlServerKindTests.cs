using Premix.Providers.MySql;

namespace Premix.Tests.Providers;

/// <summary>
/// Which MySQL-family servers get their generated keys back from one many-row INSERT: MariaDB from 10.5 (RETURNING), never
/// MySQL. Read from the version string a server announces; the suite's MariaDB proves the answer on a live server
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
}
