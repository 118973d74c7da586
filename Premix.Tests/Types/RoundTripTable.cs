using System.Text;
using static Premix.Tests.Types.RoundTripOutcome;

namespace Premix.Tests.Types;

/// <summary>
/// The round-trip table of docs/types.md, as data: <c>TypeRoundTripTests</c> proves every row on every engine, and
/// <c>RoundTripTableTests</c> checks that the page shows exactly this table (<see cref="Markdown"/>).
/// </summary>
public static class RoundTripTable
{
    /// <summary>The lines that enclose the generated table in docs/types.md.</summary>
    public const string Begin = "<!-- round-trip table: generated from Premix.Tests/Types/RoundTripTable.cs, proven by TypeRoundTripTests -->";

    public const string End = "<!-- end of round-trip table -->";

    private static readonly RoundTripOutcome ReadsZero = Reads("reads `0`", value => value is float ? (object)0f : 0d);

    // .NET ticks are 100 ns; PostgreSQL and MySQL keep microseconds, and the drivers cut the last digit (never round it).
    private static readonly RoundTripOutcome Microseconds = Reads("last digit cut (µs)", value => value switch
    {
        DateTime time => new DateTime(time.Ticks / 10 * 10),
        DateTimeOffset instant => new DateTimeOffset(instant.UtcTicks / 10 * 10, TimeSpan.Zero),
        TimeOnly time => new TimeOnly(time.Ticks / 10 * 10),
        TimeSpan span => TimeSpan.FromTicks(span.Ticks / 10 * 10),
        _ => throw new ArgumentException($"No time: {value}"),
    });

    private static readonly RoundTripOutcome InUtc = Reads("same instant, offset `+00:00`", value => ((DateTimeOffset)value!).ToUniversalTime());

    private static readonly DateTime LastMicrosecond = new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990);

    public static IEnumerable<RoundTripCase> Cases { get; } =
    [
        new("`bool`", "`false`, `true`", nameof(TypeSample.Flag), [false, true], Kept),
        new("`byte`", "`0`, `255`", nameof(TypeSample.Byte), [byte.MinValue, byte.MaxValue], Kept),
        new("`short`", "`short.MinValue`, `short.MaxValue`", nameof(TypeSample.Short), [short.MinValue, short.MaxValue], Kept),
        new("`int`", "`int.MinValue`, `int.MaxValue`", nameof(TypeSample.Int), [int.MinValue, int.MaxValue], Kept),
        new("`long`", "`long.MinValue`, `long.MaxValue`", nameof(TypeSample.Long), [long.MinValue, long.MaxValue], Kept),
        new("`decimal`, `HasPrecision(18, 4)`", "`±99999999999999.9999`, `0.0001`", nameof(TypeSample.Money), [99_999_999_999_999.9999m, -99_999_999_999_999.9999m, 0.0001m], Kept),
        new("`decimal`, `HasPrecision(18, 4)`", "`1.2300000` (zeros past the scale)", nameof(TypeSample.Money), [1.2300000m], Kept),
        new("`decimal`, `HasPrecision(18, 4)`", "`1.23456` (5 places)", nameof(TypeSample.Money), [1.23456m], Refused),
        new("`decimal`, `HasPrecision(18, 4)`", "`100000000000000` (15 digits before the point)", nameof(TypeSample.Money), [100_000_000_000_000m], Refused),
        new("`decimal`, no `HasPrecision` (18, 2)", "`9999999999999999.99`, `0.01`", nameof(TypeSample.Plain), [9_999_999_999_999_999.99m, -9_999_999_999_999_999.99m, 0.01m], Kept),
        new("`decimal`, no `HasPrecision` (18, 2)", "`1.23456`, `0.005` (more places than 2)", nameof(TypeSample.Plain), [1.23456m, 0.005m], Refused),
        new("`decimal`, no `HasPrecision` (18, 2)", "`10000000000000000` (17 digits before the point)", nameof(TypeSample.Plain), [10_000_000_000_000_000m], Refused),
        new("`decimal`, `HasPrecision(18, 2)` `.Rounding(MidpointRounding.AwayFromZero)`", "`1.23456`, `0.005`, `-0.125`", nameof(TypeSample.Rounded), [1.23456m, 0.005m, -0.125m], Reads("rounded: `1.23`, `0.01`, `-0.13`", value => Math.Round((decimal)value!, 2, MidpointRounding.AwayFromZero))),
        new("`decimal`, `HasPrecision(18, 2)` `.Rounding(MidpointRounding.AwayFromZero)`", "`10000000000000000` (17 digits before the point)", nameof(TypeSample.Rounded), [10_000_000_000_000_000m], Refused),
        new("`double`", "`±double.MaxValue`, `double.Epsilon` (subnormal), `0.1 + 0.2`", nameof(TypeSample.Double), [double.MaxValue, double.MinValue, double.Epsilon, 0.1 + 0.2], Kept),
        new("`double`", "`-0.0`", nameof(TypeSample.Double), [-0.0], ReadsZero, Kept, ReadsZero),
        new("`double`", "`NaN`", nameof(TypeSample.Double), [double.NaN], Refused, Kept, Refused),
        new("`double`", "`±Infinity`", nameof(TypeSample.Double), [double.PositiveInfinity, double.NegativeInfinity], Kept, Kept, Refused),
        new("`float`", "`±float.MaxValue`, `float.Epsilon` (subnormal), `0.1f`", nameof(TypeSample.Float), [float.MaxValue, float.MinValue, float.Epsilon, 0.1f], Kept),
        new("`float`", "`-0.0f`", nameof(TypeSample.Float), [-0.0f], ReadsZero, Kept, ReadsZero),
        new("`float`", "`NaN`", nameof(TypeSample.Float), [float.NaN], Refused, Kept, Refused),
        new("`float`", "`±Infinity`", nameof(TypeSample.Float), [float.PositiveInfinity, float.NegativeInfinity], Kept, Kept, Refused),
        new("`string`", "`\"\"`, emoji (surrogate pairs), `U+FFFE U+FFFF`, trailing spaces, `\\r\\n\\t`", nameof(TypeSample.Text), ["", "Zoë 日本語 🚀 \U0010FFFF", "\uFFFE\uFFFF", "a  ", "\r\n\t"], Kept),
        new("`string`", "an unpaired surrogate (`\"x\\uD800y\"`)", nameof(TypeSample.Text), ["x\uD800y", "\uDC00"], Refused),
        new("`string`", "`\"a\\0b\"` (NUL)", nameof(TypeSample.Text), ["a\0b"], Kept, Refused, Kept),
        new("`string`, `HasMaxLength(50)`", "51 characters", nameof(TypeSample.Text), [new string('x', 51)], Refused),
        new("`string`, no `HasMaxLength`", "1,000,000 characters", nameof(TypeSample.Essay), [new string('x', 1_000_000)], Kept),
        new("`byte[]`", "empty, every byte value, 1 MiB", nameof(TypeSample.Bytes), [Array.Empty<byte>(), Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), Bytes(1 << 20)], Kept),
        new("`byte[]`", "20 MiB (over MariaDB's default `max_allowed_packet`, 16 MiB)", nameof(TypeSample.Bytes), [Bytes(20 << 20)], Kept, Kept, Refused),
        new("`Guid`", "`Guid.Empty`, `ffffffff-…`, random", nameof(TypeSample.Guid), [Guid.Empty, new Guid("ffffffff-ffff-ffff-ffff-ffffffffffff"), new Guid("01234567-89ab-cdef-0123-456789abcdef")], Kept),
        new("`DateTime`", "`1000-01-01`, `9999-12-31 23:59:59.999999`", nameof(TypeSample.When), [new DateTime(1000, 1, 1), LastMicrosecond], Kept),
        new("`DateTime`", "`DateTime.MinValue`", nameof(TypeSample.When), [DateTime.MinValue], Kept, KeptAs("-infinity"), Kept),
        new("`DateTime`", "`DateTime.MaxValue`", nameof(TypeSample.When), [DateTime.MaxValue], Kept, KeptAs("infinity"), Microseconds),
        new("`DateTime`", "`…:30.1234567` (100 ns)", nameof(TypeSample.When), [new DateTime(2024, 2, 29, 13, 45, 30).AddTicks(1_234_567)], Kept, Microseconds, Microseconds),
        new("`DateTimeOffset`", "`2024-02-29 13:45:30+05:30`", nameof(TypeSample.WhenWithOffset), [new DateTimeOffset(2024, 2, 29, 13, 45, 30, TimeSpan.FromHours(5.5))], Kept, InUtc, InUtc),
        new("`DateTimeOffset`", "`…:30.1234567+00:00` (100 ns)", nameof(TypeSample.WhenWithOffset), [new DateTimeOffset(2024, 2, 29, 13, 45, 30, TimeSpan.Zero).AddTicks(1_234_567)], Kept, Microseconds, Microseconds),
        new("`DateOnly`", "`DateOnly.MinValue`", nameof(TypeSample.Day), [DateOnly.MinValue], Kept, KeptAs("-infinity"), Kept),
        new("`DateOnly`", "`DateOnly.MaxValue`", nameof(TypeSample.Day), [DateOnly.MaxValue], Kept, KeptAs("infinity"), Kept),
        new("`TimeOnly`", "`00:00`, `23:59:59.999999`", nameof(TypeSample.Time), [TimeOnly.MinValue, new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990))], Kept),
        new("`TimeOnly`", "`TimeOnly.MaxValue` (100 ns)", nameof(TypeSample.Time), [TimeOnly.MaxValue], Kept, Microseconds, Microseconds),
        new("`TimeSpan`", "`±838:59:59.999999`", nameof(TypeSample.Span), [new TimeSpan(34, 22, 59, 59).Add(TimeSpan.FromTicks(9_999_990)), -new TimeSpan(34, 22, 59, 59).Add(TimeSpan.FromTicks(9_999_990))], Kept),
        new("`TimeSpan`", "`839:00:00`", nameof(TypeSample.Span), [TimeSpan.FromHours(839)], Kept, Kept, RefusedByServer("`Incorrect TIME value`")),
        new("`TimeSpan`", "one tick (100 ns)", nameof(TypeSample.Span), [TimeSpan.FromTicks(1)], Kept, Microseconds, Microseconds),
        new("`TimeSpan`", "`TimeSpan.MaxValue`", nameof(TypeSample.Span), [TimeSpan.MaxValue], Kept, Microseconds, RefusedByServer("`Incorrect TIME value`")),
        new("enum", "a member, an undefined value (`(Color)42`)", nameof(TypeSample.ColorNumber), [Color.Blue, (Color)42], Kept),
        new("enum, `StoredAsText()`", "a member, `(Color)42` (stored as `\"42\"`)", nameof(TypeSample.ColorText), [Color.Blue, (Color)42], Kept),
        new("enum, `StoredAsText()`", "`(Color)123456`: longer than the longest name", nameof(TypeSample.ColorText), [(Color)123456], Kept, RefusedByServer("`22001`, value too long"), RefusedByServer("`Data too long`")),
    ];

    /// <summary>The table as docs/types.md shows it, between <see cref="Begin"/> and <see cref="End"/>.</summary>
    // Every byte value over and over, filled by a loop: no iterator per byte at discovery, where the 20 MiB case is built.
    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7);
        }

        return bytes;
    }

    public static string Markdown()
    {
        var table = new StringBuilder();
        table.Append(Begin).Append('\n');
        table.Append("| Type | Values | SQLite | PostgreSQL | MySQL / MariaDB |\n");
        table.Append("|---|---|---|---|---|\n");
        foreach (var row in Cases)
        {
            table.Append($"| {row.Type} | {row.Shown} | {row.Sqlite.Cell} | {row.PostgreSql.Cell} | {row.MySql.Cell} |\n");
        }

        return table.Append(End).Append('\n').ToString();
    }
}
