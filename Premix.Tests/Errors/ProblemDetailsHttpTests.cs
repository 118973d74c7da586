using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Errors;

/// <summary>
/// Premix's exceptions as RFC 9457 problem details over real HTTP (Kestrel on loopback), from endpoints that fail against
/// the fixture's real database: status, <c>application/problem+json</c>, a stable type, a trace id, and never a sensitive
/// value or SQL in the body. Arranged and checked through plain SQL.
/// </summary>
public sealed class ProblemDetailsHttpTests(Engine engine) : PremixTest(engine)
{
    private static readonly string SecretStart = ConstraintViolationTests.Secret[..24];
    private ProblemApp _app = null!;
    private long _bob;

    [SetUp]
    public async Task StartAsync()
    {
        await using (var premix = CreatePremix(p => p.AddModelConfiguration<MemberMap>().AddModelConfiguration<PostMap>()))
        {
            await RecreateTablesAsync(premix);
        }

        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("members")} ({Q("Handle")}, {Q("Email")}) VALUES ('ada', @Secret), ('bob', 'bob@example.com')", new { ConstraintViolationTests.Secret });
            _bob = await connection.ExecuteScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("members")} WHERE {Q("Handle")} = 'bob'");
        }

        _app = await ProblemApp.StartAsync(p => p.UseProvider(Provider).AddModelConfiguration<MemberMap>().AddModelConfiguration<PostMap>(), MapEndpoints);
    }

    [TearDown]
    public Task StopAsync() => _app.DisposeAsync().AsTask();

    [Test]
    public async Task A_missing_member_is_404_not_found()
    {
        var answer = await _app.SendAsync(HttpMethod.Get, "/members/999999");

        AssertProblem(answer, 404, "urn:premix:problem:not-found");
        Assert.That(answer.Field("entity"), Is.EqualTo("Member"));
    }

    [Test]
    public async Task An_invalid_member_is_400_with_errors_per_member_and_nothing_written()
    {
        var answer = await _app.SendAsync(HttpMethod.Post, "/members", new { handle = new string('h', 50), email = "no-at-sign-" + ConstraintViolationTests.Secret.Replace("@", "", StringComparison.Ordinal) });

        AssertProblem(answer, 400, "urn:premix:problem:validation");
        var errors = answer.Json.GetProperty("errors");
        Assert.That(errors.GetProperty("Member").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Email must contain '@'." }));
        Assert.That(errors.GetProperty("Handle").GetArrayLength(), Is.EqualTo(1));
        Assert.That(await CountRowsAsync("members"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_duplicate_sensitive_email_is_409_naming_the_constraint_without_the_value_and_nothing_written()
    {
        var answer = await _app.SendAsync(HttpMethod.Post, "/members", new { handle = "copycat", email = ConstraintViolationTests.Secret });

        AssertProblem(answer, 409, "urn:premix:problem:unique-constraint");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Field("constraint"), Is.EqualTo(Engine == Engine.Sqlite ? null : "ux_members_Email"), "SQLite names no constraint");
            Assert.That(answer.Json.GetProperty("columns").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "Email" }));
            Assert.That(await CountRowsAsync("members"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_post_for_a_missing_member_is_409_foreign_key_violation_and_nothing_written()
    {
        var answer = await _app.SendAsync(HttpMethod.Post, "/posts", new { memberId = 999999, title = "orphan" });

        AssertProblem(answer, 409, "urn:premix:problem:foreign-key-violation");
        Assert.That(answer.Field("constraint"), Is.EqualTo(Engine == Engine.Sqlite ? null : "fk_posts_MemberId"), "SQLite names no constraint");
        Assert.That(await CountRowsAsync("posts"), Is.Zero);
    }

    [Test]
    public async Task A_member_deleted_by_someone_else_before_the_update_is_409_concurrency_conflict()
    {
        var answer = await _app.SendAsync(HttpMethod.Put, $"/members/{_bob}/handle-after-someone-deletes-it", new { handle = "robert" });

        AssertProblem(answer, 409, "urn:premix:problem:concurrency-conflict");
        Assert.That(answer.Field("entity"), Is.EqualTo("Member"));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("members")} WHERE {Q("Handle")} = 'robert'"), Is.Zero);
    }

    [Test]
    public async Task A_database_error_Premix_does_not_map_is_left_to_the_application_and_its_SQL_stays_out_of_the_body()
    {
        var answer = await _app.SendAsync(HttpMethod.Get, "/broken");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Status, Is.EqualTo(500));
            Assert.That(answer.Field("type"), Does.Not.StartWith("urn:premix:"), "ASP.NET Core's own answer, not Premix's");
            Assert.That(answer.Text, Does.Not.Contain("no_such_table"));
        }
    }

    [Test]
    public async Task A_successful_write_still_answers_normally()
    {
        var answer = await _app.SendAsync(HttpMethod.Post, "/members", new { handle = "carol", email = "carol@example.com" });

        Assert.That(answer.Status, Is.EqualTo(201));
        Assert.That(await CountRowsAsync("members"), Is.EqualTo(3));
    }

    /// <summary>What every Premix problem carries: status, media type, stable type, trace id, and no secret or SQL.</summary>
    internal static void AssertProblem(ProblemApp.Answer answer, int status, string type)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.Status, Is.EqualTo(status), answer.Text);
            Assert.That(answer.ContentType, Is.EqualTo("application/problem+json"));
            Assert.That(answer.Field("type"), Is.EqualTo(type));
            Assert.That(answer.Field("status"), Is.EqualTo(status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(answer.Field("title"), Is.Not.Empty);
            Assert.That(answer.Field("traceId"), Is.Not.Empty);
            Assert.That(answer.Text, Does.Not.Contain(SecretStart));
            Assert.That(answer.Text, Does.Not.Contain("SQL:").And.Not.Contain("INSERT INTO").And.Not.Contain("SELECT ").And.Not.Contain("UPDATE ").And.Not.Contain("DELETE FROM"));
        }
    }

    private void MapEndpoints(WebApplication app)
    {
        app.MapGet("/members/{id:long}", async (long id, IRepository<Member> members, CancellationToken ct) => await members.GetAsync(id, ct));
        app.MapPost("/members", async (MemberInput input, IRepository<Member> members, IUnitOfWork uow, CancellationToken ct) =>
        {
            var member = new Member { Handle = input.Handle, Email = input.Email };
            members.Add(member);
            await uow.CommitAsync(ct);
            return Results.Created($"/members/{member.Id}", null);
        });
        app.MapPost("/posts", async (PostInput input, IRepository<Post> posts, IUnitOfWork uow, CancellationToken ct) =>
        {
            posts.Add(new Post { MemberId = input.MemberId, Title = input.Title });
            await uow.CommitAsync(ct);
            return Results.Created();
        });
        app.MapPut("/members/{id:long}/handle-after-someone-deletes-it", async (long id, MemberInput input, IRepository<Member> members, IUnitOfWork uow, CancellationToken ct) =>
        {
            var member = await members.GetAsync(id, ct);
            await using (var connection = await OpenConnectionAsync())
            {
                await connection.ExecuteAsync($"DELETE FROM {Q("members")} WHERE {Q("Id")} = @id", new { id });
            }

            member.Handle = input.Handle;
            members.Update(member);
            await uow.CommitAsync(ct);
            return Results.NoContent();
        });
        app.MapGet("/broken", async (IPremix premix, CancellationToken ct) => await premix.Raw("SELECT x FROM no_such_table").ScalarAs<int>(ct));
    }

    private sealed record MemberInput(string Handle, string Email);

    private sealed record PostInput(long MemberId, string Title);
}
