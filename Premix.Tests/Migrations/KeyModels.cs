using Premix.Mapping;

namespace Premix.Tests.Migrations;

// Rows of tables made outside Premix, whose keys the database numbers (a sequence, an identity, an auto-increment).

public sealed class NumberedRow
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}

public sealed class BigNumberedRow
{
    public long Id { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>Maps <see cref="NumberedRow"/> onto <paramref name="table"/>, its key generated or, if asked, assigned by the application.</summary>
public sealed class NumberedRowMap(string table, bool clientAssigned = false) : ModelConfiguration<NumberedRow>
{
    public override void Configure(EntityBuilder<NumberedRow> e)
    {
        e.ToTable(table);
        var key = e.HasKey(r => r.Id);
        if (clientAssigned)
        {
            key.IsClientAssigned();
        }

        e.Property(r => r.Id).HasColumnName("id");
        e.Property(r => r.Name).HasColumnName("name").IsRequired().HasMaxLength(50);
    }
}

public sealed class BigNumberedRowMap(string table) : ModelConfiguration<BigNumberedRow>
{
    public override void Configure(EntityBuilder<BigNumberedRow> e)
    {
        e.ToTable(table);
        e.Property(r => r.Id).HasColumnName("id");
        e.Property(r => r.Name).HasColumnName("name").IsRequired().HasMaxLength(50);
    }
}
