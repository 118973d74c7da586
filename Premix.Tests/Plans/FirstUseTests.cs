using Premix.Plans;

namespace Premix.Tests.Plans;

/// <summary>
/// The caches made on first use instead of at startup (issue 19): threads that race on a cache's first use all get the one
/// stored, so none fills a cache the others do not see. Every thread waits inside the factory until all are in it, so each
/// has found the cache missing before any stores: the race happens every run, not when the scheduler happens to allow it.
/// Engine-independent (no database): FirstCallTests runs the first commit and include, which fill them, on every engine.
/// </summary>
public sealed class FirstUseTests
{
    private const int Threads = 8;

    [Test]
    public void Threads_first_using_one_cache_at_once_all_get_the_one_stored()
    {
        object? field = null;
        var made = 0;
        using var inside = new Barrier(Threads);

        var got = RaceOn(_ => FirstUse.Of(ref field, () =>
        {
            Interlocked.Increment(ref made);
            inside.SignalAndWait();
            return new object();
        }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(made, Is.EqualTo(Threads), "every thread found the cache missing");
            Assert.That(got, Is.All.SameAs(field), "yet all got the one stored");
        }
    }

    [TestCase(UpdateStatements.All)]
    [TestCase(0b101UL)]
    public void Threads_first_updating_one_set_of_columns_at_once_all_get_one_statement(ulong mask)
    {
        var made = 0;
        using var inside = new Barrier(Threads);
        var updates = new UpdateStatements(built =>
        {
            if (built == mask)
            {
                Interlocked.Increment(ref made);
                inside.SignalAndWait(); // ConcurrentDictionary.GetOrAdd runs its factory outside its lock: all eight are here
            }

            return new SqlStatement("Update", $"UPDATE t SET {built}", []);
        });

        var got = RaceOn(_ => updates.For(mask));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(made, Is.EqualTo(Threads), "every thread found the statement missing");
            Assert.That(got, Is.All.SameAs(updates.For(mask)), "yet all got the one stored");
            Assert.That(updates.For(mask).Sql, Is.EqualTo($"UPDATE t SET {mask}"));
        }
    }

    private static T[] RaceOn<T>(Func<int, T> first)
    {
        var got = new T[Threads];
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() => got[i] = first(i))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return got;
    }
}
