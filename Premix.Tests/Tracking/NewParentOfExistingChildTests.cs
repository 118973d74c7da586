using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// An entity already in the database pointed at a parent that is new in the same commit gets the parent's generated key
/// once the parent is inserted: through its BelongsTo navigation or by being added to the new parent's collection.
/// </summary>
public sealed class NewParentOfExistingChildTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task An_existing_child_gets_the_key_of_a_parent_inserted_by_the_same_commit()
    {
        var premix = await CreatePremixWithTablesAsync(new KeeperMap(), new PetMap(), new DogMap());
        await ExecuteAsync($"INSERT INTO {Q("pets")} ({Q("Id")}, {Q("Kind")}, {Q("Name")}, {Q("Lives")}) VALUES (101, 'cat', 'Tom', 9), (102, 'cat', 'Kit', 9)");
        await using (var uow = premix.BeginUnitOfWork())
        {
            var tom = await uow.Repository<Pet>().GetAsync(101L);
            var kit = await uow.Repository<Pet>().GetAsync(102L);
            tom!.Keeper = new Keeper { Name = "Ann" };                              // through the child's navigation
            uow.Repository<Keeper>().Add(new Keeper { Name = "Bob", Pets = [kit!] }); // through the new parent's collection
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>(
            $"SELECT {Q("Name")} FROM {Q("keepers")} k WHERE k.{Q("Id")} = (SELECT {Q("KeeperId")} FROM {Q("pets")} WHERE {Q("Id")} = 101)"), Is.EqualTo("Ann"));
        Assert.That(await ScalarAsync<string>(
            $"SELECT {Q("Name")} FROM {Q("keepers")} k WHERE k.{Q("Id")} = (SELECT {Q("KeeperId")} FROM {Q("pets")} WHERE {Q("Id")} = 102)"), Is.EqualTo("Bob"));
    }
}
