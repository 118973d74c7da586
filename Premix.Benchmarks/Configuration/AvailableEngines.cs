using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// The engines this run can reach: SQLite always, PostgreSQL when <see cref="BenchmarkDatabase.PostgreSqlVariable"/>
/// is set, MariaDB when <see cref="BenchmarkDatabase.MySqlVariable"/> is set; <see cref="OnlyVariable"/> (a
/// comma-separated list of engine names) narrows the run to those engines.
/// </summary>
public static class AvailableEngines
{
    /// <summary>The environment variable that narrows a run to some engines, for example <c>PostgreSql</c>.</summary>
    public const string OnlyVariable = "PREMIX_BENCH_ENGINES";

    public static IEnumerable<Engine> All() => Reachable().Where(Wanted);

    private static IEnumerable<Engine> Reachable()
    {
        yield return Engine.Sqlite;
        if (BenchmarkDatabase.PostgreSqlConnectionString is not null)
        {
            yield return Engine.PostgreSql;
        }

        if (BenchmarkDatabase.MySqlConnectionString is not null)
        {
            yield return Engine.MySql;
        }
    }

    private static bool Wanted(Engine engine) =>
        Environment.GetEnvironmentVariable(OnlyVariable) is not { Length: > 0 } only
        || only.Split(',', StringSplitOptions.TrimEntries).Contains(engine.ToString(), StringComparer.OrdinalIgnoreCase);
}
