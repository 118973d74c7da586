using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>The recording fake with a table-per-hierarchy mapping: one table for the hierarchy, each type reading its classes' rows, as the real one does.</summary>
public sealed class FakeInheritanceTests
{
    [Test]
    public async Task A_subclass_query_and_repository_return_only_that_class_and_the_classes_below_it()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<KeeperMap>().AddModelConfiguration<PetMap>().AddModelConfiguration<DogMap>());
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Pet>().Add(new Dog { Name = "Rex", Breed = "collie" });
            uow.Repository<Pet>().Add(new Cat { Name = "Tom", Lives = 9 });
            uow.Repository<Dog>().Add(new Puppy { Name = "Bit", Breed = "pug", AgeWeeks = 8 });
            await uow.CommitAsync();
        }

        await using var reader = fake.BeginUnitOfWork();
        var pets = await reader.Repository<Pet>().Query().OrderBy(p => p.Name).ToListAsync();
        var dogs = await reader.Repository<Dog>().Query().OrderBy(d => d.Name).ToListAsync();
        var cats = await reader.Repository<Cat>().ListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pets.Select(p => $"{p.GetType().Name} {p.Name} {p.Kind}"), Is.EqualTo(new[] { "Puppy Bit puppy", "Dog Rex dog", "Cat Tom cat" }));
            Assert.That(dogs.Select(d => d.Name), Is.EqualTo(new[] { "Bit", "Rex" }));
            Assert.That(cats.Select(c => c.Name), Is.EqualTo(new[] { "Tom" }));
            Assert.That(await reader.Repository<Dog>().CountAsync(), Is.EqualTo(2));
            Assert.That(await reader.Repository<Dog>().FindAsync(pets.Single(p => p is Cat).Id), Is.Null, "a cat's key names no dog");
            Assert.That(await reader.Repository<Pet>().GetAsync(dogs[0].Id), Is.SameAs(dogs[0]), "one instance per row");
            Assert.That(fake.Rows<Pet>(), Has.Count.EqualTo(3));
        }
    }

    [Test]
    public async Task Updating_a_dog_never_loaded_with_a_cats_key_fails_as_the_real_one_does()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<KeeperMap>().AddModelConfiguration<PetMap>().AddModelConfiguration<DogMap>());
        fake.Seed<Pet>(new Cat { Id = 2, Name = "Tom", Lives = 9 });
        await using var uow = fake.BeginUnitOfWork();
        uow.Repository<Dog>().Update(new Dog { Id = 2, Name = "Impostor" });

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        Assert.That(error!.Message, Does.Contain("no Dog row of Pet's table has that key"));
        Assert.That(fake.Rows<Pet>().Single(), Is.TypeOf<Cat>().And.Property(nameof(Pet.Name)).EqualTo("Tom"));
    }
}
