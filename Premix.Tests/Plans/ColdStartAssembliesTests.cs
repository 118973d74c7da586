using Premix.Tests.Cli;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// What a start loads, in a process of its own (the test process has loaded everything already): the cold-start benchmark
/// (JIT build) starts Premix on its 100-entity SQLite model, reads one row by key in a unit of work and lists the assemblies
/// it loaded. Polly.Core must not be among them: Premix builds its retry pipeline, and so loads Polly, only for a retry
/// (issue 19, docs/performance.md). A static of a Polly type on a class the start touches brings the load back silently.
/// Nor EF Core: the benchmark's assembly, which AddModelConfigurationsFrom scans, also holds the EF Core contenders'
/// DbContext, and the scan loads only the mapping classes, not every type and the assemblies of their base classes.
/// Nor Premix.Migrations, which only schema work needs (<see cref="StartAssembliesTests"/> checks it on every engine).
/// </summary>
public sealed class ColdStartAssembliesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("premix-cold-assemblies-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestCase("premix")]
    [TestCase("premix-generated")]
    public async Task A_start_and_one_get_by_key_load_Premix_but_not_Polly_EF_Core_or_Premix_Migrations(string contender)
    {
        var database = Path.Combine(_folder, "cold.db");
        var setup = await RunAsync("setup", database);
        Assert.That(setup.ExitCode, Is.Zero, setup.Everything);

        var run = await RunAsync(contender, database, "--assemblies");
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Everything);
            Assert.That(lines.FirstOrDefault(), Does.StartWith("1 row C1 12.5"), "the contender read row 1 of entity050");
            Assert.That(lines, Does.Contain("Premix.Core").And.Contain("Premix.Providers.Sqlite"), "the start ran Premix");
            Assert.That(lines, Does.Not.Contain("Polly.Core"), "Polly.Core loaded at start, before any retry");
            Assert.That(lines, Does.Not.Contain("Microsoft.EntityFrameworkCore"), "the assembly scan loaded EF Core through the DbContext beside the maps");
            Assert.That(lines, Does.Not.Contain("Premix.Migrations"), "Premix.Migrations loaded at start, before any schema work");
        }
    }

    private static Task<ChildProcessResult> RunAsync(params string[] arguments)
    {
        var app = CliProcess.ColdStartAppPath;
        return ChildProcess.RunToExitAsync(
            ChildProcess.StartInfo(ChildProcess.DotnetHost, [app, .. arguments], Path.GetDirectoryName(app)),
            Timeout,
            $"Premix.Benchmarks.ColdStart {string.Join(' ', arguments)}");
    }
}
