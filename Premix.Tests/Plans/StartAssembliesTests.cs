using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// What a start loads on each engine, in a process of its own (the test process has loaded everything already):
/// Premix.Tests.StartApp starts Premix, reads one row by key and lists the assemblies it loaded. Premix.Migrations must not
/// be among them: the providers serve their schema support (<c>ISchemaProvider</c>) on request instead of implementing it,
/// so only sync, diff, scaffolding and migrations load it (issue 19, docs/performance.md). A provider that implements a
/// Premix.Migrations interface again, or a field, constructor or registration that names one of its types, brings the
/// load back silently.
/// </summary>
public sealed class StartAssembliesTests(Engine engine) : StartAppTest(engine)
{
    [TestCase("factory")]
    [TestCase("host")]
    public async Task A_start_and_one_get_by_key_do_not_load_Premix_Migrations(string start)
    {
        var run = await RunStartAppAsync(start);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Everything);
            Assert.That(lines.FirstOrDefault(), Is.EqualTo("1 first"), "the app read row 1");
            Assert.That(lines, Does.Contain("Premix.Core").And.Contain(ProviderAssembly), "the start ran Premix on the engine");
            Assert.That(lines, Does.Not.Contain("Premix.Migrations"), "Premix.Migrations loaded at start, before any schema work");
        }
    }

    private string ProviderAssembly => Engine switch
    {
        Engine.Sqlite => "Premix.Providers.Sqlite",
        Engine.PostgreSql => "Premix.Providers.PostgreSql",
        _ => "Premix.Providers.MySql",
    };
}
