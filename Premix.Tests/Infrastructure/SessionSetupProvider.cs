using System.Data;
using System.Data.Common;
using Premix.Providers;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A provider that sets up every connection it opens, as an application's connection initializer would: session
/// settings no connection string can carry (MariaDB's lock wait timeouts), or a SQLite function. Everything else is the
/// inner provider's.
/// </summary>
internal sealed class SessionSetupProvider(IDatabaseProvider inner, Action<DbConnection> setUp) : IDatabaseProvider, IAsyncDisposable
{
    /// <summary>Runs <paramref name="sessionSql"/> on every connection opened.</summary>
    public SessionSetupProvider(IDatabaseProvider inner, string sessionSql)
        : this(inner, connection => Run(connection, sessionSql))
    {
    }

    public string Name => inner.Name;

    public ISqlDialect Dialect => inner.Dialect;

    public bool CompletesSynchronously => inner.CompletesSynchronously;

    public bool KeepsCommandsParsed => inner.KeepsCommandsParsed;

    public bool PreparesRepeatedReads => inner.PreparesRepeatedReads;

    public bool RefusesPreparing(Exception error) => inner.RefusesPreparing(error);

    public bool DatabaseLivesInConnections => inner.DatabaseLivesInConnections;

    public ConnectionSettings? Connections => inner.Connections;

    public DatabaseTarget Target => inner.Target;

    public bool IsPoolExhausted(Exception error) => inner.IsPoolExhausted(error);

    public DatabaseErrorKind Classify(Exception error) => inner.Classify(error);

    public DatabaseErrorKind Classify(Exception error, DbConnection connection) => inner.Classify(error, connection);

    public CancellationTokenRegistration CancelOnToken(DbConnection connection, CancellationToken cancellationToken) =>
        inner.CancelOnToken(connection, cancellationToken);

    public DbConnection CreateConnection()
    {
        var connection = inner.CreateConnection();
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == ConnectionState.Open)
            {
                setUp(connection);
            }
        };
        return connection;
    }

    private static void Run(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
