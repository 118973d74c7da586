using System.Reflection;
using Premix.Migrations;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>A second, empty database beside the fixture's, with a provider on it; disposing it drops the database.</summary>
internal sealed class EmptyDatabase : IAsyncDisposable
{
    private readonly IsolatedDatabase _database;

    private EmptyDatabase(IsolatedDatabase database)
    {
        _database = database;
        Provider = database.Engine switch
        {
            Engine.Sqlite => new SqliteProvider(database.ConnectionString),
            Engine.PostgreSql => new PostgreSqlProvider(database.ConnectionString),
            _ => new MySqlProvider(database.ConnectionString),
        };
    }

    /// <summary>The provider on the empty database.</summary>
    public IDatabaseProvider Provider { get; }

    public static async Task<EmptyDatabase> CreateAsync(Engine engine) => new(await IsolatedDatabase.CreateAsync(engine));

    /// <summary>
    /// Syncs the model of <paramref name="assembly"/> into the empty database and asserts the round trip: the sync
    /// created tables, a diff finds nothing left to change, and introspection reads back exactly the mapped tables.
    /// </summary>
    public async Task AssertSyncLeavesNoDifferenceAsync(Assembly assembly)
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(assembly));

        var applied = await premix.SyncAsync();
        var diff = await premix.DiffAsync();

        Assert.That(applied.IsEmpty, Is.False, "the sync created the tables");
        Assert.That(diff.IsEmpty, Is.True, $"nothing left to change, but:\n{diff}");
        using var execution = SchemaExecution.Begin(Provider);
        await using var connection = Provider.CreateConnection();
        await connection.OpenAsync();
        var tables = (await Provider.SchemaSupport()!.Schema.ReadAsync(connection, [], CancellationToken.None)).Tables.Select(t => t.Name);
        Assert.That(tables, Is.EquivalentTo(premix.Model.Entities.Select(e => e.Table)), "read back through introspection");
    }

    public async ValueTask DisposeAsync()
    {
        await using (var connectionOfItsPool = Provider.CreateConnection())
        {
            await _database.DropAsync(connectionOfItsPool);
        }

        if (Provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
