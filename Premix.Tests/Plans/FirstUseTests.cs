using Premix.Plans;

namespace Premix.Tests.Plans;

/// <summary>
/// The caches made on first use instead of at startup (issue 19): threads that race on a cache's first use all get the one
/// stored, so none fills a cache the others do not see. Engine-independent (no database): FirstCallTests runs the first
/// commit and include, which fill them, from eight threads on every engine.
/// </summary>
public sealed class FirstUseTests
{
    private const int Threads = 8;

    [Test]
    public void Threads_first_using_one_cache_at_once_all_get_the_one_stored()
    {
        for (var round = 0; round < 50; round++)
        {
            object? field = null;
            var made = 0;
            var got = new object[Threads];
            using var barrier = new Barrier(Threads);
            var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
            {
                barrier.SignalAndWait();
                got[i] = FirstUse.Of(ref field, () =>
                {
                    Interlocked.Increment(ref made);
                    return new object();
                });
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.That(got, Is.All.SameAs(field), $"round {round}: {made} made, one kept");
        }
    }

    [Test]
    public void Threads_asking_a_new_entitys_update_statement_at_once_get_one_statement_per_set_of_columns()
    {
        for (var round = 0; round < 50; round++)
        {
            var updates = new UpdateStatements(mask => new SqlStatement("Update", $"UPDATE t SET {mask}", []));
            var got = new SqlStatement[Threads * 2];
            using var barrier = new Barrier(Threads);
            var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
            {
                barrier.SignalAndWait();
                got[i] = updates.For(UpdateStatements.All);
                got[Threads + i] = updates.For(0b101);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            using (Assert.EnterMultipleScope())
            {
                Assert.That(got[..Threads], Is.All.SameAs(updates.For(UpdateStatements.All)), $"round {round}");
                Assert.That(got[Threads..], Is.All.SameAs(updates.For(0b101)), $"round {round}");
                Assert.That(updates.For(0b101).Sql, Is.EqualTo("UPDATE t SET 5"));
            }
        }
    }
}
