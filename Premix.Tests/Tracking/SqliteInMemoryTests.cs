using Dapper;
using Microsoft.Data.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// An in-memory SQLite database lives only while a connection to it is open, and Microsoft.Data.Sqlite pools no such
/// connection: a unit of work on one keeps its connection for its whole lifetime, so what it wrote is still there for
/// its next operation. SQLite only: the servers' databases do not live in a connection.
/// </summary>
public sealed class SqliteInMemoryTests
{
    [Test]
    public async Task A_unit_of_work_on_a_private_in_memory_database_keeps_it_from_one_commit_to_the_next_read()
    {
        await using var premix = PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:").AddModelConfiguration<CustomerMap>());
        await using var uow = premix.BeginUnitOfWork();
        await uow.Raw("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, visits INTEGER NOT NULL)").ExecuteAsync();
        await uow.CommitAsync();

        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
        await uow.CommitAsync();

        var rows = await uow.Raw("SELECT name FROM customers").ReadOnly().FetchAs<string>();
        Assert.That(rows, Is.EqualTo(new[] { "Ada" }));
    }

    [Test]
    public async Task A_shared_in_memory_database_stays_while_a_unit_of_work_on_it_reads_commits_and_reads_again()
    {
        var connectionString = $"Data Source=premix-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        await using var premix = PremixFactory.Create(p => p.UseSqlite(connectionString).AddModelConfiguration<CustomerMap>());
        await using var uow = premix.BeginUnitOfWork();
        await uow.Raw("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, visits INTEGER NOT NULL)").ExecuteAsync();
        await uow.CommitAsync();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
        await uow.CommitAsync();

        // Observed from outside Premix: a connection of its own, on the same shared database, sees the row.
        using var outside = new SqliteConnection(connectionString);
        outside.Open();
        Assert.That(outside.ExecuteScalar<string>("SELECT name FROM customers"), Is.EqualTo("Ada"));
    }
}
