using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Configuration;

/// <summary>The engines this run can reach: SQLite always, PostgreSQL when <see cref="BenchmarkDatabase.PostgreSqlVariable"/> is set.</summary>
public static class AvailableEngines
{
    public static IEnumerable<Engine> All()
    {
        yield return Engine.Sqlite;
        if (BenchmarkDatabase.PostgreSqlConnectionString is not null)
        {
            yield return Engine.PostgreSql;
        }
    }
}
