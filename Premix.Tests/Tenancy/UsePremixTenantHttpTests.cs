using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Premix.AspNetCore;
using Premix.Mapping;
using Premix.Repositories;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// <c>UsePremixTenant</c> end to end: an app on Kestrel at a free loopback port (as the web sample's tests run it), its
/// tenant named by a header, a database per tenant. Requests of two tenants read and write only their own rows, through
/// scoped repositories and through raw SQL on the <see cref="IPremix"/> singleton (which only the middleware's ambient
/// tenant reaches); a request naming no tenant fails closed with 400 <c>tenant-required</c>. Checked through plain SQL.
/// </summary>
public sealed class UsePremixTenantHttpTests(Engine engine) : ProviderTest(engine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, IsolatedDatabase> _tenants = new(StringComparer.Ordinal);
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAppAsync()
    {
        foreach (var tenant in new[] { "acme", "globex" })
        {
            var database = await IsolatedDatabase.CreateAsync(Engine);
            _tenants[tenant] = database;
            await TenantSql.ExecuteAsync(Engine, database.ConnectionString, TenantTables.Create(Engine) + TenantTables.Seed(tenant, tenant == "acme" ? 100 : 200) + TenantSql.RestartIdentities(Engine));
        }

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_logs);
        builder.Services.AddPremix(p => p.Use(Engine, ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
            .AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>()
            .UseTenants(t => t.DatabasePerTenant(_tenants.ToDictionary(d => d.Key, d => d.Value.ConnectionString))));
        builder.Services.AddPremixTenantResolver(t => t.FromHeader("X-Tenant-Id"));
        builder.Services.AddPremixProblemDetails();
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.UsePremixTenant();
        _app.MapGet("/accounts", async (IRepository<TenantAccount> accounts, CancellationToken ct) =>
            (await accounts.Query().OrderBy(a => a.Id).ToListAsync(ct)).Select(a => a.Name).ToList());
        _app.MapPost("/accounts", async (string name, IRepository<TenantAccount> accounts, IUnitOfWork uow, IPremix premix, CancellationToken ct) =>
        {
            accounts.Add(new TenantAccount { Name = name });
            await uow.CommitAsync(ct);

            // The singleton has no scope: only the tenant UsePremixTenant made ambient takes its raw SQL to the tenant's database.
            return Results.Ok(new { Accounts = await premix.Raw("SELECT COUNT(*) FROM accounts").ScalarAs<long>(ct) });
        });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    [OneTimeTearDown]
    public async Task StopAppAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var database in _tenants.Values)
        {
            await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
            await database.DropAsync(connection);
        }
    }

    [Test]
    public async Task Requests_of_two_tenants_read_and_write_only_their_own_database_and_one_naming_no_tenant_is_refused_with_400()
    {
        var acmeWrite = await SendAsync(HttpMethod.Post, "/accounts?name=acme-web", "acme");
        var globexWrite = await SendAsync(HttpMethod.Post, "/accounts?name=globex-web", "globex");
        var acmeRead = await SendAsync(HttpMethod.Get, "/accounts", "acme");
        var globexRead = await SendAsync(HttpMethod.Get, "/accounts", "globex");
        var anonymousWrite = await SendAsync(HttpMethod.Post, "/accounts?name=nobody", null);
        var anonymousRead = await SendAsync(HttpMethod.Get, "/accounts", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(acmeWrite.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await acmeWrite.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("accounts").GetInt64(), Is.EqualTo(3), "the singleton's raw SQL counted acme's rows");
            Assert.That((await globexWrite.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("accounts").GetInt64(), Is.EqualTo(3), "and globex's");
            Assert.That(await acmeRead.Content.ReadFromJsonAsync<List<string>>(Json), Is.EqualTo(new[] { "acme-1", "acme-2", "acme-web" }));
            Assert.That(await globexRead.Content.ReadFromJsonAsync<List<string>>(Json), Is.EqualTo(new[] { "globex-1", "globex-2", "globex-web" }));
            Assert.That(await NamesAsync("acme"), Is.EqualTo(new[] { "acme-1", "acme-2", "acme-web" }), "acme's database, through plain SQL");
            Assert.That(await NamesAsync("globex"), Is.EqualTo(new[] { "globex-1", "globex-2", "globex-web" }), "globex's database, through plain SQL");

            foreach (var refused in new[] { anonymousWrite, anonymousRead })
            {
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
                Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That((await refused.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("type").GetString(), Does.EndWith(PremixProblemTypes.TenantRequired));
            }
        }
    }

    [Test]
    public async Task A_request_naming_no_tenant_is_logged_as_a_warning_with_its_method_and_path_and_no_tenant_value()
    {
        var before = TenantRequiredWarnings().Count;

        var refused = await SendAsync(HttpMethod.Post, "/accounts?name=nobody-secret", null);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var warnings = TenantRequiredWarnings().Skip(before).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), "one warning for the request");
        Assert.That(warnings[0], Does.StartWith("POST /accounts named no tenant").And.Contain("tenant resolver"));
        Assert.That(warnings[0], Does.Not.Contain("nobody-secret"), "the query string stays out of the log");
        Assert.That(await NamesAsync("acme"), Does.Not.Contain("nobody-secret"), "nothing written");
        Assert.That(await NamesAsync("globex"), Does.Not.Contain("nobody-secret"), "nothing written");
    }

    private List<string> TenantRequiredWarnings() =>
        [.. _logs.Entries.Where(e => e.Id == PremixEventId.TenantRequiredAnswered && e.Level == LogLevel.Warning).Select(e => e.Message)];

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? tenant)
    {
        using var request = new HttpRequestMessage(method, path);
        if (tenant is not null)
        {
            request.Headers.Add("X-Tenant-Id", tenant);
        }

        return await _client.SendAsync(request);
    }

    private Task<List<string>> NamesAsync(string tenant) => TenantSql.ColumnAsync(Engine, _tenants[tenant].ConnectionString, "SELECT name FROM accounts ORDER BY id");
}
