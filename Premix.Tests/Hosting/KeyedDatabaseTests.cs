using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Premix.Migrations;
using Premix.Repositories;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Hosting;

/// <summary>Two databases in one application: the default one and a keyed one, each with its own model, in one scope.</summary>
public sealed class KeyedDatabaseTests(Engine engine) : ProviderTest(engine)
{
    private IsolatedDatabase? _reports;

    private IsolatedDatabase Reports => _reports ?? throw new InvalidOperationException("Created in OneTimeSetUp.");

    [OneTimeSetUp]
    public async Task CreateReportsDatabaseAsync() => _reports = await IsolatedDatabase.CreateAsync(Engine);

    [OneTimeTearDown]
    public async Task DropReportsDatabaseAsync()
    {
        if (_reports is not null)
        {
            var provider = ProviderOf(_reports.ConnectionString);
            await using (var connection = provider.CreateConnection())
            {
                await _reports.DropAsync(connection);
            }

            (provider as IDisposable)?.Dispose();
        }
    }

    [Test]
    public async Task Keyed_unit_of_work_and_repositories_write_to_their_own_database_in_the_same_scope()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["ConnectionStrings:main"] = ConnectionString,
            ["Premix:reports:Provider"] = Engine.ToString(),
            ["ConnectionStrings:reports"] = Reports.ConnectionString,
        });
        builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>());
        builder.AddKeyedPremix("reports", p => p.AddModelConfiguration<GadgetMap>());
        builder.Services.AddScoped<GadgetReport>();
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IPremix>().SyncAsync();
        await host.Services.GetRequiredKeyedService<IPremix>("reports").SyncAsync();

        using (var scope = host.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().Add(new Customer { Name = "Ada" });
            var report = scope.ServiceProvider.GetRequiredService<GadgetReport>();
            report.Gadgets.Add(new Gadget { Id = Guid.NewGuid(), Label = "lamp" });
            await report.UnitOfWork.CommitAsync();
            Assert.That(report.UnitOfWork, Is.SameAs(scope.ServiceProvider.GetRequiredKeyedService<IUnitOfWork>("reports")), "one keyed unit of work per scope");
            Assert.That(report.UnitOfWork, Is.Not.SameAs(scope.ServiceProvider.GetRequiredService<IUnitOfWork>()));
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync();
        }

        await host.StopAsync();
        var quote = Provider.Dialect.QuoteIdentifier;
        await using var main = await OpenConnectionAsync();
        await using var reports = PlainConnection(Reports.ConnectionString);
        await reports.OpenAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await main.ExecuteScalarAsync<string>($"SELECT {quote("Name")} FROM {quote("customers")}"), Is.EqualTo("Ada"));
            Assert.That(await reports.ExecuteScalarAsync<string>($"SELECT {quote("Label")} FROM {quote("gadgets")}"), Is.EqualTo("lamp"));
            Assert.That(() => main.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {quote("gadgets")}"), Throws.Exception, "no gadgets table in the main database");
            Assert.That(() => reports.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {quote("customers")}"), Throws.Exception, "no customers table in the reports database");
        }
    }

    [Test]
    public async Task Each_database_has_its_own_live_and_ready_checks_and_a_missing_table_fails_only_its_own()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["ConnectionStrings:main"] = ConnectionString,
            ["Premix:reports:Provider"] = Engine.ToString(),
            ["ConnectionStrings:reports"] = Reports.ConnectionString,
        });
        builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>());
        builder.AddKeyedPremix("reports", p => p.AddModelConfiguration<GadgetMap>().AddModelConfiguration<Customer2Map>());
        builder.Services.AddHealthChecks().AddPremixHealthChecks();
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IPremix>().SyncAsync();
        await host.Services.GetRequiredKeyedService<IPremix>("reports").SyncAsync();
        await using (var reports = PlainConnection(Reports.ConnectionString))
        {
            await reports.OpenAsync();
            await reports.ExecuteAsync($"DROP TABLE {Provider.Dialect.QuoteIdentifier("customers2")}");
        }

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.That(report.Entries.ToDictionary(e => e.Key, e => e.Value.Status), Is.EquivalentTo(new Dictionary<string, HealthStatus>
        {
            ["premix-main-live"] = HealthStatus.Healthy,
            ["premix-main-ready"] = HealthStatus.Healthy,
            ["premix-reports-live"] = HealthStatus.Healthy,
            ["premix-reports-ready"] = HealthStatus.Unhealthy,
        }));
        Assert.That(report.Entries["premix-reports-ready"].Description, Does.Contain("'reports'").And.Contain("customers2"));
    }

    private Premix.Providers.IDatabaseProvider ProviderOf(string connectionString) => Engine switch
    {
        Engine.Sqlite => new Premix.Providers.Sqlite.SqliteProvider(connectionString),
        Engine.PostgreSql => new Premix.Providers.PostgreSql.PostgreSqlProvider(connectionString),
        _ => new Premix.Providers.MySql.MySqlProvider(connectionString),
    };

    private System.Data.Common.DbConnection PlainConnection(string connectionString) => Engine switch
    {
        Engine.Sqlite => new Microsoft.Data.Sqlite.SqliteConnection(connectionString),
        Engine.PostgreSql => new Npgsql.NpgsqlConnection(connectionString),
        _ => new MySqlConnector.MySqlConnection(connectionString),
    };

    /// <summary>A second table in the reports database, dropped to make only that database not ready.</summary>
    private sealed class Customer2Map : Premix.Mapping.ModelConfiguration<Customer>
    {
        public override void Configure(Premix.Mapping.EntityBuilder<Customer> e) => e.ToTable("customers2");
    }

    /// <summary>A service of the application that works on the reports database, as a controller or endpoint would.</summary>
    private sealed class GadgetReport([FromKeyedServices("reports")] IUnitOfWork unitOfWork, [FromKeyedServices("reports")] IRepository<Gadget> gadgets)
    {
        public IUnitOfWork UnitOfWork { get; } = unitOfWork;

        public IRepository<Gadget> Gadgets { get; } = gadgets;
    }
}
