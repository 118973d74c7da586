using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Chinook;

/// <summary>The Chinook maps, named for the engine's script.</summary>
/// <remarks>
/// One set of maps serves every engine because the maps name no table or column: the names come from the naming
/// convention, and Chinook's scripts happen to follow one per engine. SQLite and MySQL use the C# names as written
/// (<c>InvoiceLine.UnitPrice</c>), PostgreSQL uses snake_case (<c>invoice_line.unit_price</c>).
/// </remarks>
internal static class ChinookModel
{
    /// <summary>Adds the Chinook maps and the naming convention of <paramref name="engine"/>'s script.</summary>
    public static void Configure(PremixOptionsBuilder premix, Engine engine)
    {
        premix.UseNamingConvention(engine == Engine.PostgreSql ? NamingConvention.SnakeCase : NamingConvention.AsWritten);
        premix.AddModelConfiguration(new ArtistMap());
        premix.AddModelConfiguration(new AlbumMap());
        premix.AddModelConfiguration(new GenreMap());
        premix.AddModelConfiguration(new TrackMap());
        premix.AddModelConfiguration(new CustomerMap());
        premix.AddModelConfiguration(new InvoiceMap());
    }
}
