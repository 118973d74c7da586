using Microsoft.AspNetCore.Builder;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Errors;

/// <summary>
/// A request that finds the connection pool held full is answered 503 with Retry-After, over real HTTP. PostgreSQL and
/// MariaDB only: SQLite is in-process and has no sized pool to exhaust (see <c>ConnectionPoolTests</c>).
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class PoolExhaustedHttpTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_request_that_finds_the_pool_held_full_is_503_with_Retry_After()
    {
        var application = "problem-pool-" + Guid.NewGuid().ToString("N")[..8]; // a pool of its own, shared with no other test
        await using var app = await ProblemApp.StartAsync(
            p =>
            {
                _ = Engine == Engine.PostgreSql
                    ? p.UsePostgreSql(ConnectionString + ";Application Name=" + application)
                    : p.UseMySql(ConnectionString + ";Application Name=" + application);
                p.ConfigureConnectionPool(o =>
                {
                    o.MaxPoolSize = 1;
                    o.ConnectTimeout = TimeSpan.FromSeconds(1);
                }).AllowEmptyModel();
            },
            app => app.MapGet("/held-pool", async (IPremix premix, CancellationToken ct) =>
            {
                await using var holder = premix.BeginUnitOfWork();
                await holder.Raw("CREATE TEMPORARY TABLE held (id INT)").ExecuteAsync(ct); // a raw write: its transaction holds the one connection
                await using var other = premix.BeginUnitOfWork();
                return await other.Raw("SELECT 1").ReadOnly().ScalarAs<int>(ct);
            }));

        var answer = await app.SendAsync(HttpMethod.Get, "/held-pool");

        ProblemDetailsHttpTests.AssertProblem(answer, 503, "urn:premix:problem:connection-pool-exhausted");
        Assert.That(answer.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }
}
