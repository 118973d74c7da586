using Premix.Execution;

namespace Premix.Tests.Execution;

/// <summary>
/// The free buffers an include or a first-row read rents before its awaits and gives back after them: given back on
/// another thread, a buffer is still found by the thread that rented it (a per-thread slot lost it).
/// </summary>
public sealed class SharedSlotsTests
{
    [Test]
    public void A_list_given_back_on_another_thread_is_taken_again_on_the_thread_that_rented_it()
    {
        var slots = new SharedSlots<List<object>>();
        var rented = new List<object>();

        var other = new Thread(() => slots.Give(rented));
        other.Start();
        other.Join();

        Assert.That(slots.Take(), Is.SameAs(rented));
        Assert.That(slots.Take(), Is.Null, "taken once: the slot is empty again");
    }

    [Test]
    public void Items_given_back_past_one_per_slot_are_dropped_and_each_kept_one_is_taken_once()
    {
        var slots = new SharedSlots<object>();
        var items = Enumerable.Range(0, slots.Count + 3).Select(_ => new object()).ToList();

        foreach (var item in items)
        {
            slots.Give(item);
        }

        var taken = Enumerable.Range(0, slots.Count + 3).Select(_ => slots.Take()).Where(i => i is not null).ToList();
        Assert.That(taken, Has.Count.EqualTo(slots.Count));
        Assert.That(taken, Is.Unique);
        Assert.That(items.Take(slots.Count), Is.EquivalentTo(taken!), "the first ones given back are kept");
    }

    [Test]
    public void Eight_threads_renting_and_giving_back_at_once_never_hold_the_same_item()
    {
        var slots = new SharedSlots<object>();
        var held = new System.Collections.Concurrent.ConcurrentDictionary<object, int>(ReferenceEqualityComparer.Instance);
        var clashes = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var item = slots.Take() ?? new object();
                if (!held.TryAdd(item, 0))
                {
                    Interlocked.Increment(ref clashes);
                }

                held.TryRemove(item, out _);
                slots.Give(item);
            }
        });

        Assert.That(clashes, Is.Zero);
    }
}
