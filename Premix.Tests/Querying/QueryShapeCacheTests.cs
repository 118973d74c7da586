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
        _premix = await CreatePremixWithTablesAsync(new GaugeMap(), new DialMap());
        await using var connection = await OpenConnectionAsync();
        for (var i = 1; i <= 12; i++)
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {Q("shape_gauges")} ({Q("Id")}, {Q("Name")}, {Q("Level")}) VALUES (@id, @name, @level)",
                new { id = (long)i, name = i % 4 == 0 ? null : $"gauge {i}", level = i % 5 });
        }

        // Dials: other ids at each level than the gauges.
        for (var i = 101; i <= 106; i++)
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {Q("shape_dials")} ({Q("Id")}, {Q("Name")}, {Q("Level")}) VALUES (@id, @name, @level)",
                new { id = (long)i, name = $"dial {i}", level = i % 5 });
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

    // ExpressionShape compares the node kinds of the lambdas users write most; a tree with another kind (here a collection
    // initializer) equals no other tree, so each call missed the cache and added an entry: one per call, without bound.
    [Test]
    public async Task A_query_holding_a_node_kind_the_cache_cannot_compare_is_translated_per_call_and_adds_no_entry()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();

        var before = cache.Count;
        for (var level = 0; level <= 4; level++)
        {
            var other = (level + 2) % 5;
            var read = await gauges.Query().Where(g => new List<int> { level, other }.Contains(g.Level)).ToListAsync();
            Assert.That(read.Select(g => g.Id).Order(), Is.EqualTo(await IdsAsync("WHERE {Level} IN (@level, @other)", new { level, other })), $"levels {level} and {other}");
        }

        Assert.That(cache.Count, Is.EqualTo(before), "five calls of a shape the cache cannot compare add no entry");
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

    // A query's last Where is kept apart from its model (Where copies no model): these shapes are the ones a key holding the
    // model's filters and the last one apart could confuse. Each must read its own rows, whichever ran first.
    [Test]
    public async Task Shapes_a_cache_key_could_confuse_each_read_their_own_rows()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();
        var dials = uow.Repository<Dial>().AsNoTracking();
        var level = 3;
        var min = 1;
        var name = "gauge 6";

        async Task<long[]> Ids<TEntity>(Query<TEntity> query, Func<TEntity, long> id)
            where TEntity : class => (await query.ToListAsync()).Select(id).Order().ToArray();

        var equal = await Ids(gauges.Query().Where(g => g.Level == level), g => g.Id);
        var notEqual = await Ids(gauges.Query().Where(g => g.Level != level), g => g.Id);
        var constant = await Ids(gauges.Query().Where(g => g.Level == 2), g => g.Id);
        var otherClosure = await ((Func<int, Task<long[]>>)(other => Ids(gauges.Query().Where(g => g.Level == other), g => g.Id)))(4);
        var dial = await Ids(dials.Query().Where(d => d.Level == level), d => d.Id);

        // Two filters: the second kept apart ([a] with b last), then the same two in the model ([a, b], folded by
        // AsNoTracking), then in the other order.
        var split = await Ids(gauges.Query().Where(g => g.Level >= min).Where(g => g.Name == name), g => g.Id);
        var entries = cache.Count;
        var folded = await Ids(gauges.Query().Where(g => g.Level >= min).Where(g => g.Name == name).AsNoTracking(), g => g.Id);
        var foldedReusesTheEntry = cache.Count == entries;
        var swapped = await Ids(gauges.Query().Where(g => g.Name == name).Where(g => g.Level >= min), g => g.Id);
        min = 2;
        var splitOtherValue = await Ids(gauges.Query().Where(g => g.Level >= min).Where(g => g.Name == name), g => g.Id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(equal, Is.EqualTo(await IdsAsync("WHERE {Level} = 3", null)), "==");
            Assert.That(notEqual, Is.EqualTo(await IdsAsync("WHERE {Level} <> 3", null)), "!= with the same value");
            Assert.That(constant, Is.EqualTo(await IdsAsync("WHERE {Level} = 2", null)), "a constant, not the captured 3");
            Assert.That(otherClosure, Is.EqualTo(await IdsAsync("WHERE {Level} = 4", null)), "the same member read from another closure");
            Assert.That(dial, Is.EqualTo(await IdsAsync("WHERE {Level} = 3", null, "shape_dials")), "the same lambda on another entity");
            Assert.That(split, Is.EqualTo(await IdsAsync("WHERE {Level} >= 1 AND {Name} = 'gauge 6'", null)), "the last filter kept apart");
            Assert.That(folded, Is.EqualTo(split), "the same filters in the model");
            Assert.That(foldedReusesTheEntry, Is.True, "the same filters, kept apart or in the model, are one shape");
            Assert.That(swapped, Is.EqualTo(split), "the two filters in the other order");
            Assert.That(splitOtherValue, Is.EqualTo(await IdsAsync("WHERE {Level} >= 2 AND {Name} = 'gauge 6'", null)), "the last filter kept apart, another value");
        }
    }

    // Three values of one type, one under a negation (the slot walk enters unary nodes itself): a second call of the shape is a
    // cache hit and must bind each value to its own place.
    [Test]
    public async Task A_shape_with_a_negated_value_and_two_others_of_its_type_reads_each_calls_rows_from_the_cache()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();
        async Task<long[]> ReadAsync(int skip, int min, int max) =>
            (await gauges.Query().Where(g => !(g.Level == skip) && g.Level >= min && g.Level <= max).ToListAsync()).Select(g => g.Id).Order().ToArray();

        var before = cache.Count;
        var first = await ReadAsync(2, 1, 3);
        var second = await ReadAsync(3, 0, 4);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo(await IdsAsync("WHERE {Level} <> @s AND {Level} >= @a AND {Level} <= @b", new { s = 2, a = 1, b = 3 })), "(2, 1, 3)");
            Assert.That(second, Is.EqualTo(await IdsAsync("WHERE {Level} <> @s AND {Level} >= @a AND {Level} <= @b", new { s = 3, a = 0, b = 4 })), "(3, 0, 4), from the cache");
            Assert.That(cache.Count, Is.EqualTo(before + 1), "one entry for both calls");
        }
    }

    // Every operator after a Where keeps it: the ones that copy the model put it in; the runs read it from where it is.
    [Test]
    public async Task A_last_Where_is_kept_by_every_operator_after_it()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>();
        var level = 2;
        var expected = await IdsAsync("WHERE {Level} = 2", null);
        Query<Gauge> Filtered() => gauges.Query().Where(g => g.Level == level);
        static long[] Ids(IEnumerable<Gauge> rows) => rows.Select(g => g.Id).Order().ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(await Filtered().ToListAsync()), Is.EqualTo(expected), "ToListAsync");
            Assert.That(Ids(await Filtered().AsNoTracking().ToListAsync()), Is.EqualTo(expected), "AsNoTracking");
            Assert.That(Ids(await Filtered().OrderBy(g => g.Id).Skip(0).Take(100).ToListAsync()), Is.EqualTo(expected), "OrderBy, Skip, Take");
            Assert.That(Ids(await Filtered().IgnoreQueryFilters().AllowUnsafe().ToListAsync()), Is.EqualTo(expected), "IgnoreQueryFilters, AllowUnsafe");
            Assert.That(Ids(await Filtered().WithDeleted().ToListAsync()), Is.EqualTo(expected), "WithDeleted");
            Assert.That(Ids(await Filtered().Where(g => g.Id > 0).ToListAsync()), Is.EqualTo(expected), "another Where");
            Assert.That((await Filtered().Select(g => g.Id).ToListAsync()).Order(), Is.EqualTo(expected), "Select");
            Assert.That(await Filtered().CountAsync(), Is.EqualTo(expected.Length), "CountAsync");
            Assert.That((await Filtered().FirstOrDefaultAsync())?.Level, Is.EqualTo(2), "FirstOrDefaultAsync");
            Assert.That(await gauges.Query().Where(g => g.Level == 99).AnyAsync(), Is.False, "AnyAsync");
            Assert.That(Filtered().ToSql(), Does.Contain("WHERE"), "ToSql");
            Assert.That(await gauges.Query().Where(g => g.Level == 99).DeleteAllAsync(), Is.Zero, "DeleteAllAsync: filtered, deletes no row");
            Assert.ThrowsAsync<DestructiveOperationException>(() => gauges.Query().Where(g => true).DeleteAllAsync(), "a Where that is always true does not count as a filter");
        }
    }

    // Prepare walks a query's values with a walker of its thread, reused from call to call. A value whose reading prepares
    // another query (here a property getter) must not share it with the outer query; a value that throws in the middle of
    // the walk, or a predicate that cannot be translated, must leave no walker behind that the next query on this thread
    // would read stale nodes or values from.
    [Test]
    public async Task A_query_prepared_while_reading_a_value_and_a_value_that_throws_mid_walk_leave_each_query_its_own_values()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();
        var max = 3;
        var innerName = "gauge 5";
        string? innerSql = null;
        var probe = new ValueProbe(() =>
        {
            innerSql = gauges.Query().Where(g => g.Name == innerName && g.Level != 9).ToSqlWithParameters();
            return 1;
        });

        // The outer query's first value prepares the inner query; its second is read after the inner query gave its walker back.
        // Synchronous, after a query on this thread (so the thread has a walker to share if it were not taken out), then a read.
        _ = gauges.Query().Where(g => g.Level == max).ToSqlWithParameters();
        var nestedSql = gauges.Query().Where(g => g.Level >= probe.Min && g.Level <= max).ToSqlWithParameters();
        var nested = (await gauges.Query().Where(g => g.Level >= probe.Min && g.Level <= max).ToListAsync()).Select(g => g.Id).Order().ToArray();

        var throwing = new ValueProbe(() => throw new InvalidOperationException("the value throws"));
        var thrown = Assert.CatchAsync(() => gauges.Query().Where(g => g.Level >= 0 && g.Level == throwing.Min && g.Name != innerName).ToListAsync());
        var untranslatable = Assert.CatchAsync(() => gauges.Query().Where(g => g.Level == max && g.Name!.GetHashCode() == max).ToListAsync());

        // Same thread, synchronous: the walker these calls rent is the one the failed calls gave back or dropped.
        var afterSql = gauges.Query().Where(g => g.Level == max).ToSqlWithParameters();
        var after = (await gauges.Query().Where(g => g.Level == max).ToListAsync()).Select(g => g.Id).Order().ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nestedSql, Does.Contain("= 1").And.Contain("= 3").And.Not.Contain("gauge 5"), "the outer query's own values, prepared on this thread");
            Assert.That(nested, Is.EqualTo(await IdsAsync("WHERE {Level} >= 1 AND {Level} <= 3", null)), "the outer query's own values");
            Assert.That(innerSql, Does.Contain("= 'gauge 5'").And.Contain("= 9"), "the inner query's own values");
            Assert.That(thrown?.InnerException?.Message ?? thrown?.Message, Is.EqualTo("the value throws"), "the value's exception (wrapped by reflection)");
            Assert.That(untranslatable, Is.InstanceOf<NotSupportedException>(), "a predicate that cannot be translated");
            Assert.That(afterSql, Does.Contain("= 3").And.Not.Contain("gauge 5"), "a query after both failures binds only its own value");
            Assert.That(after, Is.EqualTo(await IdsAsync("WHERE {Level} = 3", null)), "a query after both failures reads its own rows");
        }
    }

    [Test]
    public async Task A_query_written_in_place_prepares_with_no_more_bytes_than_its_compiled_form()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gauges = uow.Repository<Gauge>().AsNoTracking();
        var compiled = new QueryTemplate<Gauge, ValueTuple<int>>((Expression<Func<Query<Gauge>, int, Query<Gauge>>>)((q, min) => q.Where(g => g.Level >= min)), [Placeholder<int>.Read()]);
        var captured = new Captured();
        Expression<Func<Gauge, bool>> builtOnce = g => g.Level >= captured.Min; // the caller's tree is not Premix's to count

        var inPlace = LeastBytes(() => gauges.Query().Where(builtOnce).Prepare(QueryOperation.Rows, take: 1));
        var precompiled = LeastBytes(() => compiled.Bind(gauges, new(2)).Prepare(QueryOperation.Rows, take: 1));

        TestContext.Out.WriteLine($"Where and Prepare: written in place {inPlace} B, compiled {precompiled} B");
        Assert.That(inPlace, Is.LessThanOrEqualTo(precompiled), $"written in place {inPlace} B, compiled {precompiled} B");

        long LeastBytes(Action call)
        {
            var least = long.MaxValue;
            for (var i = 0; i < 20; i++)
            {
                captured.Min = i % 4;
                var before = GC.GetAllocatedBytesForCurrentThread();
                call();
                var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                least = i < 10 ? least : Math.Min(least, bytes);
            }

            return least;
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
            query.Prepare(QueryOperation.Rows);
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            least = i < 10 ? least : Math.Min(least, bytes);
        }

        return least;
    }

    // The ids plain SQL finds with this condition ({Column} placeholders quoted for the engine), in order.
    private async Task<long[]> IdsAsync(string condition, object? parameters, string table = "shape_gauges")
    {
        var sql = condition.Replace("{Level}", Q("Level"), StringComparison.Ordinal).Replace("{Name}", Q("Name"), StringComparison.Ordinal);
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<long>($"SELECT {Q("Id")} FROM {Q(table)} {sql} ORDER BY {Q("Id")}", parameters)).ToArray();
    }

    public sealed class Gauge
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public int Level { get; set; }
    }

    // Another entity with the same member names and types, in a table of its own.
    public sealed class Dial
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public int Level { get; set; }
    }

    private sealed class Captured
    {
        public int Min;
    }

    // A captured object whose value runs code when read, as a property of the caller's may.
    private sealed class ValueProbe(Func<int> read)
    {
        public int Min => read();
    }

    private sealed class DialMap : ModelConfiguration<Dial>
    {
        public override void Configure(EntityBuilder<Dial> e)
        {
            e.ToTable("shape_dials");
            e.HasKey(x => x.Id).IsClientAssigned();
        }
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
