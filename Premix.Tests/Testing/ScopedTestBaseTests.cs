using Dapper;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Testing;
using Premix.Testing.NUnit;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>
/// The NUnit base class PremixScopedTest, used as a user's fixture uses it: every test commits a row in its own scope, and
/// each finds only its own, so the scope of the test before was rolled back. Runs on every engine.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ProviderTest.Engines))]
public sealed class ScopedTestBaseTests(Engine engine) : PremixScopedTest
{
    private IsolatedDatabase _database = null!;
    private IPremix _premix = null!;

    protected override IPremix Premix => _premix;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await IsolatedDatabase.CreateAsync(engine);
        var connectionString = _database.ConnectionString;
        _premix = PremixFactory.Create(p =>
        {
            _ = engine switch
            {
                Engine.Sqlite => p.UseSqlite(connectionString),
                Engine.PostgreSql => p.UsePostgreSql(connectionString),
                _ => p.UseMySql(connectionString),
            };
            p.AddModelConfiguration(new CustomerMap());
        });
        await PremixTestDatabase.EnsureSchemaAsync(_premix);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await using (var connection = _premix.Provider.CreateConnection())
        {
            Assert.That(await CountAsync(connection, null), Is.Zero, "every test's scope was rolled back");
            await _database.DropAsync(connection);
        }

        await _premix.DisposeAsync();
    }

    [TestCase("Ada")]
    [TestCase("Grace")]
    [TestCase("Barbara")]
    public async Task Each_test_sees_only_the_row_its_own_commit_wrote(string name)
    {
        await using (var uow = Premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = name });
            await uow.CommitAsync();
        }

        var names = await Scope.Connection.QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")}", transaction: Scope.Transaction);
        Assert.That(names, Is.EqualTo(new[] { name }));
    }

    private async Task<long> CountAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")}", transaction: transaction);
    }

    private string Q(string identifier) => _premix.Provider.Dialect.QuoteIdentifier(identifier);
}
