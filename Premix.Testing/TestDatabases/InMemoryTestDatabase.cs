using System.Data.Common;

namespace Premix.Testing;

/// <summary>
/// A SQLite database in memory with the model's tables (<see cref="PremixTestDatabase.CreateSqliteInMemoryAsync"/>),
/// alive until disposed: <c>await using var database = await PremixTestDatabase.CreateSqliteInMemoryAsync(...);</c>.
/// </summary>
public sealed class InMemoryTestDatabase : IAsyncDisposable
{
    private readonly DbConnection _keeper;

    internal InMemoryTestDatabase(IPremix premix, DbConnection keeper)
    {
        Premix = premix;
        _keeper = keeper;
    }

    /// <summary>The Premix instance on the database, built by the caller's function.</summary>
    public IPremix Premix { get; }

    /// <summary>Opens another connection to the database, for plain SQL in the test (dispose it).</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = Premix.Provider.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Disposes the Premix instance and closes the last connection, which deletes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        await Premix.DisposeAsync().ConfigureAwait(false);
        await _keeper.DisposeAsync().ConfigureAwait(false);
    }
}
