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
}
