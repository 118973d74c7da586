using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// Table per hierarchy, read side: rows of mixed classes inserted by plain SQL come back through Premix as the class
/// their discriminator names, and a subclass's queries see only its rows.
/// </summary>
public sealed class InheritanceReadTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new KeeperMap(), new PetMap(), new DogMap());
        await ExecuteAsync($"INSERT INTO {Q("keepers")} ({Q("Id")}, {Q("Name")}) VALUES (1, 'Ada')");
        await ExecuteAsync(
            $"INSERT INTO {Q("pets")} ({Q("Id")}, {Q("Kind")}, {Q("Name")}, {Q("KeeperId")}, {Q("breed")}, {Q("GoodBoy")}, {Q("AgeWeeks")}, {Q("Lives")}, {Q("Color")}) VALUES "
            + "(1, 'dog', 'Rex', 1, 'collie', TRUE, NULL, NULL, NULL), "
            + "(2, 'cat', 'Tom', 1, NULL, NULL, NULL, 9, 'grey'), "
            + "(3, 'puppy', 'Bit', NULL, 'pug', FALSE, 8, NULL, NULL)");
    }

    [Test]
    public async Task A_query_on_the_base_type_builds_each_row_as_the_class_its_discriminator_names()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var pets = await uow.Repository<Pet>().Query().OrderBy(p => p.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pets.Select(p => p.GetType()), Is.EqualTo(new[] { typeof(Dog), typeof(Cat), typeof(Puppy) }));
            Assert.That(pets.Select(p => p.Kind), Is.EqualTo(new[] { "dog", "cat", "puppy" }));
            Assert.That(((Dog)pets[0]).Breed, Is.EqualTo("collie"));
            Assert.That(((Dog)pets[0]).GoodBoy, Is.True);
            Assert.That(((Cat)pets[1]).Lives, Is.EqualTo(9));
            Assert.That(((Cat)pets[1]).Color, Is.EqualTo("grey"));
            Assert.That(((Puppy)pets[2]).AgeWeeks, Is.EqualTo(8));
            Assert.That(((Puppy)pets[2]).Breed, Is.EqualTo("pug"));
        }
    }

    [Test]
    public async Task Get_by_key_on_the_base_repository_returns_the_subclass_and_list_returns_every_class()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var cat = await uow.Repository<Pet>().GetAsync(2L);
        var all = await uow.Repository<Pet>().ListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cat, Is.TypeOf<Cat>().And.Property(nameof(Cat.Lives)).EqualTo(9));
            Assert.That(all.Select(p => p.GetType().Name), Is.EquivalentTo(new[] { "Dog", "Cat", "Puppy" }));
            Assert.That(await uow.Repository<Pet>().CountAsync(), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task A_query_of_a_subclass_filters_by_its_discriminator_values_and_those_of_its_subclasses()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var dogs = uow.Repository<Dog>().Query();

        var rows = await dogs.OrderBy(d => d.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(d => d.Name), Is.EqualTo(new[] { "Rex", "Bit" }));
            Assert.That(rows[1], Is.TypeOf<Puppy>());
            Assert.That(await dogs.CountAsync(), Is.EqualTo(2));
            Assert.That(await uow.Repository<Cat>().CountAsync(), Is.EqualTo(1));
            Assert.That((await uow.Repository<Puppy>().ListAsync()).Select(p => p.Name), Is.EqualTo(new[] { "Bit" }));
            Assert.That(dogs.ToSql(), Does.Contain($"{Q("Kind")} IN ('dog', 'puppy')"), "the filter's values are the mapping's literals, its column quoted");
        }
    }

    [Test]
    public async Task Where_on_a_subclass_member_is_translated_to_sql()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var pugs = await uow.Repository<Dog>().Query().Where(d => d.Breed == "pug" && d.GoodBoy == false).ToListAsync();
        var grey = await uow.Repository<Cat>().Query().Where(c => c.Color!.StartsWith("gr") && c.Lives > 3).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pugs.Select(d => d.Id), Is.EqualTo(new[] { 3L }));
            Assert.That(grey.Select(c => c.Id), Is.EqualTo(new[] { 2L }));
        }
    }

    [Test]
    public async Task Get_by_key_through_a_subclass_repository_for_a_row_of_another_class_finds_nothing()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var fromDatabase = await uow.Repository<Dog>().FindAsync(2L);
        _ = await uow.Repository<Pet>().GetAsync(2L); // the cat is now in the identity map
        var fromIdentityMap = await uow.Repository<Dog>().FindAsync(2L);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromDatabase, Is.Null);
            Assert.That(fromIdentityMap, Is.Null);
            Assert.That(await uow.Repository<Puppy>().FindAsync(1L), Is.Null, "a dog is not a puppy");
        }
    }

    [Test]
    public async Task A_row_with_an_unknown_discriminator_value_fails_naming_table_column_and_value()
    {
        await ExecuteAsync($"INSERT INTO {Q("pets")} ({Q("Id")}, {Q("Kind")}, {Q("Name")}) VALUES (4, 'parrot', 'Polly')");
        await using var uow = _premix.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<PremixException>(() => uow.Repository<Pet>().Query().ToListAsync());

        Assert.That(error!.Message, Does.Contain("table 'pets'").And.Contain("'parrot'").And.Contain("column 'Kind'").And.Contain("HasValue<TClass>"));
    }

    [Test]
    public async Task Including_a_relation_to_the_base_type_loads_each_child_as_its_own_class()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var other = _premix.BeginUnitOfWork();

        var keeper = await uow.Repository<Keeper>().Query().Include(k => k.Pets).SingleAsync();
        var dogs = await other.Repository<Dog>().Query().Include(d => d.Keeper).OrderBy(d => d.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keeper.Pets.OrderBy(p => p.Id).Select(p => p.GetType()), Is.EqualTo(new[] { typeof(Dog), typeof(Cat) }));
            Assert.That(keeper.Pets.All(p => p.Keeper == keeper), Is.True, "each pet points back at its keeper");
            Assert.That(dogs[0].Keeper?.Name, Is.EqualTo("Ada"), "a subclass includes its base's relations");
            Assert.That(dogs[1].Keeper, Is.Null);
        }
    }
}
