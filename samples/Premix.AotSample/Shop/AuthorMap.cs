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
        // A value object in the author's row: address_street, address_city, address_region, address_floor.
        e.Owns(a => a.Address, address =>
        {
            address.Property(v => v.Street).HasMaxLength(100);
            address.Property(v => v.City).HasMaxLength(60);
            address.Property(v => v.Region).HasMaxLength(60);
        });
        e.HasMany(a => a.Books).WithForeignKey(b => b.AuthorId);
    }
}
