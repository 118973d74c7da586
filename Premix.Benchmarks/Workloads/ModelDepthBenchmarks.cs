using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dapper;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// What a composite key and a converted property cost Premix: get by key and a list of 1000 on a model keyed by
/// (order, line number) with a converted product code, against the same rows on a model keyed by one column (each
/// category's baseline). One unit of work under <c>HoldConnectionAsync</c>, no tracking.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ModelDepthBenchmarks
{
    private const long KnownId = 501;

    private BenchmarkDatabase _database = null!;
    private IUnitOfWork _unitOfWork = null!;
    private ConnectionHold _hold = null!;
    private IRepository<PlainLine> _plain = null!;
    private IRepository<CompositeLine> _composite = null!;
    private (long OrderId, int LineNo) _knownKey;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(Engine);
        await SeedAsync();
        _unitOfWork = _database.CreatePremix(new PlainLineMap(), new CompositeLineMap()).BeginUnitOfWork();
        _hold = await _unitOfWork.HoldConnectionAsync();
        _plain = _unitOfWork.Repository<PlainLine>().AsNoTracking();
        _composite = _unitOfWork.Repository<CompositeLine>().AsNoTracking();
        var known = OrderLineSql.Row(KnownId);
        _knownKey = (known.OrderId, known.LineNo);

        Check(await GetPlain() is { Sku: var sku } && sku == known.Sku, nameof(GetPlain));
        Check(await GetComposite() is { Sku.Value: var code, Quantity: var quantity } && code == known.Sku && quantity == known.Quantity, nameof(GetComposite));
        Check((await ListPlain()).Count == OrderLineSql.RowCount, nameof(ListPlain));
        Check((await ListComposite()).Count(l => l.Sku.Value.StartsWith("SKU-", StringComparison.Ordinal)) == OrderLineSql.RowCount, nameof(ListComposite));
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Get by key")]
    public Task<PlainLine?> GetPlain() => _plain.FindAsync(KnownId);

    [Benchmark]
    [BenchmarkCategory("Get by key")]
    public Task<CompositeLine?> GetComposite() => _composite.FindAsync(_knownKey);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("List 1000")]
    public Task<IReadOnlyList<PlainLine>> ListPlain() => _plain.ListAsync();

    [Benchmark]
    [BenchmarkCategory("List 1000")]
    public Task<IReadOnlyList<CompositeLine>> ListComposite() => _composite.ListAsync();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _hold.DisposeAsync();
        await _unitOfWork.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task SeedAsync()
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        foreach (var statement in OrderLineSql.Create)
        {
            await connection.ExecuteAsync(statement);
        }

        var rows = Enumerable.Range(1, OrderLineSql.RowCount).Select(i => OrderLineSql.Row(i)).Select(r => new { r.Id, r.OrderId, r.LineNo, r.Sku, r.Quantity }).ToList();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("INSERT INTO plain_lines (id, order_id, line_no, sku, quantity) VALUES (@Id, @OrderId, @LineNo, @Sku, @Quantity)", rows, transaction);
        await connection.ExecuteAsync("INSERT INTO composite_lines (order_id, line_no, sku, quantity) VALUES (@OrderId, @LineNo, @Sku, @Quantity)", rows, transaction);
        await transaction.CommitAsync();
    }

    private static void Check(bool ok, string benchmark)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{benchmark} returned something other than the seeded rows.");
        }
    }
}
