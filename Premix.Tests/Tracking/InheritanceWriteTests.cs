using Dapper;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// Table per hierarchy, write side: Premix writes each class's discriminator and columns into the shared table, updates
/// and deletes through the base's or the subclass's repository, and keeps one instance per row. Checked with plain SQL.
/// </summary>
public sealed class InheritanceWriteTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new KeeperMap(), new PetMap(), new DogMap());

    [Test]
    public async Task Adding_subclasses_writes_each_ones_discriminator_and_own_columns()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Pet>().Add(new Dog { Name = "Rex", Breed = "collie", GoodBoy = true });
            uow.Repository<Pet>().Add(new Cat { Name = "Tom", Lives = 9 });
            uow.Repository<Dog>().Add(new Puppy { Name = "Bit", Breed = "pug", AgeWeeks = 8 });
            await uow.CommitAsync();
        }

        var rows = await RowsAsync();
        Assert.That(rows, Is.EqualTo(new[]
        {
            "Rex|dog|collie|True|||",
            "Tom|cat||||9|",
            "Bit|puppy|pug|False|8||",
        }));
    }

    [Test]
    public async Task Updates_and_deletes_work_through_the_base_and_the_subclass_repository_and_write_only_changed_columns()
    {
        await InsertPetsAsync();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            using var queries = uow.RecordQueries();
            var pets = await uow.Repository<Pet>().Query().OrderBy(p => p.Id).ToListAsync();
            ((Dog)pets[0]).Breed = "border collie";
            ((Cat)pets[1]).Lives = 8;
            var puppy = await uow.Repository<Dog>().GetAsync(3L);
            uow.Repository<Dog>().Remove(puppy);
            var cat = await uow.Repository<Cat>().GetAsync(2L);
            cat.Color = "black";
            await uow.CommitAsync();

            var updates = queries.Statements.Select(s => s.Sql).Where(s => s.StartsWith("UPDATE", StringComparison.Ordinal)).ToList();
            var assignments = updates.Select(s => s[..s.IndexOf(" WHERE ", StringComparison.Ordinal)]);
            Assert.That(assignments, Has.Some.Contain(Q("breed")).And.None.Contain(Q("Kind")), "a row never changes class, and each class compares its own columns");
            Assert.That(updates, Has.All.Contain($"{Q("Kind")} IN ('dog', 'puppy')").Or.Contain($"{Q("Kind")} = 'cat'"), "each class writes only rows of its classes");
        }

        Assert.That(await RowsAsync(), Is.EqualTo(new[]
        {
            "Rex|dog|border collie|True|||",
            "Tom|cat||||8|black",
        }));
    }

    [Test]
    public async Task The_identity_map_keeps_one_instance_per_row_across_base_and_subclass_repositories()
    {
        await InsertPetsAsync();
        await using var uow = _premix.BeginUnitOfWork();

        var throughBase = await uow.Repository<Pet>().GetAsync(1L);
        var throughSubclass = await uow.Repository<Dog>().GetAsync(1L);
        var queried = await uow.Repository<Dog>().Query().Where(d => d.Breed == "collie").SingleAsync();
        var listed = (await uow.Repository<Pet>().ListAsync()).Single(p => p.Id == 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(throughSubclass, Is.SameAs(throughBase));
            Assert.That(queried, Is.SameAs(throughBase));
            Assert.That(listed, Is.SameAs(throughBase));
        }
    }

    [Test]
    public async Task A_required_subclass_property_is_refused_when_null_though_its_column_allows_null()
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Pet>().Add(new Dog { Name = "Nobody", Breed = null! });

        var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync());

        Assert.That(error!.Failures.Select(f => $"{f.Entity}.{f.Property}"), Is.EqualTo(new[] { "Dog.Breed" }));
        Assert.That(await CountRowsAsync("pets"), Is.Zero);
    }

    [Test]
    public async Task A_keeper_added_with_pets_of_several_classes_gives_each_its_generated_key()
    {
        var keeper = new Keeper { Name = "Ada", Pets = [new Dog { Name = "Rex", Breed = "collie" }, new Cat { Name = "Tom", Lives = 9 }] };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Keeper>().Add(keeper);
            await uow.CommitAsync();
        }

        var owned = await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("pets")} WHERE {Q("KeeperId")} = {keeper.Id} AND {Q("Kind")} IN ('dog', 'cat')");
        Assert.That(owned, Is.EqualTo(2));
    }

    [Test]
    public async Task A_bulk_update_of_a_subclass_changes_only_its_rows_and_refreshes_the_tracked_ones()
    {
        await InsertPetsAsync();
        await using var uow = _premix.BeginUnitOfWork();
        var pets = await uow.Repository<Pet>().Query().OrderBy(p => p.Id).ToListAsync();

        var changed = await uow.Repository<Dog>().Query().Where(d => d.Id > 0).UpdateAllAsync(s => s.Set(d => d.Name, "Fido"));
        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.EqualTo(2), "the dog and the puppy");
            Assert.That(pets.Select(p => p.Name), Is.EqualTo(new[] { "Fido", "Tom", "Fido" }), "tracked dogs read the bulk change back");
            Assert.That(await RowsAsync(), Is.EqualTo(new[] { "Fido|dog|collie|True|||", "Tom|cat||||9|", "Fido|puppy|pug|False|8||" }));
        }
    }

    [Test]
    public async Task Updating_a_dog_never_loaded_with_a_cats_key_leaves_the_cat_row_unchanged_and_says_no_dog_row_has_it()
    {
        await InsertPetsAsync();
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Dog>().Update(new Dog { Id = 1, Name = "Rex", Breed = "husky" });
        uow.Repository<Dog>().Update(new Dog { Id = 2, Name = "Impostor", Breed = "pug" }); // two updates: PostgreSQL sends one many-row UPDATE

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.EntityType, Is.EqualTo(typeof(Dog)));
            Assert.That(error.Message, Does.Contain("of Dog with key 2 matched no row").And.Contain("no Dog row of Pet's table has that key").And.Contain("Repository<Pet>()"));
            Assert.That(await RowsAsync(), Is.EqualTo(new[] { "Rex|dog|collie|True|||", "Tom|cat||||9|", "Bit|puppy|pug|False|8||" }), "the cat row, and the dog row of the rolled-back commit, are unchanged");
        }
    }

    [Test]
    public async Task Removing_a_dog_never_loaded_with_a_cats_key_keeps_the_cat_row_and_says_no_dog_row_has_it()
    {
        await InsertPetsAsync();
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Dog>().Remove(new Dog { Id = 2 });

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("Delete of Dog with key 2 matched no row").And.Contain("no Dog row of Pet's table has that key"));
            Assert.That(await RowsAsync(), Has.Count.EqualTo(3));
        }
    }

    [Test]
    public async Task Updating_a_puppy_through_the_dog_repository_without_loading_it_writes_the_puppy_row()
    {
        await InsertPetsAsync();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Dog>().Update(new Puppy { Id = 3, Name = "Bit", Breed = "beagle", AgeWeeks = 9 });
            await uow.CommitAsync();
        }

        Assert.That(await RowsAsync(), Is.EqualTo(new[] { "Rex|dog|collie|True|||", "Tom|cat||||9|", "Bit|puppy|beagle|False|9||" }));
    }

    private async Task InsertPetsAsync() =>
        await ExecuteAsync(
            $"INSERT INTO {Q("pets")} ({Q("Id")}, {Q("Kind")}, {Q("Name")}, {Q("breed")}, {Q("GoodBoy")}, {Q("AgeWeeks")}, {Q("Lives")}, {Q("Color")}) VALUES "
            + "(1, 'dog', 'Rex', 'collie', TRUE, NULL, NULL, NULL), "
            + "(2, 'cat', 'Tom', NULL, NULL, NULL, 9, NULL), "
            + "(3, 'puppy', 'Bit', 'pug', FALSE, 8, NULL, NULL)");

    // Each row as Name|Kind|breed|GoodBoy|AgeWeeks|Lives|Color, nulls empty, in key order.
    private async Task<List<string>> RowsAsync()
    {
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync(
            $"SELECT {Q("Name")} AS n, {Q("Kind")} AS k, {Q("breed")} AS b, {Q("GoodBoy")} AS g, {Q("AgeWeeks")} AS a, {Q("Lives")} AS l, {Q("Color")} AS c FROM {Q("pets")} ORDER BY {Q("Id")}");
        return rows.Select(r => $"{r.n}|{r.k}|{r.b}|{Bool(r.g)}|{r.a}|{r.l}|{r.c}").ToList();
    }

    // SQLite and MariaDB keep booleans as integers.
    private static string Bool(object? value) => value is null ? "" : Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture).ToString();
}
