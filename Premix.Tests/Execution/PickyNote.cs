using Premix.Mapping;

namespace Premix.Tests.Execution;

/// <summary>A note whose setter refuses one text, as a domain type may refuse a value read from the database.</summary>
public sealed class PickyNote
{
    public const string Refused = "refused";

    public const string Refusal = "A picky note refuses the text 'refused'.";

    private string _text = "";

    public long Id { get; set; }

    public string Text
    {
        get => _text;
        set => _text = value == Refused ? throw new InvalidOperationException(Refusal) : value;
    }
}

/// <summary>Maps <see cref="PickyNote"/> to <c>picky_notes</c>.</summary>
public sealed class PickyNoteMap : ModelConfiguration<PickyNote>
{
    public override void Configure(EntityBuilder<PickyNote> e)
    {
        e.ToTable("picky_notes");
        e.Property(n => n.Text).HasMaxLength(50);
    }
}
