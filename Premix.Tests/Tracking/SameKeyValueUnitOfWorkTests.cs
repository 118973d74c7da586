using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A unit of work tracking two types whose rows have the same key value (customer 1, author 1): the identity map keys
/// entries by value and chains such entries (<see cref="Premix.Tracking.IdentityMap"/>); each is changed, deleted and
/// found on its own.
/// </summary>
public sealed class SameKeyValueUnitOfWorkTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new AuthorMap(), new BookMap(), new CustomerMap());

    [TearDown]
    public async Task DisposePremixAsync() => await ((IAsyncDisposable)_premix).DisposeAsync();

    [Test]
    public async Task Two_types_loaded_with_the_same_key_value_are_changed_and_one_deleted_apart()
    {
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Ada', 0)");
        await ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('Ursula')");
        var customerId = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")}");
        var authorId = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("authors")}");
        Assert.That(authorId, Is.EqualTo(customerId), "arranged: one key value in both tables");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var customers = uow.Repository<Customer>();
            var authors = uow.Repository<Author>();
            var customer = await customers.GetAsync(customerId);
            var author = await authors.GetAsync(authorId);
            Assert.That(customer, Is.Not.Null);
            Assert.That(author, Is.Not.Null);
            customer.Name = "Grace";
            author.Name = "Le Guin";
            authors.Remove(author);

            await uow.CommitAsync();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(await customers.FindAsync(customerId), Is.SameAs(customer), "the customer stays tracked after its neighbour's delete");
                Assert.That(await authors.FindAsync(authorId), Is.Null);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")} WHERE {Q("Id")} = {customerId}"), Is.EqualTo("Grace"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")}"), Is.Zero);
        }
    }
}
