using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A Rails-style polymorphic association of a legacy schema: a comment is about an article or a photo, named by a type
/// column (subject_type = 'Article' / 'Photo') beside one id column (subject_id), with no foreign key in the database.
/// </summary>
public sealed class Comment
{
    public long Id { get; set; }

    public string Text { get; set; } = "";

    public string? SubjectType { get; set; }

    public long? SubjectId { get; set; }

    public IRemarkable? Subject { get; set; }
}

public sealed class CommentMap : ModelConfiguration<Comment>
{
    public override void Configure(EntityBuilder<Comment> e)
    {
        e.ToTable("comments");
        e.Property(c => c.Text).HasMaxLength(100);
        e.Property(c => c.SubjectType).HasColumnName("subject_type").HasMaxLength(20);
        e.Property(c => c.SubjectId).HasColumnName("subject_id");
        e.BelongsToOneOf(c => c.Subject).ByTypeAndId(c => c.SubjectType, c => c.SubjectId).As<Article>("Article").As<Photo>("Photo");
        e.HasIndex(c => new { c.SubjectType, c.SubjectId });
    }
}

/// <summary>Articles without their remarks: the exclusive-arc remarks are not mapped beside comments.</summary>
public sealed class CommentedArticleMap : ModelConfiguration<Article>
{
    public override void Configure(EntityBuilder<Article> e)
    {
        e.ToTable("articles");
        e.Property(a => a.Title).HasMaxLength(100);
        e.Ignore(a => a.Remarks);
    }
}
