using System.Data.Common;

namespace Premix;

/// <summary>
/// Stands in for a driver's exception whose message held a sensitive value (MariaDB's <c>Duplicate entry '...'</c>, a
/// PostgreSQL detail): the same error, with its SQLSTATE, error code and transient flag, and the message with the value
/// masked as <c>***</c>. Premix keeps no reference to the original, so the value cannot leak through it; the original's
/// type is named in <see cref="DriverExceptionType"/>.
/// </summary>
public sealed class RedactedDatabaseException : DbException
{
    internal RedactedDatabaseException(string redactedMessage, Exception original)
        : base(redactedMessage, (original as DbException)?.ErrorCode ?? original.HResult)
    {
        SqlState = (original as DbException)?.SqlState;
        IsTransient = (original as DbException)?.IsTransient ?? false;
        DriverExceptionType = original.GetType().FullName ?? original.GetType().Name;
    }

    /// <inheritdoc />
    public override string? SqlState { get; }

    /// <inheritdoc />
    public override bool IsTransient { get; }

    /// <summary>The full name of the driver's exception type (for example <c>MySqlConnector.MySqlException</c>).</summary>
    public string DriverExceptionType { get; }
}
