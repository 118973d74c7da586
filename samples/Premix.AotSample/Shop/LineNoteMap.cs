using Premix.Mapping;

namespace AotShop;

/// <summary>Maps <see cref="LineNote"/> onto <c>line_notes</c>.</summary>
public sealed class LineNoteMap : ModelConfiguration<LineNote>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<LineNote> e)
    {
        e.ToTable("line_notes");
        e.Property(n => n.Text).HasMaxLength(200);
    }
}
