using Microsoft.AspNetCore.Builder;
using Premix.AspNetCore;
using Premix.Providers;

namespace Premix.Tests.Errors;

/// <summary>
/// The answers to failures no endpoint can cause on demand against a test database (a connection lost during COMMIT, a
/// failure still transient after Premix's retries; both are produced for real in the resilience tests), over real HTTP:
/// the endpoints throw the exceptions Premix throws, with a driver message that holds a secret and SQL.
/// </summary>
public sealed class ProblemMappingHttpTests
{
    private const string Secret = "ada.secret@example.com";
    private const string DriverMessage = "Lost connection during INSERT INTO members (Email) VALUES ('" + Secret + "')";

    [Test]
    public async Task A_commit_whose_outcome_is_unknown_is_500_with_its_own_type_and_no_Retry_After()
    {
        await using var app = await StartAsync(() => throw new CommitOutcomeUnknownException("The connection was lost while COMMIT was in flight.", new IOException(DriverMessage)));

        var answer = await app.SendAsync(HttpMethod.Post, "/fail");

        ProblemDetailsHttpTests.AssertProblem(answer, 500, "urn:premix:problem:commit-outcome-unknown");
        Assert.That(answer.RetryAfter, Is.Null, "a retry could save the changes twice");
        Assert.That(answer.Text, Does.Not.Contain(Secret));
    }

    [Test]
    public async Task A_failure_still_transient_after_retries_is_503_with_Retry_After()
    {
        await using var app = await StartAsync(
            () => throw new DatabaseCommandException("Insert", "Member", "INSERT INTO members (Email) VALUES (@Email)", DriverMessage, new IOException(DriverMessage), DatabaseErrorKind.Transient),
            o => o.RetryAfter = TimeSpan.FromSeconds(30));

        var answer = await app.SendAsync(HttpMethod.Post, "/fail");

        ProblemDetailsHttpTests.AssertProblem(answer, 503, "urn:premix:problem:database-unavailable");
        Assert.That(answer.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(answer.Text, Does.Not.Contain(Secret));
    }

    [Test]
    public async Task The_type_base_is_configurable()
    {
        await using var app = await StartAsync(() => throw new EntityNotFoundException(typeof(ProblemMappingHttpTests), 7), o => o.TypeBaseUri = "https://api.example.com/problems/");

        var answer = await app.SendAsync(HttpMethod.Post, "/fail");

        ProblemDetailsHttpTests.AssertProblem(answer, 404, "https://api.example.com/problems/not-found");
    }

    [Test]
    public async Task An_exception_that_is_not_Premix_s_is_left_to_the_application()
    {
        await using var app = await StartAsync(() => throw new InvalidOperationException(DriverMessage));

        var answer = await app.SendAsync(HttpMethod.Post, "/fail");

        Assert.That(answer.Status, Is.EqualTo(500));
        Assert.That(answer.Field("type"), Does.Not.StartWith("urn:premix:"));
    }

    private static Task<ProblemApp> StartAsync(Action fail, Action<PremixProblemDetailsOptions>? configure = null) =>
        ProblemApp.StartAsync(
            null,
            app => app.MapPost("/fail", () =>
            {
                fail();
                return "unreachable";
            }),
            configure);
}
