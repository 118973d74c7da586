namespace Premix.Tests.Infrastructure;

/// <summary>The database engines every provider-matrix test runs on.</summary>
public enum Engine
{
    /// <summary>SQLite through Microsoft.Data.Sqlite, a temporary file per fixture.</summary>
    Sqlite,

    /// <summary>PostgreSQL through Npgsql, located by <c>PREMIX_TEST_POSTGRES</c>.</summary>
    PostgreSql,

    /// <summary>MariaDB (or MySQL) through MySqlConnector, located by <c>PREMIX_TEST_MYSQL</c>.</summary>
    MySql,
}
