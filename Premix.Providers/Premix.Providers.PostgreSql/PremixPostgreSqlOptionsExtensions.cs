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
}
