using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Errors;

/// <summary>
/// Unique and foreign-key violations come out of every path (a commit, a bulk statement, raw SQL) as
/// <see cref="UniqueConstraintException"/> and <see cref="ForeignKeyViolationException"/>, naming what the engine and the
/// mapping tell, with no value of the row in any message, log line or ToString, and nothing written.
/// </summary>
public sealed class ConstraintViolationTests(Engine engine) : PremixTest(engine)
{
    // Longer than the 64 characters MariaDB keeps of a duplicate entry, so a mask that only replaced the whole value
    // would miss the truncated one the server prints.
    internal static readonly string Secret = "ada." + new string('s', 150) + "@example.com";
    private static readonly string SecretStart = Secret[..24];

    private CapturingLoggerProvider _logs = null!;
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _logs = new CapturingLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _premix = CreatePremix(p => p.AddModelConfiguration<MemberMap>().AddModelConfiguration<PostMap>().AddModelConfiguration<TagMap>().EnableParameterLogging(), factory);
        await RecreateTablesAsync(_premix);
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"INSERT INTO {Q("members")} ({Q("Handle")}, {Q("Email")}) VALUES ('ada', @Secret), ('bob', 'bob@example.com')", new { Secret });
        await connection.ExecuteAsync($"INSERT INTO {Q("posts")} ({Q("MemberId")}, {Q("Title")}) SELECT {Q("Id")}, 'hello' FROM {Q("members")} WHERE {Q("Handle")} = 'ada'");
        await connection.ExecuteAsync($"INSERT INTO {Q("tags")} ({Q("Code")}, {Q("Label")}) VALUES ('news', 'News')");
    }

    [TearDown]
    public async Task DisposePremixAsync()
    {
        await _premix.DisposeAsync();
        _logs.Dispose();
    }

    [Test]
    public async Task Commit_duplicating_a_sensitive_email_throws_UniqueConstraintException_with_index_and_column_and_the_value_masked_everywhere()
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Member>().Add(new Member { Handle = "carol", Email = "carol@example.com" });
        uow.Repository<Member>().Add(new Member { Handle = "copycat", Email = Secret });

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.InstanceOf<DatabaseCommandException>());
            Assert.That(error.ConstraintName, Is.EqualTo(Engine == Engine.Sqlite ? null : "ux_members_Email"), "SQLite names no constraint");
            Assert.That(error.Table, Is.EqualTo("members"));
            Assert.That(error.Columns, Is.EqualTo(new[] { "Email" }));
            Assert.That(error.IsTransient, Is.False);
            AssertNoSecret(error);
            Assert.That(await CountRowsAsync("members"), Is.EqualTo(2), "neither member of the commit was written");
        }
    }

    [Test]
    public async Task Commit_duplicating_a_client_assigned_key_throws_UniqueConstraintException_naming_the_key_column()
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Tag>().Add(new Tag { Code = "news", Label = "Again" });

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.ConstraintName, Is.EqualTo(Engine switch { Engine.PostgreSql => "tags_pkey", Engine.MySql => "PRIMARY", _ => null }));
            Assert.That(error.Table, Is.EqualTo("tags"));
            Assert.That(error.Columns, Is.EqualTo(new[] { "Code" }));
            Assert.That(error.Message, Does.Not.Contain("'news'"), "the engine's text shows no value, sensitive or not");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Label")} FROM {Q("tags")}"), Is.EqualTo("News"));
        }
    }

    [Test]
    public async Task UpdateAll_duplicating_a_handle_throws_UniqueConstraintException_and_changes_no_row()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var error = Assert.ThrowsAsync<UniqueConstraintException>(() =>
                uow.Repository<Member>().Query().Where(m => m.Handle == "bob").UpdateAllAsync(s => s.Set(m => m.Handle, "ada")))!;

            using (Assert.EnterMultipleScope())
            {
                Assert.That(error.Operation, Does.Contain("Update"));
                Assert.That(error.Columns, Is.EqualTo(new[] { "Handle" }));
                Assert.That(error.Table, Is.EqualTo("members"));
            }
        }

        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("members")} WHERE {Q("Handle")} = 'bob'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Raw_insert_duplicating_a_sensitive_email_throws_UniqueConstraintException_with_the_value_masked()
    {
        var insert = $"INSERT INTO {Q("members")} ({Q("Handle")}, {Q("Email")}) VALUES (@handle, @email)";

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => _premix.Raw(insert, new { handle = "raw", email = Secret }).Sensitive("email").ExecuteAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Operation, Is.EqualTo("Raw"));
            Assert.That(error.Columns, Is.EqualTo(new[] { "Email" }), "from the engine (SQLite) or the mapping's index of that name");
            AssertNoSecret(error);
            Assert.That(await CountRowsAsync("members"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Commit_of_a_post_for_a_missing_member_throws_ForeignKeyViolationException_naming_what_the_engine_tells()
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Post>().Add(new Post { MemberId = 999_999, Title = "orphan" });

        var error = Assert.ThrowsAsync<ForeignKeyViolationException>(() => uow.CommitAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.InstanceOf<DatabaseCommandException>());
            if (Engine == Engine.Sqlite)
            {
                // SQLite says "FOREIGN KEY constraint failed" and nothing more.
                Assert.That((error.ConstraintName, error.Table, error.Columns.Count, error.ReferencedTable), Is.EqualTo(((string?)null, (string?)null, 0, (string?)null)));
            }
            else
            {
                Assert.That(error.ConstraintName, Is.EqualTo("fk_posts_MemberId"));
                Assert.That(error.Table, Is.EqualTo("posts"));
                Assert.That(error.Columns, Is.EqualTo(new[] { "MemberId" }));
                Assert.That(error.ReferencedTable, Is.EqualTo("members"));
            }

            Assert.That(error.Message, Does.Not.Contain("999999"));
            Assert.That(await CountRowsAsync("posts"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task DeleteAll_of_a_referenced_member_throws_ForeignKeyViolationException_and_deletes_nothing()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var error = Assert.ThrowsAsync<ForeignKeyViolationException>(() => uow.Repository<Member>().Query().Where(m => m.Handle == "ada").DeleteAllAsync())!;

            Assert.That(error.ConstraintName, Is.EqualTo(Engine == Engine.Sqlite ? null : "fk_posts_MemberId"));
            AssertNoSecret(error);
        }

        Assert.That(await CountRowsAsync("members"), Is.EqualTo(2));
    }

    private void AssertNoSecret(Exception error)
    {
        var texts = new List<string> { error.ToString(), error.Message };
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            texts.Add(inner.ToString());
            texts.AddRange(inner.Data.Values.Cast<object?>().Select(v => v?.ToString() ?? string.Empty));
        }

        texts.AddRange(_logs.Entries.Select(e => e.Message));
        Assert.That(texts, Has.None.Contains(SecretStart));
    }
}
