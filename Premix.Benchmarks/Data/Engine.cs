namespace Premix.Benchmarks.Data;

/// <summary>The database engines the benchmarks run on.</summary>
public enum Engine
{
    Sqlite,
    PostgreSql,

    /// <summary>MariaDB (or MySQL) through MySqlConnector, named as in Premix.Tests.</summary>
    MySql,
}
