using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>Columns whose type limits the values they keep: decimals of several precisions, floating point and text.</summary>
public sealed class Charge
{
    public long Id { get; set; }

    /// <summary><c>HasPrecision(18, 2)</c>.</summary>
    public decimal Amount { get; set; }

    /// <summary>No <c>HasPrecision</c>: the default, (18, 2).</summary>
    public decimal Plain { get; set; }

    /// <summary><c>HasColumnType("decimal(6,4)")</c>: the declared type's digits apply.</summary>
    public decimal Exact { get; set; }

    /// <summary><c>HasPrecision(9, 2)</c> and sensitive: its value never shows in a message.</summary>
    public decimal Salary { get; set; }

    public double Rate { get; set; }

    public float Ratio { get; set; }

    /// <summary><c>HasMaxLength(20)</c>.</summary>
    public string Memo { get; set; } = "";

    /// <summary>Unbounded text.</summary>
    public string? Note { get; set; }

    /// <summary><c>HasPrecision(10, 2).Rounding(MidpointRounding.ToEven)</c>.</summary>
    public decimal? Even { get; set; }

    /// <summary><c>HasPrecision(4, 2).Rounding(MidpointRounding.AwayFromZero)</c>.</summary>
    public decimal Away { get; set; }
}

public sealed class ChargeMap : ModelConfiguration<Charge>
{
    public const string Table = "charges";

    public override void Configure(EntityBuilder<Charge> e)
    {
        e.ToTable(Table);
        e.Property(x => x.Amount).HasPrecision(18, 2);
        e.Property(x => x.Exact).HasColumnType("decimal(6,4)");
        e.Property(x => x.Salary).HasPrecision(9, 2).Sensitive();
        e.Property(x => x.Memo).HasMaxLength(20);
        e.Property(x => x.Even).HasPrecision(10, 2).Rounding(MidpointRounding.ToEven);
        e.Property(x => x.Away).HasPrecision(4, 2).Rounding(MidpointRounding.AwayFromZero);
    }
}
