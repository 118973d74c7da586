using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>Table per hierarchy in the schema: one table for the whole hierarchy, subclass columns nullable, and nothing left to change after a sync.</summary>
public sealed class InheritanceSchemaTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Sync_creates_one_table_with_every_class_columns_nullable_for_subclasses_and_an_empty_diff_after()
    {
        var premix = await CreatePremixWithTablesAsync(new KeeperMap(), new PetMap(), new DogMap());

        // A row of the base's columns only: every subclass column (NOT NULL in its class or not) accepts NULL.
        await ExecuteAsync($"INSERT INTO {Q("pets")} ({Q("Id")}, {Q("Kind")}, {Q("Name")}) VALUES (1, 'cat', 'Tom')");
        var diff = await premix.DiffAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.IsEmpty, Is.True, diff.ToSql());
            Assert.That(premix.Model.Entities.Select(e => e.Table).Distinct(), Is.EquivalentTo(new[] { "keepers", "pets" }));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("pets")} WHERE {Q("breed")} IS NULL AND {Q("GoodBoy")} IS NULL AND {Q("AgeWeeks")} IS NULL AND {Q("Lives")} IS NULL AND {Q("Color")} IS NULL"), Is.EqualTo(1));
        }

        Assert.ThrowsAsync(Is.InstanceOf<Exception>(), () => ExecuteAsync($"INSERT INTO {Q("pets")} ({Q("Id")}, {Q("Kind")}) VALUES (2, 'dog')"), "the base's own required column stays NOT NULL");
    }
}
