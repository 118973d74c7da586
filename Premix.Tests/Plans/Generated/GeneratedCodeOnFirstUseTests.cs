using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// A generated entity's delegates are made on its first use, not when the model is read or Premix starts (issue 19 item 1
/// for the generated model): the start compares every entity, relation and statement through their descriptions alone, a
/// get makes the code of its entity only, and threads first using one entity at once make its code once. On every engine;
/// rows arranged and checked through plain SQL.
/// </summary>
public sealed class GeneratedCodeOnFirstUseTests(Engine engine) : PremixTest(engine)
{
    private GeneratedModel _forGet = null!;
    private GeneratedModel _forMismatch = null!;
    private GeneratedModel _forThreads = null!;

    // A model per test, compiled for this fixture alone: an entity's code is made once per process, so what one test makes
    // must not be seen by another.
    [OneTimeSetUp]
    public void Generate()
    {
        using var built = CreatePremix(p => GeneratedRelationsTests.Register(p));
        var models = GeneratedModels.CompileAll([(built, $"FirstUseGet{Engine}"), (built, $"FirstUseMismatch{Engine}"), (built, $"FirstUseThreads{Engine}")]);
        (_forGet, _forMismatch, _forThreads) = (models[0], models[1], models[2]);
    }

    [Test]
    public async Task A_start_makes_no_entity_code_and_a_get_makes_only_its_entitys_without_compiling()
    {
        var shelfId = await ArrangeShelfAsync("top");
        await using var premix = CreatePremix(p => GeneratedRelationsTests.Register(p).UseGeneratedModel(_forGet));
        Assert.That(Made(_forGet), Is.Empty, "entities whose code the start made");

        var compiles = LazyDelegates.CountInThisFlow();
        GeneratedRelationsTests.Shelf shelf;
        await using (var uow = premix.BeginUnitOfWork())
        {
            shelf = await uow.Repository<GeneratedRelationsTests.Shelf>().GetAsync(shelfId);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That((shelf.Id, shelf.Name), Is.EqualTo((shelfId, "top")));
            Assert.That(Made(_forGet), Is.EqualTo(new[] { nameof(GeneratedRelationsTests.Shelf) }), "entities whose code the get made");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public void A_start_that_finds_a_difference_fails_without_making_any_entity_code()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => GeneratedRelationsTests.Register(p, shelf: new GeneratedRelationsTests.ShelfMap { BooksAsVolumes = true }).UseGeneratedModel(_forMismatch)).Dispose());

        Assert.That(error.Differences, Has.Some.StartsWith("Shelf declares the relation HasMany Volumes to Book by ShelfId"));
        Assert.That(Made(_forMismatch), Is.Empty);
    }

    // The counting wrapper is a model of the same descriptions whose Shelf code is made by a factory that counts its calls and
    // lingers, so the threads' first uses overlap; the code itself is the compiled model's. The threads race on the entity's
    // code itself, released together by a barrier: through a get, the plan's row-reader stand-in would let one thread in and
    // make the others wait, and the test would pass whatever the entity's own guard did.
    [Test]
    public async Task Threads_first_using_one_entity_at_once_make_its_code_once()
    {
        var shelfId = await ArrangeShelfAsync("shared");
        const int Threads = 8;
        var made = 0;
        var counted = new GeneratedModel(_forThreads.Provider, _forThreads.Format, [.. _forThreads.Entities.Select(e => Wrapped(e, () =>
        {
            if (e.EntityType == typeof(GeneratedRelationsTests.Shelf))
            {
                Interlocked.Increment(ref made);
                Thread.SpinWait(1_000_000); // widens the window in which another thread could make it too
            }
        }))]);
        var shelfEntity = counted.Entities.Single(e => e.EntityType == typeof(GeneratedRelationsTests.Shelf));
        await using var premix = CreatePremix(p => GeneratedRelationsTests.Register(p).UseGeneratedModel(counted));

        using var barrier = new Barrier(Threads);
        var codes = new GeneratedEntityCode[Threads];
        var racers = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            barrier.SignalAndWait();
            codes[i] = shelfEntity.Code;
        })).ToArray();
        foreach (var racer in racers)
        {
            racer.Start();
        }

        foreach (var racer in racers)
        {
            racer.Join();
        }

        var compiles = LazyDelegates.CountInThisFlow();
        string name;
        await using (var uow = premix.BeginUnitOfWork())
        {
            name = (await uow.Repository<GeneratedRelationsTests.Shelf>().GetAsync(shelfId)).Name;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(made, Is.EqualTo(1), "calls of the Shelf code's factory");
            Assert.That(codes.Distinct().Count(), Is.EqualTo(1), "code instances the threads were given");
            Assert.That(name, Is.EqualTo("shared"));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    private static GeneratedEntity Wrapped(GeneratedEntity entity, Action beforeMaking) =>
        new(entity.EntityType, () =>
        {
            beforeMaking();
            return entity.Code;
        })
        {
            Table = entity.Table,
            Properties = entity.Properties,
            Relations = entity.Relations,
            Statements = entity.Statements,
        };

    private static string[] Made(GeneratedModel model) => [.. model.Entities.Where(e => e.IsCodeMade).Select(e => e.EntityType.Name)];

    // The tables are made by a Premix without the generated model, and the shelf written with plain SQL.
    private async Task<long> ArrangeShelfAsync(string name)
    {
        var tables = await CreatePremixWithTablesAsync(GeneratedRelationsTests.Maps());
        await tables.DisposeAsync();

        await ExecuteAsync($"INSERT INTO {Q("gen_shelves")} ({Q("Name")}) VALUES (@name)", new { name });
        return await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("gen_shelves")} WHERE {Q("Name")} = @name", new { name });
    }
}
