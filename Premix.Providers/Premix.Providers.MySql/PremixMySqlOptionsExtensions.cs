using MySqlConnector;
using Premix.Providers.MySql;

namespace Premix;

/// <summary>Chooses MySql as the database of Premix.</summary>
public static class PremixMySqlOptionsExtensions
{
    /// <summary>Uses MySql with <paramref name="connectionString"/>.</summary>
    public static PremixOptionsBuilder UseMySql(this PremixOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseProvider(settings => new MySqlProvider(connectionString, settings));
    }

    /// <summary>
    /// Uses MySql through <paramref name="dataSource"/>, built elsewhere. Its pool and settings stay as they are, and its
    /// owner disposes it: Premix never does. Build it with <see cref="PremixMySqlDataSourceBuilderExtensions.UsePremixSessionMode"/>
    /// so that its sessions are as strict as Premix makes its own.
    /// </summary>
    /// <exception cref="ArgumentException">Its connection string sets <c>Use Affected Rows=true</c>.</exception>
    public static PremixOptionsBuilder UseMySql(this PremixOptionsBuilder builder, MySqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UseProvider(_ => new MySqlProvider(dataSource));
    }
}
