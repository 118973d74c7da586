using Premix.Plans;
using Premix.Providers.Sqlite;
using Premix.Tests.Infrastructure;
using Premix.Tracking;

namespace Premix.Tests.Tracking;

/// <summary>
/// The identity map keyed by value (<see cref="IdentityMap"/>): entries of different types with the same key value hang
/// from one another; each is found, replaced and removed alone. In process: plans are compiled, no database is opened.
/// </summary>
public sealed class IdentityMapTests
{
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public void CompilePlans() => _premix = PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:")
        .AddModelConfiguration(new CustomerMap()).AddModelConfiguration(new AuthorMap()).AddModelConfiguration(new BookMap())
        .AddModelConfiguration(new KeeperMap()).AddModelConfiguration(new PetMap()).AddModelConfiguration(new DogMap()));

    [OneTimeTearDown]
    public async Task DisposeAsync() => await ((IAsyncDisposable)_premix).DisposeAsync();

    [Test]
    public void Two_types_with_the_same_key_value_are_found_apart()
    {
        var map = new IdentityMap();
        var customer = Entry(new Customer { Id = 1 });
        var author = Entry(new Author { Id = 1 });

        Assert.That(map.TryAdd(KeyOf(customer), customer), Is.True);
        Assert.That(map.TryAdd(KeyOf(author), author), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(map.Find(new EntityKey(typeof(Customer), 1L)), Is.SameAs(customer));
            Assert.That(map.Find(new EntityKey(typeof(Author), 1L)), Is.SameAs(author));
            Assert.That(map.Find(new EntityKey(typeof(Book), 1L)), Is.Null, "a third type with that value is not there");
            Assert.That(map.Find(new EntityKey(typeof(Customer), 2L)), Is.Null);
        }
    }

    [TestCase(0, TestName = "Removing_the_first_of_three_entries_with_one_key_value_keeps_the_other_two")]
    [TestCase(1, TestName = "Removing_the_middle_of_three_entries_with_one_key_value_keeps_the_other_two")]
    [TestCase(2, TestName = "Removing_the_last_of_three_entries_with_one_key_value_keeps_the_other_two")]
    public void Removing_one_entry_of_a_chain_keeps_the_others(int removed)
    {
        var map = new IdentityMap();
        EntityEntry[] chain = [Entry(new Customer { Id = 7 }), Entry(new Author { Id = 7 }), Entry(new Book { Id = 7 })];
        foreach (var entry in chain)
        {
            Assert.That(map.TryAdd(KeyOf(entry), entry), Is.True);
        }

        map.Remove(KeyOf(chain[removed]));

        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < chain.Length; i++)
            {
                Assert.That(map.Find(KeyOf(chain[i])), i == removed ? Is.Null : Is.SameAs(chain[i]), $"entry {i}");
            }

            Assert.That(chain[removed].SameKeyValue, Is.Null, "the removed entry keeps no link");
        }

        Assert.That(map.TryAdd(KeyOf(chain[removed]), chain[removed]), Is.True, "and it can be added again");
        Assert.That(chain.Select(e => map.Find(KeyOf(e))), Is.EqualTo(chain));
    }

    [Test]
    public void Set_replaces_the_entry_of_its_type_and_keeps_the_other_types()
    {
        var map = new IdentityMap();
        var customer = Entry(new Customer { Id = 3 });
        var author = Entry(new Author { Id = 3 });
        var book = Entry(new Book { Id = 3 });
        map.TryAdd(KeyOf(customer), customer);
        map.TryAdd(KeyOf(author), author);
        map.TryAdd(KeyOf(book), book);
        var otherAuthor = Entry(new Author { Id = 3 });

        map.Set(KeyOf(otherAuthor), otherAuthor);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(map.Find(KeyOf(customer)), Is.SameAs(customer));
            Assert.That(map.Find(KeyOf(otherAuthor)), Is.SameAs(otherAuthor));
            Assert.That(map.Find(KeyOf(book)), Is.SameAs(book));
        }
    }

    [Test]
    public void TryAdd_refuses_a_second_entry_of_one_type_and_key_but_takes_another_type()
    {
        var map = new IdentityMap();
        var customer = Entry(new Customer { Id = 5 });
        map.TryAdd(KeyOf(customer), customer);
        var duplicate = Entry(new Customer { Id = 5 });
        var author = Entry(new Author { Id = 5 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(map.TryAdd(KeyOf(duplicate), duplicate), Is.False);
            Assert.That(map.TryAdd(KeyOf(author), author), Is.True);
            Assert.That(map.Find(KeyOf(customer)), Is.SameAs(customer), "the first stays");
            Assert.That(map.Find(KeyOf(author)), Is.SameAs(author));
        }
    }

    [Test]
    public void After_Clear_entries_once_chained_are_added_again_each_alone()
    {
        var map = new IdentityMap();
        var customer = Entry(new Customer { Id = 9 });
        var author = Entry(new Author { Id = 9 });
        map.TryAdd(KeyOf(customer), customer);
        map.TryAdd(KeyOf(author), author);

        map.Clear();
        Assert.That(map.Find(KeyOf(customer)), Is.Null);
        Assert.That(map.TryAdd(KeyOf(customer), customer), Is.True); // the customer held the link to the author

        using (Assert.EnterMultipleScope())
        {
            Assert.That(map.Find(KeyOf(customer)), Is.SameAs(customer));
            Assert.That(map.Find(KeyOf(author)), Is.Null, "the cleared author does not come back through a stale link");
        }
    }

    [Test]
    public void A_derived_entity_is_found_under_its_hierarchy_root_and_apart_from_another_type()
    {
        var map = new IdentityMap();
        var dog = Entry(new Dog { Id = 4 });
        var customer = Entry(new Customer { Id = 4 });
        map.TryAdd(KeyOf(customer), customer);
        map.TryAdd(KeyOf(dog), dog);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(KeyOf(dog).Type, Is.EqualTo(typeof(Pet)));
            Assert.That(map.Find(new EntityKey(typeof(Pet), 4L)), Is.SameAs(dog));
            Assert.That(map.Find(new EntityKey(typeof(Customer), 4L)), Is.SameAs(customer));
        }
    }

    private EntityEntry Entry<T>(T entity)
        where T : class => new(entity, _premix.GetPlan<T>(), EntityState.Unchanged, null);

    private static EntityKey KeyOf(EntityEntry entry) => entry.Plan.KeyOf(entry.Entity);
}
