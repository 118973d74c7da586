using Premix.Tests.Infrastructure;

namespace Premix.Tests.Raw;

/// <summary>
/// Premix's Dapper type handlers (docs/types.md, "Reading other shapes") read text into Guid, DateTimeOffset, DateOnly,
/// TimeOnly, TimeSpan and decimal on every engine: text a parameter echoes, and text stored in a text column.
/// </summary>
public sealed class RawTextShapesTests(Engine engine) : PremixTest(engine)
{
    // Variables, not literals: an interpolated string of constants is itself a constant string, sent verbatim.
    private static readonly string[] Texts = ["0f8fad5b-d9cb-469f-a165-70867728950e", "2026-01-02 03:04:05 +01:00", "2026-01-02", "03:04:05", "01:02:03", "12.5", "2026-03-04"];

    [Test]
    public async Task FetchAs_reads_text_parameters_into_Guid_DateTimeOffset_DateOnly_TimeOnly_TimeSpan_and_decimal_and_their_nullables()
    {
        var premix = await CreatePremixWithTablesAsync(new CustomerMap());

        var rows = await premix.Raw(
            $"SELECT {Texts[0]} AS Id, {Texts[1]} AS Stamp, {Texts[2]} AS Day, {Texts[3]} AS At, {Texts[4]} AS Span, {Texts[5]} AS Amount, {Texts[6]} AS MaybeDay, NULL AS Missing")
            .FetchAs<Shapes>();

        AssertShapes(rows.Single());
    }

    [Test]
    public async Task FetchAs_reads_text_columns_into_Guid_DateTimeOffset_DateOnly_TimeOnly_TimeSpan_and_decimal_and_their_nullables()
    {
        var premix = await CreatePremixWithTablesAsync(new CustomerMap());
        var columns = new[] { "Id", "Stamp", "Day", "At", "Span", "Amount", "MaybeDay", "Missing" };
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("text_shapes")}");
        await ExecuteAsync($"CREATE TABLE {Q("text_shapes")} ({string.Join(", ", columns.Select(c => $"{Q(c)} VARCHAR(64) NULL"))})");
        await ExecuteAsync(
            $"INSERT INTO {Q("text_shapes")} ({string.Join(", ", columns.Select(Q))}) VALUES (@id, @stamp, @day, @at, @span, @amount, @maybeDay, NULL)",
            new { id = Texts[0], stamp = Texts[1], day = Texts[2], at = Texts[3], span = Texts[4], amount = Texts[5], maybeDay = Texts[6] });

        var rows = await premix.Raw($"SELECT * FROM {I("text_shapes")}").FetchAs<Shapes>();

        AssertShapes(rows.Single());
    }

    [Test]
    public async Task ScalarAs_and_FetchAs_of_one_column_read_text_into_DateOnly_and_TimeOnly()
    {
        var premix = await CreatePremixWithTablesAsync(new CustomerMap());

        var day = await premix.Raw($"SELECT {Texts[2]}").ScalarAs<DateOnly>();
        var at = await premix.Raw($"SELECT {Texts[3]}").ScalarAs<TimeOnly?>();
        var days = await premix.Raw($"SELECT {Texts[6]}").FetchAs<DateOnly>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(day, Is.EqualTo(new DateOnly(2026, 1, 2)));
            Assert.That(at, Is.EqualTo(new TimeOnly(3, 4, 5)));
            Assert.That(days, Is.EqualTo(new[] { new DateOnly(2026, 3, 4) }));
        }
    }

    private static void AssertShapes(Shapes row)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Id, Is.EqualTo(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")));
            Assert.That(row.Stamp, Is.EqualTo(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1))));
            Assert.That(row.Stamp.Offset, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(row.Day, Is.EqualTo(new DateOnly(2026, 1, 2)));
            Assert.That(row.At, Is.EqualTo(new TimeOnly(3, 4, 5)));
            Assert.That(row.Span, Is.EqualTo(new TimeSpan(1, 2, 3)));
            Assert.That(row.Amount, Is.EqualTo(12.5m));
            Assert.That(row.MaybeDay, Is.EqualTo(new DateOnly(2026, 3, 4)));
            Assert.That(row.Missing, Is.Null);
        }
    }

    public sealed class Shapes
    {
        public Guid Id { get; set; }

        public DateTimeOffset Stamp { get; set; }

        public DateOnly Day { get; set; }

        public TimeOnly At { get; set; }

        public TimeSpan Span { get; set; }

        public decimal Amount { get; set; }

        public DateOnly? MaybeDay { get; set; }

        public Guid? Missing { get; set; }
    }
}
