using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// What a start JIT-compiles, in a process of its own (Premix.Tests.StartApp: start, one get by key), listed by the runtime
/// (<c>DOTNET_JitDisasmSummary=1</c>). The character set that finds NUL in strings is PostgreSQL's only: made at every start
/// on every engine, it built a probabilistic map whose Vector&lt;T&gt; code is JIT-compiled even where CoreLib is
/// precompiled (docs/performance.md, "Where Premix's extra start goes"). A static field in <c>WellFormedText</c> again
/// brings it back silently.
/// </summary>
public sealed class StartCompiledMethodsTests(Engine engine) : StartAppTest(engine)
{
    // One start lists what it compiled for both tests (a start is a process of its own: seconds).
    private Task<(ChildProcessResult Run, string[] Compiled)>? _start;

    [Test]
    public async Task The_set_that_finds_NUL_in_strings_is_built_only_on_PostgreSQL()
    {
        var (run, compiled) = await (_start ??= StartListingCompiledAsync());

        using (Assert.EnterMultipleScope())
        {
            AssertStarted(run, compiled);
            if (Engine == Engine.PostgreSql)
            {
                Assert.That(compiled, Has.Some.Contains("ProbabilisticMap"), "PostgreSQL cannot store NUL: its strings are checked for it");
            }
            else
            {
                Assert.That(compiled, Has.None.Contains("ProbabilisticMap"), "the NUL set was built on an engine that stores NUL");
            }
        }
    }

    /// <summary>
    /// <c>QueryModel.Empty</c>'s orderings are one <c>new Ordering[0]</c>: <c>[]</c> is <c>Array.Empty&lt;Ordering&gt;()</c>, the
    /// framework's generic code over a Premix value type, which ReadyToRun leaves to the JIT at every start (docs/performance.md,
    /// "What a generated-model start loads and JIT-compiles, by name"). Under the JIT every method is listed, so the generic
    /// one shows by its instantiation.
    /// </summary>
    [Test]
    public async Task A_start_compiles_no_empty_array_of_orderings()
    {
        var (run, compiled) = await (_start ??= StartListingCompiledAsync());

        using (Assert.EnterMultipleScope())
        {
            AssertStarted(run, compiled);
            Assert.That(compiled.Where(l => l.Contains("EmptyArray", StringComparison.Ordinal) && l.Contains("Premix.Querying.Ordering", StringComparison.Ordinal)), Is.Empty, "QueryModel.Empty's orderings are Array.Empty<Ordering>() again");
        }
    }

    // Not the exit code: with the JIT's listing on, the app crashed at exit once (139) after printing everything, in about
    // fifteen runs under load; the list is written as the start compiles, before that.
    private static void AssertStarted(ChildProcessResult run, string[] compiled)
    {
        Assert.That(run.Output, Does.StartWith("1 first"), run.Everything);
        Assert.That(compiled, Has.Some.Contains("JIT compiled Premix."), "the list names the methods the start compiled");
    }

    private async Task<(ChildProcessResult Run, string[] Compiled)> StartListingCompiledAsync()
    {
        var list = Path.Combine(Path.GetTempPath(), $"premix-start-jit-{Guid.NewGuid():N}.txt");
        try
        {
            var run = await RunStartAppAsync("factory", ("DOTNET_JitDisasmSummary", "1"), ("DOTNET_JitStdOutFile", list));
            return (run, File.ReadAllLines(list));
        }
        finally
        {
            File.Delete(list);
        }
    }
}
