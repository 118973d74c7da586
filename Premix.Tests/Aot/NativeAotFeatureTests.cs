using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Premix.AspNetCore;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;
using Premix.Tests.Tenancy;

namespace Premix.Tests.Aot;

/// <summary>
/// The rest of Premix in the native AOT sample's published binary, each switched on by the configuration the test passes
/// (samples/Premix.AotSample/Program.cs): the embedded migrations applied by the one-shot <c>Shop:Migrate=true</c> run
/// (docs/migrations.md), the health checks of a database that does not answer, and a database per tenant named by a
/// header (docs/multi-tenancy.md). On SQLite, PostgreSQL and MariaDB; checked through plain SQL.
/// </summary>
[TestFixtureSource(typeof(AotSampleTest), nameof(AotSampleTest.AotEngines))]
public sealed class NativeAotFeatureTests(Engine engine) : PremixTest(engine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Test]
    public async Task The_one_shot_migrate_run_applies_the_embedded_migration_once_and_exits_and_readiness_then_finds_none_pending()
    {
        var published = await NativeAotPublish.GetAsync();
        string[] arguments = [$"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}", $"--ConnectionStrings:shop={ConnectionString}", "--Shop:Migrate=true"];

        var first = await NativeAotApp.RunToExitAsync(published.Binary, arguments);
        var second = await NativeAotApp.RunToExitAsync(published.Binary, arguments);
        await using var app = await NativeAotApp.StartAsync(published.Binary, arguments[..2]);
        using var client = new HttpClient { BaseAddress = app.Address };
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ExitCode, Is.Zero, first.Output);
            Assert.That(second.ExitCode, Is.Zero, second.Output);
            Assert.That(await ScalarAsync<string>("SELECT note FROM shop_notes WHERE id = 1"), Is.EqualTo("migrated"));
            Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM shop_notes"), Is.EqualTo(1), "the second run applied nothing again");
            Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM premix_migrations"), Is.EqualTo(1), "one migration recorded");
            Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"), "the readiness check reads the migration as applied: " + app.Output);
        }
    }

    [Test]
    public async Task The_health_checks_schema_comparison_is_refused_at_startup_naming_CheckSchema_and_the_way_out()
    {
        var published = await NativeAotPublish.GetAsync();

        var run = await NativeAotApp.RunToExitAsync(published.Binary, $"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}", $"--ConnectionStrings:shop={ConnectionString}", "--Shop:CheckSchema=true");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero, run.Output);
            Assert.That(run.Output, Does.Contain("NotSupportedException: AddPremixHealthChecks: the readiness check's schema comparison").And.Contain("o.CheckSchema = false"));
        }
    }

    [Test]
    public async Task VerifySchemaAtStartup_is_refused_at_startup_naming_it_not_failing_in_Dapper()
    {
        var published = await NativeAotPublish.GetAsync();

        var run = await NativeAotApp.RunToExitAsync(published.Binary, $"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}", $"--ConnectionStrings:shop={ConnectionString}", "--Shop:VerifySchema=true");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero, run.Output);
            Assert.That(run.Output, Does.Contain("NotSupportedException: Premix.Migrations reads the schema from the database's catalog").And.Contain("VerifySchemaAtStartup").And.Contain("premix diff"));
            Assert.That(run.Output, Does.Not.Contain("PlatformNotSupportedException"), "refused before Dapper's deserializer is reached");
        }
    }

    [Test]
    public async Task The_health_checks_of_a_database_that_does_not_answer_report_unhealthy_without_its_password()
    {
        var published = await NativeAotPublish.GetAsync();
        const string Password = "aot-health-secret";
        var unreachable = Engine switch
        {
            Engine.PostgreSql => $"Host=127.0.0.1;Port={NativeAotApp.FreePort()};Database=shop;Username=shop;Password={Password};Timeout=2",
            Engine.MySql => $"Server=127.0.0.1;Port={NativeAotApp.FreePort()};Database=shop;User ID=shop;Password={Password};Connection Timeout=2",
            _ => $"Data Source={Path.Combine(Path.GetTempPath(), "premix-aot-missing-" + Guid.NewGuid().ToString("N"), "shop.db")};Mode=ReadWrite",
        };
        await using var app = await NativeAotApp.StartAsync(published.Binary, $"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}", $"--ConnectionStrings:shop={unreachable}");
        using var client = new HttpClient { BaseAddress = app.Address };

        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), app.Output);
            Assert.That(await live.Content.ReadAsStringAsync(), Is.EqualTo("Unhealthy"));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), app.Output);
            Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Unhealthy"));
            Assert.That(app.Output, Does.Not.Contain(Password));
        }
    }

    [Test]
    public async Task Requests_of_two_tenants_write_and_read_only_their_own_database_one_naming_no_tenant_or_an_unknown_one_is_refused_and_readiness_reads_the_open_tenants()
    {
        var published = await NativeAotPublish.GetAsync();
        var tenants = new Dictionary<string, IsolatedDatabase>(StringComparer.Ordinal);
        try
        {
            foreach (var tenant in new[] { "acme", "globex" })
            {
                tenants[tenant] = await IsolatedDatabase.CreateAsync(Engine);
                await using var premix = PremixFactory.Create(p => p.Use(Engine, tenants[tenant].ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
                    .AddModelConfiguration(new AotShop.AuthorMap()).AddModelConfiguration(new AotShop.BookMap()));
                await premix.SyncAsync();
            }

            await using (var shop = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new AotShop.AuthorMap()).AddModelConfiguration(new AotShop.BookMap())))
            {
                await RecreateTablesAsync(shop); // the configured database has the tables too: a request falling back to it would show
            }

            await using var app = await NativeAotApp.StartAsync(
                published.Binary,
                [
                    $"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}",
                    $"--ConnectionStrings:shop={ConnectionString}",
                    .. tenants.Select(t => $"--Shop:Tenants:{t.Key}={t.Value.ConnectionString}"),
                ]);
            using var client = new HttpClient { BaseAddress = app.Address };

            var acme = await SendAsync(client, HttpMethod.Post, "acme", new { name = "Acme author", email = "a@acme.example" });
            var globex = await SendAsync(client, HttpMethod.Post, "globex", new { name = "Globex author", email = "g@globex.example" });
            var acmeList = await SendAsync(client, HttpMethod.Get, "acme");
            var anonymous = await SendAsync(client, HttpMethod.Post, null, new { name = "Nobody", email = "n@example.com" });
            var unknown = await SendAsync(client, HttpMethod.Post, "initech", new { name = "Initech author", email = "i@initech.example" });
            var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(acme.StatusCode, Is.EqualTo(HttpStatusCode.Created), app.Output);
                Assert.That(globex.StatusCode, Is.EqualTo(HttpStatusCode.Created), app.Output);
                Assert.That((await acmeList.Content.ReadFromJsonAsync<JsonElement>(Json)).EnumerateArray().Select(a => a.GetProperty("name").GetString()), Is.EqualTo(new[] { "Acme author" }), app.Output);
                Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), app.Output);
                Assert.That((await anonymous.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("type").GetString(), Does.EndWith(PremixProblemTypes.TenantRequired));
                // UnknownTenantException has no problem type of its own (docs/aspnetcore.md): the exception handler's 500, nothing written.
                Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError), app.Output);
                // Logged by the handler as the request ends, from the console logger's own queue: waited for (bounded).
                Assert.That(await app.OutputSinceAsync(0, "UnknownTenantException"), Does.Contain("UnknownTenantException"));
                Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM authors"), Is.Zero, "no request reached the configured database");
                // Both tenants are open and their databases were synced, not migrated: the embedded migration is pending in each.
                Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Degraded"), app.Output);
                Assert.That(await TenantSql.ColumnAsync(Engine, tenants["acme"].ConnectionString, "SELECT name FROM authors"), Is.EqualTo(new[] { "Acme author" }), "acme's database, through plain SQL");
                Assert.That(await TenantSql.ColumnAsync(Engine, tenants["globex"].ConnectionString, "SELECT name FROM authors"), Is.EqualTo(new[] { "Globex author" }), "globex's database, through plain SQL");
            }
        }
        finally
        {
            foreach (var database in tenants.Values)
            {
                await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
                await database.DropAsync(connection);
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string? tenant, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri("/authors", UriKind.Relative));
        if (tenant is not null)
        {
            request.Headers.Add("X-Tenant-Id", tenant);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await client.SendAsync(request);
    }
}
