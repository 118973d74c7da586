using System.Data.Common;

namespace Premix.Providers;

/// <summary>
/// A dialect whose upsert statement depends on the server it runs on, which is known only once a connection is open
/// (MySQL 8.0.20 and later deprecate <c>VALUES(c)</c> for a row alias, which MariaDB rejects). Premix builds each form of a
/// statement once, on first use, and sends the form the commit's connection takes.
/// </summary>
public interface IUpsertFormsDialect
{
    /// <summary>
    /// The form the server behind <paramref name="connection"/> (open) takes: 0 for the statement <see cref="ISqlDialect.Upsert"/>
    /// renders, 1 for the other. Asked once per commit that upserts, so it must be cheap (read from what the connection already knows).
    /// </summary>
    int UpsertForm(DbConnection connection);

    /// <summary>Renders <paramref name="shape"/> in <paramref name="form"/> (0 or 1, as <see cref="UpsertForm"/> answers).</summary>
    string Upsert(UpsertShape shape, int form);
}
