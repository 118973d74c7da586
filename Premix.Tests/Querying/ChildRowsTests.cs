using Premix.Querying;

namespace Premix.Tests.Querying;

/// <summary>
/// The list an include reads its children into is the thread's, reused from one load to the next: given back empty, so the
/// thread holds no entity, and not kept once it grew past <see cref="ChildRows.MaxKept"/> rows. No engine: the include
/// fixtures read through it on all three.
/// </summary>
public sealed class ChildRowsTests
{
    [Test]
    public void A_list_given_back_is_emptied_and_rented_again_by_the_same_thread()
    {
        var rows = ChildRows.Rent();
        rows.AddRange(new object[] { "order 1", "order 2" });
        ChildRows.Return(rows);

        var again = ChildRows.Rent();
        var whileOut = ChildRows.Rent();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.SameAs(rows));
            Assert.That(again, Is.Empty, "no row of the last load is held");
            Assert.That(whileOut, Is.Not.SameAs(rows), "a load that starts while the thread's list is out gets its own");
        }

        ChildRows.Return(whileOut);
        ChildRows.Return(again);
    }

    [Test]
    public void A_list_grown_past_the_limit_is_not_kept()
    {
        var rows = ChildRows.Rent();
        rows.AddRange(Enumerable.Range(0, ChildRows.MaxKept + 1).Select(i => (object)i));
        ChildRows.Return(rows);

        var next = ChildRows.Rent();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Is.Empty);
            Assert.That(next, Is.Not.SameAs(rows));
        }

        ChildRows.Return(next);
    }
}
