using Premix.Mapping;

namespace Premix.Benchmarks.Data;

/// <summary>A product code, stored as its text through a value converter.</summary>
public readonly record struct Sku(string Value);

/// <summary>An order line keyed by one column: the plain model the deeper one is measured against.</summary>
public sealed class PlainLine
{
    public long Id { get; set; }

    public long OrderId { get; set; }

    public int LineNo { get; set; }

    public string Sku { get; set; } = "";

    public int Quantity { get; set; }
}

/// <summary>The same order line keyed by (order, line number), with its product code converted.</summary>
public sealed class CompositeLine
{
    public long OrderId { get; set; }

    public int LineNo { get; set; }

    public Sku Sku { get; set; }

    public int Quantity { get; set; }
}

public sealed class PlainLineMap : ModelConfiguration<PlainLine>
{
    public override void Configure(EntityBuilder<PlainLine> e)
    {
        e.ToTable("plain_lines");
        e.HasKey(x => x.Id).IsClientAssigned();
    }
}

public sealed class CompositeLineMap : ModelConfiguration<CompositeLine>
{
    public override void Configure(EntityBuilder<CompositeLine> e)
    {
        e.ToTable("composite_lines");
        e.HasKey(x => new { x.OrderId, x.LineNo });
        e.Property(x => x.Sku).HasConversion(sku => sku.Value, value => new Sku(value));
    }
}

/// <summary>The SQL of the two order-line tables: 1000 lines each, the same values, 4 lines per order.</summary>
internal static class OrderLineSql
{
    public const int RowCount = 1000;
    public const int LinesPerOrder = 4;

    public static readonly string[] Create =
    [
        "DROP TABLE IF EXISTS plain_lines",
        "DROP TABLE IF EXISTS composite_lines",
        "CREATE TABLE plain_lines (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, line_no INT NOT NULL, sku VARCHAR(20) NOT NULL, quantity INT NOT NULL)",
        "CREATE TABLE composite_lines (order_id BIGINT NOT NULL, line_no INT NOT NULL, sku VARCHAR(20) NOT NULL, quantity INT NOT NULL, PRIMARY KEY (order_id, line_no))",
    ];

    public static (long Id, long OrderId, int LineNo, string Sku, int Quantity) Row(long id) =>
        (id, ((id - 1) / LinesPerOrder) + 1, (int)((id - 1) % LinesPerOrder) + 1, $"SKU-{id:D5}", (int)(id % 7) + 1);
}
