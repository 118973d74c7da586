using Dapper;
using Premix.Migrations;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A comment belongs to an article or a photo through a Rails-style pair (<c>BelongsToOneOf(c =&gt; c.Subject).ByTypeAndId(c =&gt;
/// c.SubjectType, c =&gt; c.SubjectId).As&lt;Article&gt;("Article").As&lt;Photo&gt;("Photo")</c>): the unit of work writes both
/// columns, Include reads each target type with one query, and the schema has no foreign key. Arranged and asserted through plain SQL.
/// </summary>
public sealed class TypeAndIdAssociationTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Sync_creates_the_columns_without_foreign_key_or_check_and_a_diff_after_is_empty()
    {
        var premix = await CreatePremixWithTablesAsync(new CommentedArticleMap(), new PhotoMap(), new CommentMap());

        var diff = await premix.DiffAsync();
        // No foreign key: an id that no row has, and a type no target has, are stored (integrity is the application's).
        await ExecuteAsync($"INSERT INTO {Q("comments")} ({Q("Id")}, {Q("Text")}, {Q("subject_type")}, {Q("subject_id")}) VALUES (1, 'x', 'Article', 999), (2, 'y', NULL, NULL)");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.IsEmpty, Is.True, diff.ToString());
            Assert.That(await CountRowsAsync("comments"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Setting_the_navigation_writes_the_type_and_the_key_of_new_parents_inserted_in_the_same_commit()
    {
        var premix = await CreatePremixWithTablesAsync(new CommentedArticleMap(), new PhotoMap(), new CommentMap());
        await ExecuteAsync($"INSERT INTO {Q("photos")} ({Q("Id")}, {Q("Title")}) VALUES (101, 'existing photo')");
        await using (var uow = premix.BeginUnitOfWork())
        {
            var existing = await uow.Repository<Photo>().GetAsync(101L);
            uow.Repository<Comment>().Add(new Comment { Text = "on new article", Subject = new Article { Title = "new article" } });
            uow.Repository<Comment>().Add(new Comment { Text = "on new photo", Subject = new Photo { Title = "new photo" }, SubjectType = "Article", SubjectId = 5 }); // stale values are replaced
            uow.Repository<Comment>().Add(new Comment { Text = "on existing photo", Subject = existing });
            await uow.CommitAsync();
        }

        var rows = await CommentsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows["on new article"], Is.EqualTo(("Article", "new article")));
            Assert.That(rows["on new photo"], Is.EqualTo(("Photo", "new photo")));
            Assert.That(rows["on existing photo"], Is.EqualTo(("Photo", "existing photo")));
        }
    }

    [Test]
    public async Task Include_of_the_subject_reads_each_target_type_with_one_query_and_follows_the_type_column()
    {
        var premix = await CreatePremixWithTablesAsync(new CommentedArticleMap(), new PhotoMap(), new CommentMap());
        await SeedAsync();
        await using var uow = premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var comments = await uow.Repository<Comment>().Query().Include(c => c.Subject).OrderBy(c => c.Id).ToListAsync();

        queries.AssertCount(3).AssertCount(1, StatementKind.Select, "comments").AssertCount(1, StatementKind.Select, "articles").AssertCount(1, StatementKind.Select, "photos");
        using (Assert.EnterMultipleScope())
        {
            // Article 101 and photo 101 share an id: the type column tells c1 and c2 apart.
            Assert.That(comments.Select(c => (c.Text, c.Subject?.GetType().Name, c.Subject?.Title)), Is.EqualTo(new[]
            {
                ("c1", "Article", "a1"), ("c2", "Photo", "p1"), ("c3", "Article", "a1"), ("c4", "Photo", "p2"), ("c5", null, null),
            }));
            Assert.That(comments[0].Subject, Is.SameAs(comments[2].Subject), "one instance per row, from the identity map");
        }
    }

    [Test]
    public async Task A_commit_mixing_inserts_updates_and_deletes_moves_comments_between_targets()
    {
        var premix = await CreatePremixWithTablesAsync(new CommentedArticleMap(), new PhotoMap(), new CommentMap());
        await SeedAsync();
        await using (var uow = premix.BeginUnitOfWork())
        {
            var comments = await uow.Repository<Comment>().Query().Include(c => c.Subject).OrderBy(c => c.Id).ToListAsync();
            comments[0].Subject = comments[3].Subject;                     // article -> existing photo
            comments[1].Subject = new Article { Title = "a3" };            // photo -> new article, inserted first
            uow.Repository<Comment>().Remove(comments[2]);                 // delete
            uow.Repository<Comment>().Add(new Comment { Text = "c6", Subject = new Photo { Title = "p3" } });
            await uow.CommitAsync();
        }

        var rows = await CommentsAsync();
        Assert.That(rows, Is.EquivalentTo(new Dictionary<string, (string?, string?)>
        {
            ["c1"] = ("Photo", "p2"),
            ["c2"] = ("Article", "a3"),
            ["c4"] = ("Photo", "p2"),
            ["c5"] = (null, null),
            ["c6"] = ("Photo", "p3"),
        }));
    }

    [Test]
    public async Task Include_of_a_row_whose_type_names_no_target_throws_naming_the_entity_the_column_and_the_value()
    {
        var premix = await CreatePremixWithTablesAsync(new CommentedArticleMap(), new PhotoMap(), new CommentMap());
        await SeedAsync();
        await ExecuteAsync($"INSERT INTO {Q("comments")} ({Q("Id")}, {Q("Text")}, {Q("subject_type")}, {Q("subject_id")}) VALUES (106, 'c6', 'Video', 101)");
        await using var uow = premix.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => uow.Repository<Comment>().Query().Include(c => c.Subject).ToListAsync());

        Assert.That(error!.Message, Does.StartWith("Comment 106 has SubjectType (column subject_type) = 'Video', which names none of the targets of Comment.Subject ('Article' for Article, 'Photo' for Photo"));
    }

    // Comments c1..c4 on article 101, photo 101, article 101, photo 102; c5 on nothing. Ids from 101, clear of generated keys.
    private async Task SeedAsync()
    {
        await ExecuteAsync($"INSERT INTO {Q("articles")} ({Q("Id")}, {Q("Title")}) VALUES (101, 'a1'), (102, 'a2')");
        await ExecuteAsync($"INSERT INTO {Q("photos")} ({Q("Id")}, {Q("Title")}) VALUES (101, 'p1'), (102, 'p2')");
        await ExecuteAsync(
            $"INSERT INTO {Q("comments")} ({Q("Id")}, {Q("Text")}, {Q("subject_type")}, {Q("subject_id")}) VALUES "
            + "(101, 'c1', 'Article', 101), (102, 'c2', 'Photo', 101), (103, 'c3', 'Article', 101), (104, 'c4', 'Photo', 102), (105, 'c5', NULL, NULL)");
    }

    // Each comment's text with its type column and the title of the row the pair points at.
    private async Task<Dictionary<string, (string?, string?)>> CommentsAsync()
    {
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Text, string? Type, string? Title)>(
            $"SELECT c.{Q("Text")}, c.{Q("subject_type")}, COALESCE(a.{Q("Title")}, p.{Q("Title")}) FROM {Q("comments")} c "
            + $"LEFT JOIN {Q("articles")} a ON c.{Q("subject_type")} = 'Article' AND a.{Q("Id")} = c.{Q("subject_id")} "
            + $"LEFT JOIN {Q("photos")} p ON c.{Q("subject_type")} = 'Photo' AND p.{Q("Id")} = c.{Q("subject_id")}");
        return rows.ToDictionary(r => r.Text, r => (r.Type, r.Title));
    }
}
