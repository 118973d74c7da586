using System.Collections.Concurrent;
using System.Linq.Expressions;
using Dapper;
using Premix.Mapping;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A query written in place (a lambda per call, not compiled) is translated once per shape and looked up by a key that
/// holds no value: each call must still send its own captured values, from any thread, and the cache must not grow with
/// the values. Rows are seeded and the expected answers read with plain SQL.
/// </summary>
public sealed class QueryShapeCacheTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new GaugeMap());
        await using var connection = await OpenConnectionAsync();
        for (var i = 1; i <= 12; i++)
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {Q("shape_gauges")} ({Q("Id")}, {Q("Name")}, {Q("Level")}) VALUES (@id, @name, @level)",
                new { id = (long)i, name = i % 4 == 0 ? null : $"gauge {i}", level = i % 5 });
        }
    }

    [Test]
    public async Task One_shape_run_with_other_captured_values_returns_the_rows_of_each_value()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();

        for (var level = 0; level <= 5; level++)
        {
            var min = level; // a new closure per call, as in application code
            var read = await gauges.Query().Where(g => g.Level >= min).ToListAsync();

            Assert.That(read.Select(g => g.Id).Order(), Is.EqualTo(await IdsAsync("WHERE {Level} >= @min", new { min })), $"Level >= {min}");
        }
    }

    [Test]
    public async Task Two_threads_running_one_shape_with_different_values_each_get_the_rows_of_their_own()
    {
        var expected = new Dictionary<int, long[]>();
        for (var level = 0; level <= 4; level++)
        {
            expected[level] = await IdsAsync("WHERE {Level} = @level", new { level });
        }

        var wrong = new ConcurrentBag<(int Worker, int Call, int Level)>();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
        {
            await using var uow = _premix.BeginUnitOfWork();
            var gauges = uow.Repository<Gauge>().AsNoTracking();
            for (var call = 0; call < 60; call++)
            {
                var level = (worker * 2 + call) % 5; // the two threads ask for different levels at the same time
                var read = await gauges.Query().Where(g => g.Level == level).ToListAsync();
                if (!read.Select(g => g.Id).Order().SequenceEqual(expected[level]))
                {
                    wrong.Add((worker, call, level));
                }
            }
        })));

        Assert.That(wrong, Is.Empty, "(worker, call, level) that read another value's rows");
    }

    // QueryTests.A_query_run_again_with_other_values_reuses_its_translation covers other values alone; this adds the null
    // mask (a null value is one more entry, once) and two captured values in one shape.
    [Test]
    public async Task The_translation_cache_grows_per_shape_and_null_not_per_value()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();
        async Task<int> ReadAsync(int min, string? name) => (await gauges.Query().Where(g => g.Level >= min && g.Name == name).ToListAsync()).Count;

        await ReadAsync(0, "gauge 1");
        var oneShape = cache.Count;
        var found = 0;
        var expected = 0;
        for (var i = 1; i <= 40; i++)
        {
            found += await ReadAsync(i % 3, $"gauge {i}");
            expected += (await IdsAsync("WHERE {Level} >= @min AND {Name} = @name", new { min = i % 3, name = $"gauge {i}" })).Length;
        }

        var afterValues = cache.Count;
        var nullNames = await ReadAsync(0, null) + await ReadAsync(1, null); // IS NULL is another SQL text: one more entry, whatever the level
        var afterNull = cache.Count;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterValues, Is.EqualTo(oneShape), "40 other values, one translation");
            Assert.That(afterNull, Is.EqualTo(oneShape + 1), "a null value is another shape, once");
            Assert.That(found, Is.EqualTo(expected), "each call found the rows of its own level and name");
            Assert.That(nullNames, Is.EqualTo((await IdsAsync("WHERE {Name} IS NULL", null)).Length + (await IdsAsync("WHERE {Name} IS NULL AND {Level} >= 1", null)).Length));
        }
    }

    [Test]
    public async Task A_query_with_more_than_64_values_is_translated_per_call_and_not_cached()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();

        // g => g.Level == v0 || ... || g.Level == v64: 65 values, past what the null mask of a cache key can tell apart.
        static Expression<Func<Gauge, bool>> AnyLevel(int first, int second)
        {
            var g = Expression.Parameter(typeof(Gauge), "g");
            var level = Expression.Property(g, nameof(Gauge.Level));
            var body = Enumerable.Range(0, 65)
                .Select(i => (Expression)Expression.Equal(level, Expression.Constant(i == 10 ? first : i == 50 ? second : 100 + i)))
                .Aggregate(Expression.OrElse);
            return Expression.Lambda<Func<Gauge, bool>>(body, g);
        }

        var before = cache.Count;
        var twoAndThree = await gauges.Query().Where(AnyLevel(2, 3)).ToListAsync();
        var oneAndFour = await gauges.Query().Where(AnyLevel(1, 4)).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(twoAndThree.Select(g => g.Id).Order(), Is.EqualTo(await IdsAsync("WHERE {Level} IN (2, 3)", null)));
            Assert.That(oneAndFour.Select(g => g.Id).Order(), Is.EqualTo(await IdsAsync("WHERE {Level} IN (1, 4)", null)));
            Assert.That(cache.Count, Is.EqualTo(before), "no entry for a shape of more than 64 values");
        }
    }

    [Test]
    public async Task Operators_on_captured_values_return_the_rows_of_each_value()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();

        for (var min = -1; min <= 4; min++)
        {
            var threshold = min;
            var read = await gauges.Query().Where(g => g.Level >= threshold + 1).ToListAsync();
            Assert.That(read.Select(g => g.Id).Order(), Is.EqualTo(await IdsAsync("WHERE {Level} >= @min", new { min = min + 1 })), $"Level >= {min} + 1");
        }

        // && skips its right side: a null name must not be dereferenced.
        foreach (var name in new[] { null, "ab", "abcdef" })
        {
            var read = await gauges.Query().Where(g => g.Level >= (name != null && name.Length > 3 ? 3 : 1)).ToListAsync();
            Assert.That(read.Select(g => g.Id).Order(), Is.EqualTo(await IdsAsync("WHERE {Level} >= @min", new { min = name is { Length: > 3 } ? 3 : 1 })), $"name {name ?? "null"}");
        }
    }

    [Test]
    public async Task Preparing_an_operator_on_a_captured_value_allocates_about_what_the_captured_value_alone_does()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();
        var min = 2;

        // A new tree per call, as the C# compiler builds in application code; 48 B is the two boxes of min and of min + 1.
        var plain = LeastBytesOfPrepare(() => gauges.Query().Where(g => g.Level >= min));
        var plusOne = LeastBytesOfPrepare(() => gauges.Query().Where(g => g.Level >= min + 1));

        TestContext.Out.WriteLine($"Prepare: plain {plain} B, with + 1 {plusOne} B");
        Assert.That(plusOne, Is.LessThanOrEqualTo(plain + 64), $"plain {plain} B, with + 1 {plusOne} B: no delegate compiled per call");
    }

    [Test]
    public async Task Preparing_a_method_call_built_for_this_call_allocates_no_more_than_one_already_walked()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();
        var ids = new List<long> { 1, 2, 3 };
        var prefix = "gauge";

        foreach (var (name, build) in new (string, Func<Query<Gauge>>)[]
                 {
                     ("ids.Contains(g.Id)", () => gauges.Query().Where(g => ids.Contains(g.Id))),
                     ("g.Name.StartsWith(prefix)", () => gauges.Query().Where(g => g.Name!.StartsWith(prefix))),
                 })
        {
            var fresh = LeastBytesOfPrepare(build);
            var query = build();
            var walked = LeastBytesOfPrepare(() => query);

            TestContext.Out.WriteLine($"Prepare of {name}: fresh tree {fresh} B, walked {walked} B");

            // A fresh tree has not made its argument collections: reading them (instead of by index) allocates them.
            Assert.That(fresh, Is.LessThanOrEqualTo(walked + 16), $"{name}: a fresh tree {fresh} B, one walked before {walked} B");
        }
    }

    // The fewest bytes Prepare allocated on this thread over a few calls after a warm-up, each on a query from build()
    // (built outside the measurement): the translation is cached by then, so this is a cache hit's cost.
    private static long LeastBytesOfPrepare(Func<Query<Gauge>> build)
    {
        var least = long.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            var query = build();
            var before = GC.GetAllocatedBytesForCurrentThread();
            query.Prepare(QueryOperation.Rows, query.Model);
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            least = i < 10 ? least : Math.Min(least, bytes);
        }

        return least;
    }

    // The ids plain SQL finds with this condition ({Column} placeholders quoted for the engine), in order.
    private async Task<long[]> IdsAsync(string condition, object? parameters)
    {
        var sql = condition.Replace("{Level}", Q("Level"), StringComparison.Ordinal).Replace("{Name}", Q("Name"), StringComparison.Ordinal);
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<long>($"SELECT {Q("Id")} FROM {Q("shape_gauges")} {sql} ORDER BY {Q("Id")}", parameters)).ToArray();
    }

    public sealed class Gauge
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public int Level { get; set; }
    }

    private sealed class GaugeMap : ModelConfiguration<Gauge>
    {
        public override void Configure(EntityBuilder<Gauge> e)
        {
            e.ToTable("shape_gauges");
            e.HasKey(x => x.Id).IsClientAssigned();
        }
    }
}
