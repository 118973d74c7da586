// Premix build script (Cake 7). Run it through ./build.sh, which restores the pinned Cake.Tool first:
//
//   ./build.sh                         same as --target=Test
//   ./build.sh --target=Build          Clean is not implied; Build restores and compiles the solution
//   ./build.sh --target=Test           build, start throwaway PostgreSQL + MariaDB (+ PgBouncer, a Galera cluster and a
//                                      PostgreSQL failover pair; clang and zlib1g-dev installed with apt if missing, for the
//                                      native AOT sample the tests publish), run Premix.Tests, then its
//                                      pooled leg (PostgreSQL through PgBouncer, docs/testing.md), stop them
//   ./build.sh --target=Test --filter="FullyQualifiedName~ConnectionTests"
//   ./build.sh --target=Pack           NuGet packages of the library projects and the premix tool (Premix.Cli) into artifacts/packages
//   ./build.sh --target=Pack --version-suffix=ci.42   the same as pre-release packages (0.1.0-ci.42); docs/packaging.md
//   ./build.sh --target=Bench          BenchmarkDotNet suite (Premix.Benchmarks) in Release
//   ./build.sh --target=Bench --smoke=true   every benchmark once with a tiny in-process job (CI check, well under 2 min)
//
// Arguments: --configuration=Release|Debug (default Release, used by every task), --filter=<dotnet test filter>,
// --bench-filter=<BenchmarkDotNet filter> (default *), --smoke=true (or --benchSmoke=true) for the Bench smoke run.
// Bench runs PostgreSQL too when PREMIX_BENCH_POSTGRES is set, and MariaDB when PREMIX_BENCH_MYSQL is set (connection
// strings; the benchmarks create their tables); neither is needed, so CI runs without them.
// The default target is Test because "does it work on all three engines" is the question most runs ask.
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var testFilter = Argument("filter", string.Empty);
var benchFilter = Argument("bench-filter", "*");
var benchSmoke = Argument("smoke", Argument("benchSmoke", false));
var versionSuffix = Argument("version-suffix", string.Empty);

var solution = File("./Premix.sln");
var testProject = File("./Premix.Tests/Premix.Tests.csproj");
var benchmarkProject = File("./Premix.Benchmarks/Premix.Benchmarks.csproj");
var artifacts = Directory("./artifacts");
var testResults = artifacts + Directory("test-results");
var packages = artifacts + Directory("packages");
var testDatabasesScript = File("./build/test-databases.sh");
var nativeToolchainScript = File("./build/native-toolchain.sh");

Task("Clean")
    .Description("Empties artifacts/ and every bin/ and obj/ folder.")
    .Does(() =>
{
    CleanDirectory(artifacts);
    CleanDirectories("./**/bin");
    CleanDirectories("./**/obj");
});

Task("Restore")
    .Description("Restores the NuGet packages of the solution.")
    .Does(() => DotNetRestore(solution.Path.FullPath));

Task("Build")
    .Description("Compiles the solution (warnings are errors).")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution.Path.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
        // What the build script builds is what ships: deterministic, with the repository mapped to /_/ in the PDBs
        // (InstalledPackageTests checks the packed symbols). A plain `dotnet build` keeps real paths unless CI=true.
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("ContinuousIntegrationBuild", "true"),
        VersionSuffix = versionSuffix, // the assemblies' informational version then matches the packages' (Pack)
    });
});

Task("NativeToolchain")
    .Description("Installs clang and zlib1g-dev with apt-get when missing (as root), for the native AOT sample the tests publish.")
    // The script installs with apt-get: Linux only. Elsewhere the publish finds the platform's toolchain or fails naming it.
    .WithCriteria(() => IsRunningOnLinux(), "the toolchain check is for Linux")
    .Does(() =>
{
    var exitCode = StartProcess("bash", new ProcessSettings { Arguments = new ProcessArgumentBuilder().AppendQuoted(nativeToolchainScript.Path.FullPath) });
    if (exitCode != 0)
    {
        throw new CakeException($"The native AOT toolchain is missing (exit code {exitCode}); see the message above.");
    }
});

Task("Test")
    .Description("Runs Premix.Tests on SQLite, a throwaway PostgreSQL 15 and a throwaway MariaDB, then the pooled leg through PgBouncer; prints 'N passed, N failed'.")
    .IsDependentOn("Build")
    .IsDependentOn("NativeToolchain")
    .Does(() =>
{
    CleanDirectory(testResults);
    var environment = StartTestDatabases();
    Exception? testFailure = null;
    try
    {
        var settings = new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            ResultsDirectory = testResults,
            Loggers = new[] { "trx;LogFileName=premix-tests.trx", "console;verbosity=normal" },
            EnvironmentVariables = environment,
            // A hung test must not hold CI (and the servers) forever: abort the run after 12 minutes without progress, more
            // than the native AOT publish may take inside one test (Premix.Tests/Aot, 10 minutes at most) with nothing else running.
            ArgumentCustomization = arguments => arguments
                .Append("--blame-hang-timeout").Append("12m")
                .Append("--blame-hang-dump-type").Append("none"),
        };
        if (!string.IsNullOrEmpty(testFilter))
        {
            settings.Filter = testFilter;
        }

        DotNetTest(testProject.Path.FullPath, settings);
    }
    catch (Exception exception)
    {
        testFailure = exception;
    }

    // The pooled leg: the PostgreSQL instances of the runtime and migration fixtures again, through PgBouncer in
    // transaction pooling mode under shuffling load (docs/testing.md). It runs even when the first leg failed, and
    // it never silently goes missing: without a pooler the task fails.
    try
    {
        if (!environment.ContainsKey(PooledVariable) && string.IsNullOrEmpty(EnvironmentVariable(PooledVariable)))
        {
            throw new CakeException($"{PooledVariable} is not set, so the pooled PostgreSQL leg cannot run. build/test-databases.sh "
                + $"starts PgBouncer in front of the PostgreSQL it starts; with a server of your own (PREMIX_TEST_POSTGRES set), also "
                + $"set {PooledVariable} to a transaction-mode PgBouncer in front of it.");
        }

        var pooledEnvironment = new Dictionary<string, string>(environment, StringComparer.Ordinal) { ["PREMIX_TEST_POOLED_LEG"] = "true" };
        DotNetTest(testProject.Path.FullPath, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            ResultsDirectory = testResults,
            Loggers = new[] { "trx;LogFileName=premix-tests-pooled.trx", "console;verbosity=normal" },
            EnvironmentVariables = pooledEnvironment,
            Filter = string.IsNullOrEmpty(testFilter) ? PooledLegFilter : $"({testFilter})&({PooledLegFilter})",
            ArgumentCustomization = arguments => arguments
                .Append("--blame-hang-timeout").Append("5m")
                .Append("--blame-hang-dump-type").Append("none"),
        });
    }
    catch (Exception exception)
    {
        testFailure ??= exception;
    }
    finally
    {
        StopTestDatabases(environment);
    }

    // CI keeps only the tail of the output: the failed tests' names and first message lines go right above the counts.
    foreach (var failure in ReadFailedTests(testResults))
    {
        Error(failure);
    }

    var counts = ReadTestCounts(testResults);
    Information(counts);
    if (testFailure is not null)
    {
        throw new CakeException($"Tests failed: {testFailure.Message}");
    }
});

Task("Pack")
    .Description("Packs the library projects and the premix dotnet tool into artifacts/packages.")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(packages);
    // Premix.Cli packs as a dotnet tool (PackAsTool); projects with IsPackable=false (Premix.Tests.CliModel) pack nothing.
    var libraries = GetFiles("./Premix.*/**/*.csproj")
        .Where(project => !project.GetFilenameWithoutExtension().ToString().EndsWith(".Tests", StringComparison.Ordinal)
                       && !project.GetFilenameWithoutExtension().ToString().EndsWith(".Benchmarks", StringComparison.Ordinal));
    foreach (var library in libraries)
    {
        DotNetPack(library.FullPath, new DotNetPackSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            OutputDirectory = packages,
            VersionSuffix = versionSuffix,
        });
    }
});

Task("Bench")
    .Description("Runs the BenchmarkDotNet suite in Release; --smoke=true runs each benchmark once with a tiny job.")
    .Does(() =>
{
    if (!FileExists(benchmarkProject))
    {
        throw new CakeException($"There is no benchmark project yet: {benchmarkProject.Path.FullPath} does not exist. Add Premix.Benchmarks (BenchmarkDotNet) before running --target=Bench.");
    }

    // The smoke run proves every benchmark and its result check still run; its numbers mean nothing.
    var benchArguments = benchSmoke
        ? new ProcessArgumentBuilder().Append("--smoke")
        : new ProcessArgumentBuilder().Append("--filter").AppendQuoted(benchFilter);
    DotNetRun(benchmarkProject.Path.FullPath, benchArguments, new DotNetRunSettings
    {
        Configuration = "Release",
    });
});

RunTarget(target);

// The connection string through PgBouncer that build/test-databases.sh prints.
const string PooledVariable = "PREMIX_TEST_POSTGRES_POOLED";

// What the pooled leg runs: the PostgreSQL instances of the fixtures whose code paths an application runs behind a
// pooler (repositories, unit of work, queries and Include, raw SQL, resilience, schema sync and versioned migrations,
// `premix migrate` run as a process, and tenancy: the schema tenants' transaction-local search_path is what a pooler tests), except those marked [NeedsServerSession], which say why where they are marked. Picked to add about two minutes.
const string PooledLegFilter =
    "FullyQualifiedName~\\(PostgreSql\\)&TestCategory!=NeedsServerSession"
    + "&(FullyQualifiedName~Premix.Tests.Repositories.|FullyQualifiedName~Premix.Tests.Tracking.|FullyQualifiedName~Premix.Tests.Querying."
    + "|FullyQualifiedName~Premix.Tests.Raw.|FullyQualifiedName~Premix.Tests.Resilience.|FullyQualifiedName~Premix.Tests.Migrations.|FullyQualifiedName~Premix.Tests.Cli.CliMigrateTests"
    + "|FullyQualifiedName~Premix.Tests.Tenancy.)";

// Starts the servers the tests need (none for an engine whose variable is already set) and returns the
// variables to hand to the test process, parsed from the script's KEY=VALUE output.
Dictionary<string, string> StartTestDatabases()
{
    var exitCode = StartProcess("bash", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder().AppendQuoted(testDatabasesScript.Path.FullPath).Append("start"),
        RedirectStandardOutput = true,
    }, out var output);
    if (exitCode != 0)
    {
        throw new CakeException($"Starting the test databases failed (exit code {exitCode}); see the messages above.");
    }

    var environment = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (var line in output)
    {
        var separator = line.IndexOf('=');
        if (line.StartsWith("PREMIX_TEST_", StringComparison.Ordinal) && separator > 0)
        {
            environment[line[..separator]] = line[(separator + 1)..];
        }
    }

    foreach (var pair in environment)
    {
        Information($"{pair.Key}={pair.Value}");
    }

    return environment;
}

// Stops only the servers StartTestDatabases started: a server named by a variable the caller set is theirs.
void StopTestDatabases(Dictionary<string, string> startedEnvironment)
{
    var arguments = new ProcessArgumentBuilder().AppendQuoted(testDatabasesScript.Path.FullPath).Append("stop");
    var engines = 0;
    foreach (var (variable, engine) in new[] { ("PREMIX_TEST_POSTGRES", "postgres"), ("PREMIX_TEST_MYSQL", "mariadb"), ("PREMIX_TEST_GALERA", "galera"), ("PREMIX_TEST_FAILOVER", "failover"), ("PREMIX_TEST_FAILOVER_MYSQL", "failover-mariadb") })
    {
        if (startedEnvironment.ContainsKey(variable))
        {
            arguments.Append(engine);
            engines++;
        }
    }

    if (engines == 0)
    {
        return;
    }

    var exitCode = StartProcess("bash", new ProcessSettings { Arguments = arguments });
    if (exitCode != 0)
    {
        Warning($"Stopping the test databases failed (exit code {exitCode}); the next start cleans up what is left.");
    }
}

// Names every failed test in the TRX files of the folder with the first line of its message, one line each.
IEnumerable<string> ReadFailedTests(DirectoryPath folder)
{
    foreach (var trx in GetFiles($"{folder.FullPath}/**/*.trx"))
    {
        var results = XDocument.Load(trx.FullPath).Descendants().Where(element => element.Name.LocalName == "UnitTestResult");
        foreach (var result in results.Where(result => (string?)result.Attribute("outcome") is "Failed" or "Error" or "Timeout" or "Aborted"))
        {
            var message = result.Descendants().FirstOrDefault(element => element.Name.LocalName == "Message")?.Value ?? "";
            // NUnit's "Multiple failures" heads its message without saying which: keep the first few lines, bounded.
            var lines = message.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).Take(6);
            var summary = string.Join(" | ", lines);
            summary = summary.Length > 600 ? summary[..600] + "…" : summary;
            yield return $"FAILED {result.Attribute("testName")?.Value} ({trx.GetFilename()}): {summary}";
        }
    }
}

// Sums the counters of every TRX file in the folder: "N passed, N failed" plus ", N skipped" when any were.
string ReadTestCounts(DirectoryPath folder)
{
    long passed = 0, failed = 0, skipped = 0;
    var trxFiles = GetFiles($"{folder.FullPath}/**/*.trx");
    if (trxFiles.Count == 0)
    {
        Error($"No TRX file was written to {folder.FullPath}: the test run did not start or crashed.");
        return "0 passed, 1 failed";
    }

    foreach (var trx in trxFiles)
    {
        var counters = XDocument.Load(trx.FullPath).Descendants().First(element => element.Name.LocalName == "Counters");
        long Count(string name) => long.TryParse((string?)counters.Attribute(name), out var value) ? value : 0;
        passed += Count("passed");
        failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        skipped += Count("notExecuted") + Count("inconclusive");
    }

    return skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed";
}
