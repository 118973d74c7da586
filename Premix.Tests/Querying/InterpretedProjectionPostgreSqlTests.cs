using System.Linq.Expressions;
using NpgsqlTypes;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Querying;

/// <summary>
/// The interpreted Select reader (native AOT; <see cref="InterpretedProjectionTests"/>) over PostgreSQL's range columns
/// (<see cref="BookingMap"/>), which the dialect reads as their <see cref="NpgsqlRange{T}"/> types, as the compiled reader
/// does: the driver's default type of a <c>tstzrange</c> is a range of <see cref="DateTime"/>. Rows are written with plain SQL.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class InterpretedProjectionPostgreSqlTests(Engine engine) : PremixTest(engine)
{
    private static readonly DateTime Nine = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Unspecified);
    private static readonly DateTimeOffset NineUtc = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Ranges are PostgreSQL's own.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [Test]
    public async Task Each_range_type_reads_what_the_compiled_reader_reads_PostgreSql_only()
    {
        using var premix = await CreatePremixWithTablesAsync(new BookingMap());
        await ExecuteAsync(
            $"INSERT INTO {Q(BookingMap.Table)} (\"Name\", \"Seats\", \"Tickets\", \"Price\", \"Stay\", \"Slot\", \"Window\") VALUES " +
            "('a', '[1,5)', '[10,20)', '[1.5,2.5]', '[2026-03-01,2026-03-04)', '[2026-03-01 09:00,2026-03-01 10:00)', '[2026-03-01 09:00+00,)'), " +
            "('b', 'empty', NULL, NULL, NULL, NULL, NULL)");
        Expression<Func<Booking, object>> selector = b => new { b.Name, b.Seats, b.Tickets, b.Price, b.Stay, b.Slot, b.Window };
        Expression<Func<Booking, NpgsqlRange<DateTimeOffset>?>> window = b => b.Window;

        var interpreted = await InterpretedAsync(premix, selector);
        var compiled = await CompiledAsync(premix, selector);
        var windows = await InterpretedAsync(premix, window);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(interpreted, Is.EqualTo(new object[]
            {
                new
                {
                    Name = "a",
                    Seats = new NpgsqlRange<int>(1, true, 5, false),
                    Tickets = (NpgsqlRange<long>?)new NpgsqlRange<long>(10, true, 20, false),
                    Price = (NpgsqlRange<decimal>?)new NpgsqlRange<decimal>(1.5m, true, 2.5m, true),
                    Stay = (NpgsqlRange<DateOnly>?)new NpgsqlRange<DateOnly>(new DateOnly(2026, 3, 1), true, new DateOnly(2026, 3, 4), false),
                    Slot = (NpgsqlRange<DateTime>?)new NpgsqlRange<DateTime>(Nine, true, Nine.AddHours(1), false),
                    Window = (NpgsqlRange<DateTimeOffset>?)new NpgsqlRange<DateTimeOffset>(NineUtc, true, false, default, false, true),
                },
                new
                {
                    Name = "b",
                    Seats = NpgsqlRange<int>.Empty,
                    Tickets = (NpgsqlRange<long>?)null,
                    Price = (NpgsqlRange<decimal>?)null,
                    Stay = (NpgsqlRange<DateOnly>?)null,
                    Slot = (NpgsqlRange<DateTime>?)null,
                    Window = (NpgsqlRange<DateTimeOffset>?)null,
                },
            }));
            Assert.That(interpreted, Is.EqualTo(compiled));
            Assert.That(windows, Is.EqualTo(new NpgsqlRange<DateTimeOffset>?[] { new NpgsqlRange<DateTimeOffset>(NineUtc, true, false, default, false, true), null }), "a single range column");
        }
    }

    private async Task<List<TResult>> InterpretedAsync<TResult>(IPremix premix, Expression<Func<Booking, TResult>> selector)
    {
        await using var connection = await OpenConnectionAsync();
        return await InterpretedProjectionTests.InterpretedAsync(connection, Provider.Dialect, premix.GetPlan<Booking>(), selector, "Name");
    }

    private static async Task<IReadOnlyList<TResult>> CompiledAsync<TResult>(IPremix premix, Expression<Func<Booking, TResult>> selector)
    {
        await using var uow = premix.BeginUnitOfWork();
        return await uow.Repository<Booking>().Query().OrderBy(b => b.Name).Select(selector).ToListAsync();
    }
}
