using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A polymorphic association: a remark is about an article or a photo, through one nullable foreign key per target
/// (article_id, photo_id), both real foreign keys, and a CHECK that exactly one is set.
/// </summary>
public interface IRemarkable
{
    string Title { get; }
}

public sealed class Article : IRemarkable
{
    public long Id { get; set; }

    public string Title { get; set; } = "";

    public List<Remark> Remarks { get; set; } = [];
}

public sealed class Photo : IRemarkable
{
    public long Id { get; set; }

    public string Title { get; set; } = "";
}

public sealed class Remark
{
    public long Id { get; set; }

    public string Text { get; set; } = "";

    public long? ArticleId { get; set; }

    public long? PhotoId { get; set; }

    public IRemarkable? Subject { get; set; }
}

public sealed class ArticleMap : ModelConfiguration<Article>
{
    public override void Configure(EntityBuilder<Article> e)
    {
        e.ToTable("articles");
        e.Property(a => a.Title).HasMaxLength(100);
        e.HasMany(a => a.Remarks).WithForeignKey(r => r.ArticleId);
    }
}

public sealed class PhotoMap : ModelConfiguration<Photo>
{
    public override void Configure(EntityBuilder<Photo> e)
    {
        e.ToTable("photos");
        e.Property(p => p.Title).HasMaxLength(100);
    }
}

public sealed class RemarkMap : ModelConfiguration<Remark>
{
    public override void Configure(EntityBuilder<Remark> e)
    {
        e.ToTable("remarks");
        e.Property(r => r.Text).HasMaxLength(100);
        e.Property(r => r.ArticleId).HasColumnName("article_id");
        e.Property(r => r.PhotoId).HasColumnName("photo_id");
        e.BelongsToOneOf(r => r.Subject).Via<Article>(r => r.ArticleId).Via<Photo>(r => r.PhotoId, ReferentialAction.Cascade);
    }
}
