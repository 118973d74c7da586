using Npgsql;
using Premix.Providers.PostgreSql;

namespace Premix;

/// <summary>Chooses PostgreSql as the database of Premix.</summary>
public static class PremixPostgreSqlOptionsExtensions
{
    /// <summary>Uses PostgreSql with <paramref name="connectionString"/>.</summary>
    public static PremixOptionsBuilder UsePostgreSql(this PremixOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseProvider(settings => new PostgreSqlProvider(connectionString, settings));
    }

    /// <summary>
    /// Uses PostgreSql through <paramref name="dataSource"/>, built elsewhere (for example registered with
    /// <c>AddNpgsqlDataSource</c> and taken from the services in <c>AddPremix((sp, p) =&gt; ...)</c>). Its pool and
    /// settings stay as they are, and its owner disposes it: Premix never does.
    /// </summary>
    public static PremixOptionsBuilder UsePostgreSql(this PremixOptionsBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UseProvider(_ => new PostgreSqlProvider(dataSource));
    }
}
