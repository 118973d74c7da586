using MySqlConnector;
using Premix.Providers.MySql;

namespace Premix;

/// <summary>Prepares a <see cref="MySqlDataSource"/> built outside Premix for <c>UseMySql(dataSource)</c>.</summary>
public static class PremixMySqlDataSourceBuilderExtensions
{
    /// <summary>
    /// Keeps every session of the data source in the <c>sql_mode</c> Premix needs, as it does for the data sources it
    /// builds itself: strict (a value too long for its column is an error, not stored cut), and reading backslashes the
    /// way the connection string's <c>No Backslash Escapes</c> says. It sets the builder's connection-opened callback.
    /// </summary>
    public static MySqlDataSourceBuilder UsePremixSessionMode(this MySqlDataSourceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseConnectionOpenedCallback(new MySqlSessionMode(builder.ConnectionStringBuilder.NoBackslashEscapes).OnOpenedAsync);
    }
}
