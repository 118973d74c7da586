using Premix.Plans;

namespace Premix.Tests.Plans;

/// <summary>
/// The UPDATE statements by changed columns, one of the caches made on first use instead of at startup (issue 19): threads
/// that race on a set's first update all get the one statement stored. Every thread waits inside the build until all are
/// in it, so each has found the statement missing before any stores: the race happens every run, not when the scheduler
/// happens to allow it. The cache itself is published by LazyInitializer. Engine-independent (no database):
/// FirstCallTests runs the first commit and include, which fill these caches, on every engine.
/// </summary>
public sealed class FirstUseTests
{
    private const int Threads = 8;

    [Test]
    public void Threads_first_updating_one_set_of_columns_at_once_all_get_one_statement()
    {
        const ulong Mask = 0b101;
        var made = 0;
        using var inside = new Barrier(Threads);
        var updates = new UpdateStatements(built =>
        {
            if (built == Mask)
            {
                Interlocked.Increment(ref made);
                inside.SignalAndWait(); // ConcurrentDictionary.GetOrAdd runs its factory outside its lock: all eight are here
            }

            return new SqlStatement("Update", $"UPDATE t SET {built}", []);
        });

        var got = RaceOn(() => updates.For(Mask));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(made, Is.EqualTo(Threads), "every thread found the statement missing");
            Assert.That(got, Is.All.SameAs(updates.For(Mask)), "yet all got the one stored");
            Assert.That(updates.For(Mask).Sql, Is.EqualTo("UPDATE t SET 5"));
        }
    }

    [Test]
    public void The_every_column_statement_is_built_with_the_statements_and_is_the_one_every_thread_gets()
    {
        var made = 0;
        var updates = new UpdateStatements(built =>
        {
            if (built == UpdateStatements.All)
            {
                Interlocked.Increment(ref made);
            }

            return new SqlStatement("Update", $"UPDATE t SET {built}", []);
        });
        var madeAtStart = made;

        var got = RaceOn(() => updates.For(UpdateStatements.All));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(madeAtStart, Is.EqualTo(1), "built with the plan, which takes it at startup");
            Assert.That(made, Is.EqualTo(1), "never built again");
            Assert.That(got, Is.All.SameAs(updates.For(UpdateStatements.All)));
        }
    }

    private static T[] RaceOn<T>(Func<T> first)
    {
        var got = new T[Threads];
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() => got[i] = first())).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return got;
    }
}
