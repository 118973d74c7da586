using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>
/// Foreign keys are enforced on Premix's connections on every engine. SQLite enforces them only when its library is
/// compiled to or a connection is told to: Premix tells its connections only when the library does not, since telling
/// costs a PRAGMA on every open.
/// </summary>
public sealed class ForeignKeyEnforcementTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_row_pointing_at_no_parent_is_refused_even_when_the_SQLite_connection_string_says_Foreign_Keys_False()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("fk_children")}");
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("fk_parents")}");
        await ExecuteAsync($"CREATE TABLE {Q("fk_parents")} ({Q("id")} INT PRIMARY KEY)");
        await ExecuteAsync($"CREATE TABLE {Q("fk_children")} ({Q("id")} INT PRIMARY KEY, {Q("parent_id")} INT NOT NULL REFERENCES {Q("fk_parents")} ({Q("id")}))");
        await using var premix = PremixFactory.Create(p => (Engine switch
        {
            Engine.Sqlite => p.UseSqlite(ConnectionString + ";Foreign Keys=False"),
            Engine.PostgreSql => p.UsePostgreSql(ConnectionString),
            _ => p.UseMySql(ConnectionString),
        }).AllowEmptyModel());

        await using (var uow = premix.BeginUnitOfWork())
        {
            Assert.ThrowsAsync<ForeignKeyViolationException>(() => uow.Raw($"INSERT INTO {I("fk_children")} ({I("id")}, {I("parent_id")}) VALUES (1, {99})").ExecuteAsync());
        }

        Assert.That(await CountRowsAsync("fk_children"), Is.Zero, "nothing was written");
    }
}
