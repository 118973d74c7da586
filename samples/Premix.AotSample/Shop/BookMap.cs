using Premix.Mapping;

namespace AotShop;

/// <summary>Maps <see cref="Book"/> onto <c>books</c>.</summary>
public sealed class BookMap : ModelConfiguration<Book>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<Book> e)
    {
        e.ToTable("books");
        e.Property(b => b.Title).HasMaxLength(200);
        e.Property(b => b.Price).HasPrecision(10, 2);
        e.Version(b => b.Version);
        e.BelongsTo<Author>().WithForeignKey(b => b.AuthorId);
    }
}
