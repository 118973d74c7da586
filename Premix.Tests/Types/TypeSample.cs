using Premix.Mapping;

namespace Premix.Tests.Types;

public enum Color
{
    Red,
    Green,
    Blue,
}

/// <summary>One property of every supported type, and its nullable form.</summary>
public sealed class TypeSample
{
    public long Id { get; set; }

    public bool Flag { get; set; }

    public byte Byte { get; set; }

    public short Short { get; set; }

    public int Int { get; set; }

    public long Long { get; set; }

    public decimal Money { get; set; }

    /// <summary>No <c>HasPrecision</c>: the default, (18, 2).</summary>
    public decimal Plain { get; set; }

    /// <summary><c>HasPrecision(18, 2).Rounding(MidpointRounding.AwayFromZero)</c>.</summary>
    public decimal Rounded { get; set; }

    public double Double { get; set; }

    public float Float { get; set; }

    public string Text { get; set; } = "";

    /// <summary>Text without <c>HasMaxLength</c>.</summary>
    public string Essay { get; set; } = "";

    public Guid Guid { get; set; }

    public DateTime When { get; set; }

    public DateTimeOffset WhenWithOffset { get; set; }

    public DateOnly Day { get; set; }

    public TimeOnly Time { get; set; }

    public TimeSpan Span { get; set; }

    public byte[] Bytes { get; set; } = [];

    public Color ColorNumber { get; set; }

    public Color ColorText { get; set; }

    public bool? NFlag { get; set; }

    public byte? NByte { get; set; }

    public short? NShort { get; set; }

    public int? NInt { get; set; }

    public long? NLong { get; set; }

    public decimal? NMoney { get; set; }

    public double? NDouble { get; set; }

    public float? NFloat { get; set; }

    public string? NText { get; set; }

    public Guid? NGuid { get; set; }

    public DateTime? NWhen { get; set; }

    public DateTimeOffset? NWhenWithOffset { get; set; }

    public DateOnly? NDay { get; set; }

    public TimeOnly? NTime { get; set; }

    public TimeSpan? NSpan { get; set; }

    public byte[]? NBytes { get; set; }

    public Color? NColorNumber { get; set; }

    public Color? NColorText { get; set; }
}

public sealed class TypeSampleMap : ModelConfiguration<TypeSample>
{
    public override void Configure(EntityBuilder<TypeSample> e)
    {
        e.ToTable("type_samples");
        e.Property(x => x.Money).HasPrecision(18, 4);
        e.Property(x => x.NMoney).HasPrecision(18, 4);
        e.Property(x => x.Rounded).HasPrecision(18, 2).Rounding(MidpointRounding.AwayFromZero);
        e.Property(x => x.Text).HasMaxLength(50);
        e.Property(x => x.NText).HasMaxLength(50);
        e.Property(x => x.ColorText).StoredAsText();
        e.Property(x => x.NColorText).StoredAsText();
    }
}
