namespace Premix.Benchmarks.Configuration;

/// <summary>
/// A workload whose calls read different data from call to call (<c>QueryFirstBenchmarks</c> takes the next email of the
/// 1000), so that <see cref="InterleavedProbe"/> can make every contender's block of a round read the same data: it calls
/// <see cref="StartBlock"/> before each block. BenchmarkDotNet never calls it, so its runs are unchanged.
/// </summary>
internal interface IInterleavedBlocks
{
    /// <summary>Puts the workload where block <paramref name="round"/> of <paramref name="calls"/> calls starts, the same for every contender of that round.</summary>
    void StartBlock(int round, int calls);
}
