using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// A key the application numbered so far, which the mapping now wants generated: the sync makes the database number it
/// (a PostgreSQL identity, a MySQL auto-increment, SQLite's rowid by a rebuild), starting after the highest key the table
/// holds, so the next insert does not collide with the rows.
/// </summary>
public sealed class GeneratedKeyTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_key_made_generated_on_a_table_with_rows_continues_after_the_highest_one()
    {
        // INT, not INTEGER: on SQLite only an INTEGER key is the rowid that numbers itself.
        await ExecuteAsync($"CREATE TABLE {Q("numbered_by_hand")} ({Q("id")} INT NOT NULL PRIMARY KEY, {Q("name")} VARCHAR(50) NOT NULL)");
        await ExecuteAsync($"INSERT INTO {Q("numbered_by_hand")} ({Q("id")}, {Q("name")}) VALUES (1, 'first'), (2, 'second'), (10, 'tenth')");
        var premix = CreatePremix(p => p.AddModelConfiguration(new NumberedRowMap("numbered_by_hand")));

        var synced = await premix.SyncAsync();
        var row = new NumberedRow { Name = "next" };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<NumberedRow>().Add(row);
            await uow.CommitAsync();
        }

        Assert.That(synced.Operations, Is.Not.Empty, "the key is made generated");
        Assert.That(synced.Destructive, Is.Empty);
        Assert.That(row.Id, Is.EqualTo(11));
        Assert.That(await ScalarAsync<string>($"SELECT {Q("name")} FROM {Q("numbered_by_hand")} WHERE {Q("id")} = 11"), Is.EqualTo("next"));
        Assert.That(await CountRowsAsync("numbered_by_hand"), Is.EqualTo(4));
        Assert.That((await premix.DiffAsync()).IsEmpty, Is.True);
    }
}
