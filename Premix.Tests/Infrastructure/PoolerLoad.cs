using Npgsql;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Clients that run short transactions on a fixture's database through PgBouncer while its tests run, so the pooler's
/// server connections for that database keep changing hands: a test that only passes when its statements happen to
/// land on one server connection cannot pass. PgBouncer pools per database and user, so load on another database
/// would leave the fixture's pool untouched; it has to be this one.
/// </summary>
internal sealed class PoolerLoad
{
    // With the tests' own client this keeps several server connections busy; PgBouncer's server_round_robin then hands
    // each transaction the least recently used idle one (build/test-databases.sh).
    private const int Clients = 4;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;

    private PoolerLoad(string connectionString)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        _clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => RunAsync(unpooled, _stop.Token))).ToArray();
    }

    /// <summary>Starts the clients on the database of <paramref name="connectionString"/> (a connection string through PgBouncer).</summary>
    public static PoolerLoad Start(string connectionString) => new(connectionString);

    /// <summary>Stops the clients after their current transaction; a client that failed fails this.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_clients);
        }
        finally
        {
            _stop.Dispose();
        }
    }

    private static async Task RunAsync(string connectionString, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        // The token only ends the loop: cancelling a statement in flight would test the cancel path, not the tests.
        while (!stop.IsCancellationRequested)
        {
            await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
            {
                await using var command = new NpgsqlCommand("SELECT pg_sleep(0.005)", connection, transaction);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }
}
