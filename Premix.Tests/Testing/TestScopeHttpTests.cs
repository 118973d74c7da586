using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>
/// A test that owns an ASP.NET Core app on Kestrel shares its scope with the app's requests (BeginSharedAsync): a request
/// that commits is seen by the test through the scope, and plain SQL sees nothing once the scope ends.
/// </summary>
public sealed class TestScopeHttpTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_request_that_commits_is_seen_through_the_shared_scope_and_gone_after_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddPremix(p => p.UseProvider(Provider).AddModelConfiguration(new CustomerMap()));
        await using var app = builder.Build();
        app.MapPost("/customers", async (CustomerInput input, IRepository<Customer> customers, IUnitOfWork uow, CancellationToken ct) =>
        {
            customers.Add(new Customer { Name = input.Name });
            await uow.CommitAsync(ct);
            return Results.Created();
        });
        app.MapGet("/customers/count", async (IUnitOfWork uow, CancellationToken ct) => await uow.Repository<Customer>().Query().CountAsync(ct));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var premix = app.Services.GetRequiredService<IPremix>();
        await PremixTestDatabase.EnsureSchemaAsync(premix);

        await using (var scope = await PremixTestScope.BeginSharedAsync(premix))
        {
            using var created = await client.PostAsJsonAsync("/customers", new CustomerInput("Ada"));
            Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());

            Assert.That(await client.GetFromJsonAsync<long>("/customers/count"), Is.EqualTo(1), "a later request sees it");
            Assert.That(await scope.Connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")}", transaction: scope.Transaction), Is.EqualTo(1), "the test sees it through the scope");
            Assert.That(await CountRowsAsync("customers"), Is.Zero, "nothing was committed");
        }

        Assert.That(await CountRowsAsync("customers"), Is.Zero, "the scope rolled the request's commit back");
        await app.StopAsync();
    }

    private sealed record CustomerInput(string Name);
}
