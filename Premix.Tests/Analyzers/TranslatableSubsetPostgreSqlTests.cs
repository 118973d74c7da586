using System.Linq.Expressions;
using Premix.Analyzers.Querying;
using Premix.Migrations;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Analyzers;

/// <summary>The PostgreSQL-only entry of <see cref="TranslatableSubset"/>: a range column's Contains is translated (<c>@&gt;</c>) and finds its rows.</summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class TranslatableSubsetPostgreSqlTests(Engine engine) : PremixTest(engine)
{
    public const string Entry = "NpgsqlRange.Contains";

    private static readonly int Seat = 4;

    /// <summary>Ranges are PostgreSQL's own.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [Test]
    public async Task A_range_columns_Contains_is_translated_and_finds_its_rows_PostgreSql_only()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(BookingMap.Table)}");
        using var premix = CreatePremix(p => p.AddModelConfiguration(new BookingMap()));
        await premix.SyncAsync();
        await ExecuteAsync($"INSERT INTO {Q(BookingMap.Table)} (\"Name\", \"Seats\") VALUES ('front', '[1,5)'::int4range), ('back', '[5,9)'::int4range)");
        Expression<Func<Booking, bool>> where = b => b.Seats.Contains(Seat);
        TranslatableSubsetTests.AssertCalls(where, TranslatableSubset.WhereMethods.Single(m => m.Name == Entry));

        await using var uow = premix.BeginUnitOfWork();
        var rows = await uow.Repository<Booking>().Query().Where(where).ToListAsync();

        Assert.That(rows.Select(r => r.Name), Is.EqualTo(new[] { "front" }));
    }
}
