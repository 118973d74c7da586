using Premix.Mapping;

namespace Premix.Tests.Errors;

// Members with a unique sensitive email and a unique public handle, posts that reference them, and tags keyed by a code
// the application chooses: each constraint kind Premix reads from the engines, in a model its tests and the HTTP tests share.

public sealed class Member
{
    public long Id { get; set; }

    public string Handle { get; set; } = "";

    public string Email { get; set; } = "";
}

public sealed class MemberMap : ModelConfiguration<Member>
{
    public override void Configure(EntityBuilder<Member> e)
    {
        e.ToTable("members");
        e.Property(m => m.Handle).HasMaxLength(40).IsRequired();
        e.Property(m => m.Email).HasMaxLength(300).IsRequired().Sensitive();
        e.HasIndex(m => m.Handle).IsUnique();
        e.HasIndex(m => m.Email).IsUnique();
        e.Validate(m => m.Email.Contains('@', StringComparison.Ordinal), "Email must contain '@'.");
    }
}

public sealed class Post
{
    public long Id { get; set; }

    public long MemberId { get; set; }

    public string Title { get; set; } = "";
}

public sealed class PostMap : ModelConfiguration<Post>
{
    public override void Configure(EntityBuilder<Post> e)
    {
        e.ToTable("posts");
        e.Property(p => p.Title).HasMaxLength(100);
        e.BelongsTo<Member>().WithForeignKey(p => p.MemberId);
    }
}

public sealed class Tag
{
    public string Code { get; set; } = "";

    public string Label { get; set; } = "";
}

public sealed class TagMap : ModelConfiguration<Tag>
{
    public override void Configure(EntityBuilder<Tag> e)
    {
        e.ToTable("tags");
        e.HasKey(t => t.Code);
        e.Property(t => t.Code).HasMaxLength(20);
        e.Property(t => t.Label).HasMaxLength(40);
    }
}
