using System.Data.Common;
using MySqlConnector;

namespace Premix.Providers.MySql;

/// <summary>
/// A bulk load the server finished with warnings: <c>LOAD DATA LOCAL</c> turns what an <c>INSERT</c> refuses (a duplicate
/// key, a value too long, out of range or not a number, a null for a <c>NOT NULL</c> column) into warnings, even in strict
/// mode, and stores the row changed or skips it. Premix never keeps a changed value, so it fails the commit with the first
/// warning, read as the statement's error (a duplicate is a <see cref="UniqueConstraintException"/>).
/// </summary>
internal sealed class MySqlBulkLoadException(MySqlErrorCode warning, string message) : DbException(message)
{
    /// <summary>The first warning's number.</summary>
    public MySqlErrorCode Warning { get; } = warning;
}
