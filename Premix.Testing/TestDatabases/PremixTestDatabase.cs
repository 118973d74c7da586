using System.Collections.Concurrent;
using Premix.Migrations;

namespace Premix.Testing;

/// <summary>
/// The schema of a test database, created once per test run however many tests ask for it, and fresh SQLite in-memory
/// databases for suites that want one database per test.
/// </summary>
public static class PremixTestDatabase
{
    // One creation per database and model per process: tests in parallel wait for the same one.
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Created = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the tables of <paramref name="premix"/>'s model on its database with the schema sync (safe changes only),
    /// once per process: later calls, and calls from tests running in parallel, wait for that one and do nothing more.
    /// </summary>
    /// <param name="premix">The Premix instance of the test database.</param>
    /// <param name="cancellationToken">Cancels waiting; the creation itself, shared by every caller, runs to its end.</param>
    /// <exception cref="DestructiveSchemaChangeException">The database has a schema that only a change losing data would make match (a test database of another model?).</exception>
    public static Task EnsureSchemaAsync(IPremix premix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(premix);
        return OnceAsync(premix, "sync", () => premix.SyncAsync(), cancellationToken);
    }

    /// <summary>
    /// Brings the test database up to date with the versioned migrations of <paramref name="migrations"/>, once per process
    /// (and, through the migrations' own lock, once across processes).
    /// </summary>
    /// <param name="premix">The Premix instance of the test database.</param>
    /// <param name="migrations">The migrations the application ships (a folder, or files embedded in an assembly).</param>
    /// <param name="cancellationToken">Cancels waiting; the migration, shared by every caller, runs to its end.</param>
    /// <exception cref="MigrationException">A migration failed.</exception>
    public static Task EnsureSchemaAsync(IPremix premix, MigrationSource migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(premix);
        ArgumentNullException.ThrowIfNull(migrations);
        return OnceAsync(premix, "migrations " + migrations, () => premix.MigrateAsync(migrations), cancellationToken);
    }

    /// <summary>
    /// A new SQLite database in memory with the tables of the model, alive until the returned object is disposed: one
    /// per test, nothing shared, nothing to clean up.
    /// </summary>
    /// <param name="createPremix">
    /// Builds Premix on the connection string given (a named in-memory database, shared cache), for example
    /// <c>cs =&gt; PremixFactory.Create(p =&gt; p.UseSqlite(cs).AddModelConfigurationsFrom(typeof(CustomerMap).Assembly))</c>.
    /// </param>
    /// <param name="cancellationToken">Cancels creating it.</param>
    /// <exception cref="ArgumentException">The Premix instance built is not on an in-memory database.</exception>
    public static async Task<InMemoryTestDatabase> CreateSqliteInMemoryAsync(Func<string, IPremix> createPremix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createPremix);
        var name = "premix-test-" + Guid.NewGuid().ToString("N");
        var premix = createPremix($"Data Source={name};Mode=Memory;Cache=Shared");
        try
        {
            if (!premix.Provider.DatabaseLivesInConnections)
            {
                throw new ArgumentException(
                    $"CreateSqliteInMemoryAsync gives createPremix the connection string of an in-memory SQLite database; the {premix.Provider.Name} database it built does not live in memory. Pass the string to UseSqlite unchanged.",
                    nameof(createPremix));
            }

            // The database lives as long as one connection to it is open: this one, until the test ends.
            var keeper = premix.Provider.CreateConnection();
            var database = new InMemoryTestDatabase(premix, keeper);
            try
            {
                await keeper.OpenAsync(cancellationToken).ConfigureAwait(false);
                await premix.SyncAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return database;
            }
            catch
            {
                await database.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (ArgumentException)
        {
            await premix.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Task OnceAsync(IPremix premix, string how, Func<Task> create, CancellationToken cancellationToken)
    {
        if (premix.Provider.DatabaseLivesInConnections)
        {
            return create(); // a database in memory is new each time: nothing to remember
        }

        // The database (engine, server, name) and the model (every plan's SQL) it is created for.
        var key = string.Join('\n', premix.Provider.Name, premix.Provider.Target.ToString(), how, premix.DescribePlans());
        var once = Created.GetOrAdd(key, _ => new Lazy<Task>(create));
        return WaitAsync(key, once, cancellationToken);
    }

    private static async Task WaitAsync(string key, Lazy<Task> once, CancellationToken cancellationToken)
    {
        try
        {
            await once.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (once.Value.IsFaulted || once.Value.IsCanceled)
        {
            Created.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, once)); // failed: the next test tries again
            throw;
        }
    }
}
