using Premix.Mapping;

namespace Premix.Tests.Failover;

/// <summary>The row the failover tests write: a unit of work's reference, and what its writer had read.</summary>
public sealed class FailoverNote
{
    /// <summary>The table, created on the primary after each reset.</summary>
    public const string CreateTable = """
        CREATE TABLE notes (id bigserial PRIMARY KEY, reference text NOT NULL, writes int NOT NULL);
        CREATE INDEX ON notes (reference);
        """;

    public long Id { get; set; }

    public string Reference { get; set; } = "";

    public int Writes { get; set; }
}

/// <summary>Maps <see cref="FailoverNote"/> onto <see cref="FailoverNote.CreateTable"/>'s lower-case columns.</summary>
internal sealed class FailoverNoteMap : ModelConfiguration<FailoverNote>
{
    public override void Configure(EntityBuilder<FailoverNote> e)
    {
        e.ToTable("notes");
        e.Property(n => n.Id).HasColumnName("id");
        e.Property(n => n.Reference).HasColumnName("reference");
        e.Property(n => n.Writes).HasColumnName("writes");
    }
}
