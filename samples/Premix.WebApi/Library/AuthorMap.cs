using Premix.Mapping;

namespace Premix.WebApi.Library;

/// <summary>Maps <see cref="Author"/> onto <c>authors</c>.</summary>
public sealed class AuthorMap : ModelConfiguration<Author>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<Author> e)
    {
        e.ToTable("authors");
        e.Property(a => a.Name).HasMaxLength(100);
        e.Property(a => a.Email).HasMaxLength(200).Sensitive();
        e.HasIndex(a => a.Email).IsUnique();
        e.Validate(a => a.Name.Trim().Length > 0, "Name must not be empty.");
        e.Validate(a => a.Email.Contains('@', StringComparison.Ordinal), "Email must contain '@'.");
    }
}
