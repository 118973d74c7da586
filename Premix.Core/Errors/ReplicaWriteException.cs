namespace Premix;

/// <summary>
/// A statement sent to a read replica tried to write, and the replica refused it (it is read-only). Only reads go to
/// replicas, so this means a raw statement marked <see cref="RawQuery.ReadOnly"/> changes something (an INSERT, a
/// sequence's <c>nextval</c>, a lock): remove <c>ReadOnly()</c> so it runs on the primary.
/// </summary>
public sealed class ReplicaWriteException : PremixException
{
    internal ReplicaWriteException(string replica, string sql, Exception innerException)
        : base($"A statement sent to the read replica {replica} tried to write, and the replica refused it ({innerException.Message}). "
            + "Only reads go to replicas: a raw statement marked ReadOnly() must not change anything (no INSERT/UPDATE/DELETE, nextval, FOR UPDATE or advisory lock). "
            + $"Remove ReadOnly() from it so it runs on the primary.{Environment.NewLine}SQL: {sql}", innerException)
    {
        Replica = replica;
        Sql = sql;
    }

    /// <summary>The replica that refused the statement (host and port).</summary>
    public string Replica { get; }

    /// <summary>The SQL text of the statement.</summary>
    public string Sql { get; }
}
