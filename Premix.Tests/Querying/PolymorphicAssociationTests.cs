using System.Data.Common;
using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A remark belongs to an article or a photo (<c>BelongsToOneOf(r =&gt; r.Subject).Via&lt;Article&gt;(...).Via&lt;Photo&gt;(...)</c>):
/// both foreign keys are real, a CHECK keeps exactly one set, the unit of work fills the right one, and Include reads each
/// target type with one query. Arranged and asserted through plain SQL.
/// </summary>
public sealed class PolymorphicAssociationTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Sync_creates_both_foreign_keys_and_the_check_a_diff_after_is_empty_and_the_database_refuses_both_or_neither_key()
    {
        var premix = await CreatePremixWithTablesAsync(new ArticleMap(), new PhotoMap(), new RemarkMap());
        await ExecuteAsync($"INSERT INTO {Q("articles")} ({Q("Id")}, {Q("Title")}) VALUES (1, 'a')");
        await ExecuteAsync($"INSERT INTO {Q("photos")} ({Q("Id")}, {Q("Title")}) VALUES (1, 'p')");

        var diff = await premix.DiffAsync();

        Assert.That(diff.IsEmpty, Is.True, diff.ToString());
        await AssertConstraintsHoldAsync();
    }

    [Test]
    public async Task Sync_of_an_existing_table_without_them_adds_both_foreign_keys_and_the_check_and_keeps_its_rows()
    {
        await CreatePremixWithTablesAsync(new ArticleMap(), new PhotoMap(), new PlainRemarkMap());
        await ExecuteAsync($"INSERT INTO {Q("articles")} ({Q("Id")}, {Q("Title")}) VALUES (1, 'a')");
        await ExecuteAsync($"INSERT INTO {Q("photos")} ({Q("Id")}, {Q("Title")}) VALUES (1, 'p')");
        await ExecuteAsync($"INSERT INTO {Q("remarks")} ({Q("Id")}, {Q("Text")}, {Q("article_id")}) VALUES (1, 'kept', 1)");
        var premix = CreatePremix(p => p.AddModelConfiguration(new ArticleMap()).AddModelConfiguration(new PhotoMap()).AddModelConfiguration(new RemarkMap()));

        var before = await premix.DiffAsync();
        await premix.SyncAsync();
        var after = await premix.DiffAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.ToString(), Does.Contain("add check ck_remarks_article_id_photo_id").And.Contain("add foreign key remarks (photo_id)"));
            Assert.That(after.IsEmpty, Is.True, after.ToString());
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Text")} FROM {Q("remarks")} WHERE {Q("article_id")} = 1"), Is.EqualTo("kept"));
        }

        await ExecuteAsync($"DELETE FROM {Q("remarks")}");
        await AssertConstraintsHoldAsync();
    }

    [Test]
    public async Task Setting_the_navigation_to_new_parents_inserts_them_first_and_fills_only_the_matching_key()
    {
        var premix = await CreatePremixWithTablesAsync(new ArticleMap(), new PhotoMap(), new RemarkMap());
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Remark>().Add(new Remark { Text = "on article", Subject = new Article { Title = "new article" } });
            uow.Repository<Remark>().Add(new Remark { Text = "on photo", Subject = new Photo { Title = "new photo" }, ArticleId = 12345 }); // a stale key is cleared
            await uow.CommitAsync();
        }

        var rows = await RemarksAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows["on article"], Is.EqualTo(("new article", (string?)null)));
            Assert.That(rows["on photo"], Is.EqualTo(((string?)null, "new photo")));
        }
    }

    [Test]
    public async Task Include_of_the_subject_reads_each_target_type_with_one_query_and_sets_the_right_instances()
    {
        var premix = await CreatePremixWithTablesAsync(new ArticleMap(), new PhotoMap(), new RemarkMap());
        await SeedAsync();
        await using var uow = premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var remarks = await uow.Repository<Remark>().Query().Include(r => r.Subject).OrderBy(r => r.Id).ToListAsync();

        queries.AssertCount(3).AssertCount(1, StatementKind.Select, "remarks").AssertCount(1, StatementKind.Select, "articles").AssertCount(1, StatementKind.Select, "photos");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(remarks.Select(r => (r.Text, r.Subject?.GetType().Name, r.Subject?.Title)), Is.EqualTo(new[]
            {
                ("r1", "Article", "a1"), ("r2", "Photo", "p1"), ("r3", "Article", "a1"), ("r4", "Photo", "p2"),
            }));
            Assert.That(remarks[0].Subject, Is.SameAs(remarks[2].Subject), "one instance per row, from the identity map");
            Assert.That(((Article)remarks[0].Subject!).Remarks.Select(r => r.Text), Is.EquivalentTo(new[] { "r1", "r3" }), "the inverse HasMany is stitched too");
        }
    }

    [Test]
    public async Task The_inverse_has_many_over_one_key_loads_its_children_and_points_them_back()
    {
        var premix = await CreatePremixWithTablesAsync(new ArticleMap(), new PhotoMap(), new RemarkMap());
        await SeedAsync();
        await using var uow = premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var articles = await uow.Repository<Article>().Query().Include(a => a.Remarks).OrderBy(a => a.Id).ToListAsync();

        queries.AssertCount(2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(articles.Select(a => (a.Title, string.Join(",", a.Remarks.Select(r => r.Text).Order()))), Is.EqualTo(new[] { ("a1", "r1,r3"), ("a2", "") }));
            Assert.That(articles[0].Remarks.All(r => r.Subject == articles[0]), Is.True);
        }
    }

    [Test]
    public async Task A_commit_mixing_inserts_updates_and_deletes_moves_remarks_between_targets()
    {
        var premix = await CreatePremixWithTablesAsync(new ArticleMap(), new PhotoMap(), new RemarkMap());
        await SeedAsync();
        await using (var uow = premix.BeginUnitOfWork())
        {
            var remarks = await uow.Repository<Remark>().Query().Include(r => r.Subject).OrderBy(r => r.Id).ToListAsync();
            var photo2 = (Photo)remarks[3].Subject!;
            remarks[0].Subject = photo2;                                   // article -> existing photo
            remarks[1].Subject = new Article { Title = "a3" };             // photo -> new article, inserted first
            uow.Repository<Remark>().Remove(remarks[2]);                   // delete
            uow.Repository<Remark>().Add(new Remark { Text = "r5", Subject = new Photo { Title = "p3" } });
            await uow.CommitAsync();
        }

        var rows = await RemarksAsync();
        Assert.That(rows, Is.EquivalentTo(new Dictionary<string, (string?, string?)>
        {
            ["r1"] = (null, "p2"),
            ["r2"] = ("a3", null),
            ["r4"] = (null, "p2"),
            ["r5"] = (null, "p3"),
        }));
    }

    // Remarks r1..r4 on a1, p1, a1, p2; a2 has none. Ids from 101, clear of the keys the engines generate for new rows.
    private async Task SeedAsync()
    {
        await ExecuteAsync($"INSERT INTO {Q("articles")} ({Q("Id")}, {Q("Title")}) VALUES (101, 'a1'), (102, 'a2')");
        await ExecuteAsync($"INSERT INTO {Q("photos")} ({Q("Id")}, {Q("Title")}) VALUES (101, 'p1'), (102, 'p2')");
        await ExecuteAsync($"INSERT INTO {Q("remarks")} ({Q("Id")}, {Q("Text")}, {Q("article_id")}, {Q("photo_id")}) VALUES (101, 'r1', 101, NULL), (102, 'r2', NULL, 101), (103, 'r3', 101, NULL), (104, 'r4', NULL, 102)");
    }

    // Each remark's text with the title of the article and of the photo it points at.
    private async Task<Dictionary<string, (string?, string?)>> RemarksAsync()
    {
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Text, string? Article, string? Photo)>(
            $"SELECT r.{Q("Text")}, a.{Q("Title")}, p.{Q("Title")} FROM {Q("remarks")} r LEFT JOIN {Q("articles")} a ON a.{Q("Id")} = r.{Q("article_id")} LEFT JOIN {Q("photos")} p ON p.{Q("Id")} = r.{Q("photo_id")}");
        return rows.ToDictionary(r => r.Text, r => (r.Article, r.Photo));
    }

    // Article 1 and photo 1 exist: one key set is stored; both, neither, or a key to no row is refused.
    private async Task AssertConstraintsHoldAsync()
    {
        string Insert(int id, string article, string photo) => $"INSERT INTO {Q("remarks")} ({Q("Id")}, {Q("Text")}, {Q("article_id")}, {Q("photo_id")}) VALUES ({id}, 'x', {article}, {photo})";
        await ExecuteAsync(Insert(10, "1", "NULL"));
        await ExecuteAsync(Insert(11, "NULL", "1"));
        using (Assert.EnterMultipleScope())
        {
            Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => ExecuteAsync(Insert(12, "1", "1")), "both keys set");
            Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => ExecuteAsync(Insert(13, "NULL", "NULL")), "neither key set");
            Assert.ThrowsAsync(Is.InstanceOf<DbException>(), () => ExecuteAsync(Insert(14, "99", "NULL")), "an article that does not exist");
            Assert.That(await CountRowsAsync("remarks"), Is.EqualTo(2));
        }
    }

    /// <summary>The remarks table as it was before the association was mapped: two plain key columns, no constraints.</summary>
    private sealed class PlainRemarkMap : ModelConfiguration<Remark>
    {
        public override void Configure(EntityBuilder<Remark> e)
        {
            e.ToTable("remarks");
            e.Property(r => r.Text).HasMaxLength(100);
            e.Property(r => r.ArticleId).HasColumnName("article_id");
            e.Property(r => r.PhotoId).HasColumnName("photo_id");
            e.Ignore(r => r.Subject);
        }
    }
}
