using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// A tiny in-process job for CI: proves every benchmark (and its result check) runs, in well under two minutes.
/// Its numbers are noise; read the full run's.
/// </summary>
internal static class SmokeConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(16)
            .WithUnrollFactor(16)
            .WithId("Smoke"));
}
