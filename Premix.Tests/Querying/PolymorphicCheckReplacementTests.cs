using System.Data.Common;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A polymorphic navigation's CHECK is named after its key columns; after a target is added or removed, sync drops the old
/// check and adds the new one (a table rebuild on SQLite), so the database accepts and refuses rows as the new targets say.
/// A fixture of its own: the reviews table's foreign keys would keep other fixtures from dropping articles and photos.
/// </summary>
public sealed class PolymorphicCheckReplacementTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Sync_after_adding_a_target_replaces_the_check_so_a_row_on_the_new_target_is_accepted_and_two_keys_still_refused()
    {
        await CreatePremixWithTablesAsync(new CommentedArticleMap(), new PhotoMap(), new ClipMap(), new ReviewMap(withClip: false));
        await SeedReviewTargetsAsync();
        var premix = CreatePremix(p => p.AddModelConfiguration(new CommentedArticleMap()).AddModelConfiguration(new PhotoMap()).AddModelConfiguration(new ClipMap()).AddModelConfiguration(new ReviewMap(withClip: true)));

        var before = await premix.DiffAsync();
        await premix.SyncAsync();
        var after = await premix.DiffAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.ToString(), Does.Contain("drop check ck_reviews_article_id_photo_id on").And.Contain("add check ck_reviews_article_id_photo_id_clip_id"));
            Assert.That(after.IsEmpty, Is.True, after.ToString());
        }

        await ExecuteAsync(InsertReview(1, "NULL", "NULL", "1"));
        using (Assert.EnterMultipleScope())
        {
            Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => ExecuteAsync(InsertReview(2, "1", "NULL", "1")), "article and clip set");
            Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => ExecuteAsync(InsertReview(3, "NULL", "NULL", "NULL")), "no key set");
            Assert.That(await CountRowsAsync("reviews"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Sync_after_removing_a_target_replaces_the_check_so_the_removed_key_is_a_plain_column_again()
    {
        await CreatePremixWithTablesAsync(new CommentedArticleMap(), new PhotoMap(), new ClipMap(), new ReviewMap(withClip: true));
        await SeedReviewTargetsAsync();
        var premix = CreatePremix(p => p.AddModelConfiguration(new CommentedArticleMap()).AddModelConfiguration(new PhotoMap()).AddModelConfiguration(new ClipMap()).AddModelConfiguration(new ReviewMap(withClip: false)));

        await premix.SyncAsync();
        var after = await premix.DiffAsync();

        Assert.That(after.IsEmpty, Is.True, after.ToString());
        await ExecuteAsync(InsertReview(1, "1", "NULL", "1")); // the three-key check would refuse this row
        using (Assert.EnterMultipleScope())
        {
            Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => ExecuteAsync(InsertReview(2, "1", "1", "NULL")), "article and photo set");
            Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => ExecuteAsync(InsertReview(3, "NULL", "NULL", "1")), "only the clip set");
            Assert.That(await CountRowsAsync("reviews"), Is.EqualTo(1));
        }
    }

    private async Task SeedReviewTargetsAsync()
    {
        await ExecuteAsync($"INSERT INTO {Q("articles")} ({Q("Id")}, {Q("Title")}) VALUES (1, 'a')");
        await ExecuteAsync($"INSERT INTO {Q("photos")} ({Q("Id")}, {Q("Title")}) VALUES (1, 'p')");
        await ExecuteAsync($"INSERT INTO {Q("clips")} ({Q("Id")}, {Q("Title")}) VALUES (1, 'c')");
    }

    private string InsertReview(int id, string article, string photo, string clip) =>
        $"INSERT INTO {Q("reviews")} ({Q("Id")}, {Q("article_id")}, {Q("photo_id")}, {Q("clip_id")}) VALUES ({id}, {article}, {photo}, {clip})";

    public sealed class Clip : IRemarkable
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";
    }

    public sealed class Review
    {
        public long Id { get; set; }

        public long? ArticleId { get; set; }

        public long? PhotoId { get; set; }

        public long? ClipId { get; set; }

        public IRemarkable? Subject { get; set; }
    }

    private sealed class ClipMap : ModelConfiguration<Clip>
    {
        public override void Configure(EntityBuilder<Clip> e)
        {
            e.ToTable("clips");
            e.Property(c => c.Title).HasMaxLength(100);
        }
    }

    /// <summary>A review about an article or a photo, and with <c>withClip</c> a clip too (the clip_id column is there either way).</summary>
    private sealed class ReviewMap(bool withClip) : ModelConfiguration<Review>
    {
        public override void Configure(EntityBuilder<Review> e)
        {
            e.ToTable("reviews");
            e.Property(r => r.ArticleId).HasColumnName("article_id");
            e.Property(r => r.PhotoId).HasColumnName("photo_id");
            e.Property(r => r.ClipId).HasColumnName("clip_id");
            var subject = e.BelongsToOneOf(r => r.Subject).Via<Article>(r => r.ArticleId).Via<Photo>(r => r.PhotoId);
            if (withClip)
            {
                subject.Via<Clip>(r => r.ClipId);
            }
        }
    }
}
