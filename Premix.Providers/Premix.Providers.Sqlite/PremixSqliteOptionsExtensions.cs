using Premix.Providers.Sqlite;

namespace Premix;

/// <summary>Chooses Sqlite as the database of Premix.</summary>
public static class PremixSqliteOptionsExtensions
{
    /// <summary>Uses Sqlite with <paramref name="connectionString"/>.</summary>
    public static PremixOptionsBuilder UseSqlite(this PremixOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseProvider(settings => new SqliteProvider(connectionString, settings));
    }
}
