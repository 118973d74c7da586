using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A row marked by a unique reference (table <c>notes</c>): what the failure tests' units of work write, one each, so every
/// reported outcome can be looked up on the server by its reference.
/// </summary>
public sealed class ReferenceNote
{
    public long Id { get; set; }

    public string Reference { get; set; } = "";

    /// <summary>The mapping: table <c>notes</c>, <c>Reference</c> up to 40 characters.</summary>
    public sealed class Map : ModelConfiguration<ReferenceNote>
    {
        public override void Configure(EntityBuilder<ReferenceNote> e)
        {
            e.ToTable("notes");
            e.Property(n => n.Reference).HasMaxLength(40);
        }
    }
}
