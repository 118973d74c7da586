namespace Premix.Providers;

/// <summary>What a database error means for trying again, as the provider of its engine tells it (<see cref="IDatabaseProvider.Classify(Exception)"/>).</summary>
public enum DatabaseErrorKind
{
    /// <summary>The same statement would fail again (a constraint, a syntax error, a missing table): never retried.</summary>
    Permanent,

    /// <summary>
    /// The server refused the statement or transaction for now (a deadlock, a serialization failure, a lock wait
    /// timeout, a busy database file): the server answered, so nothing of the failed transaction was kept, and trying
    /// again may succeed.
    /// </summary>
    Transient,

    /// <summary>
    /// The connection broke (the server ended the session, a network failure, no answer): the connection is discarded
    /// and another one may succeed. During a COMMIT this means its outcome is unknown.
    /// </summary>
    ConnectionLost,
}
