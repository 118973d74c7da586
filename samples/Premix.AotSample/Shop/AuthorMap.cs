using Premix.Mapping;

namespace AotShop;

/// <summary>Maps <see cref="Author"/> onto <c>authors</c>.</summary>
public sealed class AuthorMap : ModelConfiguration<Author>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<Author> e)
    {
        e.ToTable("authors");
        e.Property(a => a.Name).HasMaxLength(100);
        e.Property(a => a.Email).HasMaxLength(200).Sensitive();
        e.HasMany(a => a.Books).WithForeignKey(b => b.AuthorId);
    }
}
