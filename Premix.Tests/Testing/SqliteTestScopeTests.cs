using Dapper;
using Microsoft.Data.Sqlite;
using Premix.Providers.Sqlite;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>
/// SQLite allows one writer per database file, and a scope's outer transaction writes from its start (BEGIN IMMEDIATE):
/// a second scope on the same file waits until the first ends, up to the connection's busy timeout, and then fails with
/// a message. Parallel tests take an in-memory database each.
/// </summary>
[TestFixtureSource(nameof(SqliteOnly))]
public sealed class SqliteTestScopeTests(Engine engine) : PremixTest(engine)
{
    private const int Tests = 8;

    /// <summary>This fixture is about SQLite's one writer per file.</summary>
    public static IEnumerable<Engine> SqliteOnly { get; } = [Engine.Sqlite];

    [Test]
    public async Task A_second_scope_on_the_same_file_waits_until_the_first_ends()
    {
        await using var premix = await CreatePremixWithTablesAsync(new CustomerMap());
        var first = await PremixTestScope.BeginAsync(premix);
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "first" });
            await uow.CommitAsync();
        }

        var second = Task.Run(() => PremixTestScope.BeginAsync(premix));
        await Task.Delay(300);
        Assert.That(second.IsCompleted, Is.False, "the first scope holds the write lock");

        await first.DisposeAsync();
        await using var scope = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(await scope.Connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")}", transaction: scope.Transaction), Is.Zero, "the first scope's rows were rolled back");
    }

    [Test]
    public async Task A_second_scope_on_the_same_file_fails_with_a_message_after_the_busy_timeout()
    {
        var shortTimeout = new SqliteConnectionStringBuilder(ConnectionString) { DefaultTimeout = 1 }.ToString();
        await using var premix = PremixFactory.Create(p => p.UseProvider(new SqliteProvider(shortTimeout)).AddModelConfiguration(new CustomerMap()));
        await using var first = await PremixTestScope.BeginAsync(premix);

        var failure = Assert.ThrowsAsync<TestScopeException>(() => Task.Run(() => PremixTestScope.BeginAsync(premix)));

        Assert.That(failure!.Message, Does.Contain("SQLite").And.Contain("write lock").And.Contain("CreateSqliteInMemoryAsync"));
    }

    [Test]
    public async Task Eight_concurrent_committing_tests_each_on_its_own_in_memory_database_see_only_their_own_rows()
    {
        var seen = await Task.WhenAll(Enumerable.Range(0, Tests).Select(test => Task.Run(async () =>
        {
            await using var database = await PremixTestDatabase.CreateSqliteInMemoryAsync(cs => PremixFactory.Create(p => p.UseSqlite(cs).AddModelConfiguration(new CustomerMap())));
            for (var i = 0; i < 3; i++)
            {
                await using var uow = database.Premix.BeginUnitOfWork();
                uow.Repository<Customer>().Add(new Customer { Name = $"test{test}-{i}" });
                await uow.CommitAsync();
            }

            await using var connection = await database.OpenConnectionAsync();
            return (Test: test, Names: (await connection.QueryAsync<string>("SELECT Name FROM customers")).ToList());
        })));

        using (Assert.EnterMultipleScope())
        {
            foreach (var (test, names) in seen)
            {
                Assert.That(names, Is.EquivalentTo(Enumerable.Range(0, 3).Select(i => $"test{test}-{i}")));
            }
        }
    }

    [Test]
    public async Task A_scope_on_an_in_memory_database_rolls_back_commits_while_the_database_lives_on()
    {
        await using var database = await PremixTestDatabase.CreateSqliteInMemoryAsync(cs => PremixFactory.Create(p => p.UseSqlite(cs).AddModelConfiguration(new CustomerMap())));
        await using (var scope = await PremixTestScope.BeginAsync(database.Premix))
        {
            await using var uow = database.Premix.BeginUnitOfWork();
            uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
            await uow.CommitAsync();
            Assert.That(await scope.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers", transaction: scope.Transaction), Is.EqualTo(1));
        }

        await using var connection = await database.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers"), Is.Zero);
    }
}
