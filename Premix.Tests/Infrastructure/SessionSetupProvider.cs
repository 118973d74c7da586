using System.Data;
using System.Data.Common;
using Premix.Providers;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A provider that runs <c>sessionSql</c> on every connection it opens, as an application's connection initializer
/// would: for session settings no connection string can carry (MariaDB's lock wait timeouts). Everything else is the
/// inner provider's.
/// </summary>
internal sealed class SessionSetupProvider(IDatabaseProvider inner, string sessionSql) : IDatabaseProvider, IAsyncDisposable
{
    public string Name => inner.Name;

    public ISqlDialect Dialect => inner.Dialect;

    public bool CompletesSynchronously => inner.CompletesSynchronously;

    public ConnectionSettings? Connections => inner.Connections;

    public DatabaseTarget Target => inner.Target;

    public bool IsPoolExhausted(Exception error) => inner.IsPoolExhausted(error);

    public DatabaseErrorKind Classify(Exception error) => inner.Classify(error);

    public CancellationTokenRegistration CancelOnToken(DbConnection connection, CancellationToken cancellationToken) =>
        inner.CancelOnToken(connection, cancellationToken);

    public DbConnection CreateConnection()
    {
        var connection = inner.CreateConnection();
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == ConnectionState.Open)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sessionSql;
                command.ExecuteNonQuery();
            }
        };
        return connection;
    }

    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
