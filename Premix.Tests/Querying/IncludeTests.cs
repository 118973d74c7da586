using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// Include loads each relation with one query for the whole result set, stitches both directions, and hides soft-deleted
/// rows. Statements are counted with Premix.Testing's recorder, as an application's tests would count them.
/// </summary>
public sealed class IncludeTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new BlogMap(), new PostMap(), new CommentMap(), new BlogSettingsMap());
        await using var uow = _premix.BeginUnitOfWork();
        for (var b = 0; b < 1000; b++)
        {
            var blog = new Blog { Name = $"blog {b:0000}", Settings = b % 2 == 0 ? new BlogSettings { Theme = $"theme {b}" } : null };
            for (var p = 0; p <= (b % 3); p++)
            {
                blog.Posts.Add(new Post { Title = $"post {b}.{p}", Comments = [new Comment { Text = "first" }, new Comment { Text = "hidden", DeletedAt = DateTime.UtcNow }] });
            }

            uow.Repository<Blog>().Add(blog);
        }

        await uow.CommitAsync();
    }

    [TestCase(1)]
    [TestCase(10)]
    [TestCase(1000)]
    public async Task Including_two_levels_for_any_number_of_parents_sends_exactly_three_statements(int parents)
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var blogs = await uow.Repository<Blog>().Query().OrderBy(b => b.Name).Take(parents).Include(b => b.Posts).ThenInclude(p => p.Comments).ToListAsync();

        queries.AssertCount(3).AssertCount(1, StatementKind.Select, "blogs").AssertCount(1, StatementKind.Select, "posts").AssertCount(1, StatementKind.Select, "comments");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(blogs, Has.Count.EqualTo(parents));
            Assert.That(blogs.Select(b => b.Posts.Count), Is.EqualTo(Enumerable.Range(0, parents).Select(b => (b % 3) + 1)));
            Assert.That(blogs.SelectMany(b => b.Posts).SelectMany(p => p.Comments).Select(c => c.Text), Is.All.EqualTo("first"), "soft-deleted comments stay hidden");
            Assert.That(blogs.SelectMany(b => b.Posts).All(p => p.Blog is not null && p.Blog.Posts.Contains(p)), Is.True, "each post points back at its blog");
        }
    }

    // Untracked, each level's rows are read straight into the list the next level loads from.
    [Test]
    public async Task Untracked_ThenInclude_loads_every_level_down_and_up_as_plain_SQL_counts_them()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var blogs = await uow.Repository<Blog>().Query().AsNoTracking().OrderBy(b => b.Name).Take(10).Include(b => b.Posts).ThenInclude(p => p.Comments).ToListAsync();
        var posts = await uow.Repository<Post>().Query().AsNoTracking().Where(p => p.Title == "post 2.0").Include(p => p.Blog).ThenInclude(b => b!.Settings).ToListAsync();

        var names = string.Join(", ", blogs.Select(b => $"'{b.Name}'"));
        var postCount = await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("posts")} p JOIN {Q("blogs")} b ON b.{Q("Id")} = p.{Q("BlogId")} WHERE b.{Q("Name")} IN ({names})");
        var commentCount = await ScalarAsync<long>(
            $"SELECT COUNT(*) FROM {Q("comments")} c JOIN {Q("posts")} p ON p.{Q("Id")} = c.{Q("PostId")} JOIN {Q("blogs")} b ON b.{Q("Id")} = p.{Q("BlogId")} WHERE b.{Q("Name")} IN ({names}) AND c.{Q("DeletedAt")} IS NULL");
        var theme = await ScalarAsync<string>($"SELECT s.{Q("Theme")} FROM {Q("blog_settings")} s JOIN {Q("blogs")} b ON b.{Q("Id")} = s.{Q("BlogId")} WHERE b.{Q("Name")} = 'blog 0002'");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(blogs.Sum(b => b.Posts.Count), Is.EqualTo(postCount), "the posts of the ten blogs");
            Assert.That(blogs.SelectMany(b => b.Posts).Sum(p => p.Comments.Count), Is.EqualTo(commentCount), "their comments not soft-deleted, loaded by ThenInclude");
            Assert.That(posts.Single().Blog!.Settings!.Theme, Is.EqualTo(theme), "the settings of the post's blog, loaded by ThenInclude after a BelongsTo");
        }
    }

    [Test]
    public async Task Including_a_parent_stitches_it_and_tracked_parents_are_the_identity_map_instances()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var blog = await uow.Repository<Blog>().Query().Where(b => b.Name == "blog 0002").SingleAsync();

        var posts = await uow.Repository<Post>().Query().Where(p => p.BlogId == blog.Id).Include(p => p.Blog).ToListAsync();
        var untracked = await uow.Repository<Post>().Query().AsNoTracking().Where(p => p.BlogId == blog.Id).Include(p => p.Blog).ToListAsync();

        Assert.That(posts, Has.Count.EqualTo(3));
        Assert.That(posts.Select(p => p.Blog), Is.All.SameAs(blog));
        Assert.That(blog.Posts, Is.EquivalentTo(posts), "the parent's collection is filled from the loaded children");
        Assert.That(untracked.Select(p => p.Blog), Is.All.Not.SameAs(blog).And.Property(nameof(Blog.Name)).EqualTo("blog 0002"));
    }

    [Test]
    public async Task Including_a_one_to_one_child_sets_it_or_null_and_points_it_back()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var blogs = await uow.Repository<Blog>().Query().OrderBy(b => b.Name).Take(10).Include(b => b.Settings).ToListAsync();
        var untracked = await uow.Repository<Blog>().Query().AsNoTracking().OrderBy(b => b.Name).Take(10).Include(b => b.Settings).ToListAsync();

        queries.AssertCount(4).AssertCount(2, StatementKind.Select, "blog_settings"); // 1 + 1 include, twice
        using (Assert.EnterMultipleScope())
        {
            Assert.That(blogs.Select(b => b.Settings?.Theme), Is.EqualTo(Enumerable.Range(0, 10).Select(b => b % 2 == 0 ? $"theme {b}" : null)));
            Assert.That(blogs.Where(b => b.Settings is not null).All(b => b.Settings!.Blog == b && b.Settings.BlogId == b.Id), Is.True, "each child points back at its parent");
            Assert.That(untracked.Select(b => b.Settings?.Theme), Is.EqualTo(blogs.Select(b => b.Settings?.Theme)));
            Assert.That(untracked[0].Settings, Is.Not.SameAs(blogs[0].Settings));
        }
    }

    [Test]
    public async Task Including_the_parent_of_a_one_to_one_child_fills_the_parents_navigation()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var settings = await uow.Repository<BlogSettings>().Query().Where(s => s.Theme == "theme 4").Include(s => s.Blog).SingleAsync();

        Assert.That(settings.Blog!.Name, Is.EqualTo("blog 0004"));
        Assert.That(settings.Blog.Settings, Is.SameAs(settings));
    }

    [Test]
    public async Task A_new_one_to_one_child_is_inserted_after_its_parent_with_the_parents_key()
    {
        long id;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var blog = new Blog { Name = "one-to-one", Settings = new BlogSettings { Theme = "fresh" } };
            uow.Repository<Blog>().Add(blog);
            await uow.CommitAsync();
            id = blog.Id;
        }

        Assert.That(await ScalarAsync<long>($"SELECT {Q("BlogId")} FROM {Q("blog_settings")} WHERE {Q("Theme")} = 'fresh'"), Is.EqualTo(id));
    }

    [Test]
    public async Task A_one_to_one_child_found_twice_is_a_data_error_that_names_the_relation_and_the_fix()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var blog = await uow.Repository<Blog>().Query().Where(b => b.Name == "blog 0006").SingleAsync();
        await uow.Raw($"INSERT INTO {I("blog_settings")} ({I("BlogId")}, {I("Theme")}) VALUES ({blog.Id}, 'second')").ExecuteAsync(); // rolled back with the unit of work

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => uow.Repository<Blog>().Query().Where(b => b.Id == blog.Id).Include(b => b.Settings).ToListAsync());

        Assert.That(error!.Message, Does.Contain("Blog.Settings is mapped with HasOne, but 2 BlogSettings rows").And.Contain("Make the foreign key column unique"));
    }

    [Test]
    public async Task A_bulk_update_refreshes_a_thousand_tracked_entities_with_one_statement()
    {
        await using var uow = _premix.BeginUnitOfWork(); // disposed without commit: the update is rolled back
        var blogs = await uow.Repository<Blog>().ListAsync();
        using var queries = uow.RecordQueries();

        var updated = await uow.Repository<Blog>().Query().Where(b => b.Name == "blog 0001").UpdateAllAsync(s => s.Set(b => b.Name, "renamed"));

        Assert.That(blogs, Has.Count.GreaterThanOrEqualTo(1000));
        queries.AssertCount(2).AssertCount(1, StatementKind.Update, "blogs").AssertCount(1, StatementKind.Select, "blogs"); // the UPDATE and one IN read of every tracked key
        Assert.That(updated, Is.EqualTo(1));
        Assert.That(blogs.Count(b => b.Name == "renamed"), Is.EqualTo(1), "the tracked instance shows the bulk change");
    }

    [Test]
    public void Including_a_property_that_is_not_a_mapped_relation_says_how_to_declare_it()
    {
        var error = Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            await using var uow = _premix.BeginUnitOfWork();
            await uow.Repository<Blog>().Query().Take(1).Include(b => b.Unmapped).ToListAsync();
        });

        Assert.That(error!.Message, Does.Contain("Unmapped is not a relation").And.Contain("HasMany(...), HasOne(...) or BelongsTo(...)"));
    }

    public sealed class Blog
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public List<Post> Posts { get; set; } = [];

        public List<Post> Unmapped { get; set; } = [];

        public BlogSettings? Settings { get; set; }
    }

    public sealed class BlogSettings
    {
        public long Id { get; set; }

        public long BlogId { get; set; }

        public string Theme { get; set; } = "";

        public Blog? Blog { get; set; }
    }

    public sealed class Post
    {
        public long Id { get; set; }

        public long BlogId { get; set; }

        public string Title { get; set; } = "";

        public Blog? Blog { get; set; }

        public List<Comment> Comments { get; set; } = [];
    }

    public sealed class Comment
    {
        public long Id { get; set; }

        public long PostId { get; set; }

        public string Text { get; set; } = "";

        public DateTime? DeletedAt { get; set; }
    }

    private sealed class BlogMap : ModelConfiguration<Blog>
    {
        public override void Configure(EntityBuilder<Blog> e)
        {
            e.ToTable("blogs");
            e.Property(b => b.Name).HasMaxLength(20);
            e.HasMany(b => b.Posts).WithForeignKey(p => p.BlogId);
            e.HasOne(b => b.Settings).WithForeignKey(s => s.BlogId);
            e.Ignore(b => b.Unmapped);
        }
    }

    private sealed class PostMap : ModelConfiguration<Post>
    {
        public override void Configure(EntityBuilder<Post> e)
        {
            e.ToTable("posts");
            e.Property(p => p.Title).HasMaxLength(30);
            e.BelongsTo(p => p.Blog).WithForeignKey(p => p.BlogId);
            e.HasMany(p => p.Comments).WithForeignKey(c => c.PostId);
        }
    }

    private sealed class CommentMap : ModelConfiguration<Comment>
    {
        public override void Configure(EntityBuilder<Comment> e)
        {
            e.ToTable("comments");
            e.Property(c => c.Text).HasMaxLength(20);
            e.SoftDelete(c => c.DeletedAt);
        }
    }

    private sealed class BlogSettingsMap : ModelConfiguration<BlogSettings>
    {
        public override void Configure(EntityBuilder<BlogSettings> e)
        {
            e.ToTable("blog_settings");
            e.Property(s => s.Theme).HasMaxLength(20);
            e.BelongsTo(s => s.Blog).WithForeignKey(s => s.BlogId);
        }
    }
}
