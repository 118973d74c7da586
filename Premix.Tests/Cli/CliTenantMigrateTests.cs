using Premix.Tests.Infrastructure;
using Premix.Tests.Tenancy;

namespace Premix.Tests.Cli;

/// <summary><c>premix migrate up-all-tenants</c> as a process, on an application with a database per tenant; checked through plain SQL.</summary>
public sealed class CliTenantMigrateTests(Engine engine) : ProviderTest(engine)
{
    private IsolatedDatabase? _tenant;
    private string? _folder;

    [OneTimeSetUp]
    public async Task CreateTenantAsync()
    {
        _tenant = await IsolatedDatabase.CreateAsync(Engine);
        _folder = Directory.CreateTempSubdirectory("premix-cli-tenants-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_folder, "20260101000000_marker.sql"), "-- +premix Up\nCREATE TABLE marker (id INT);\n");
    }

    [OneTimeTearDown]
    public async Task DropTenantAsync()
    {
        if (_tenant is not null)
        {
            await using var connection = TenantSql.Connection(Engine, _tenant.ConnectionString);
            await _tenant.DropAsync(connection);
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public async Task Migrate_up_all_tenants_migrates_each_tenant_database_and_names_the_one_that_failed()
    {
        var missing = Engine == Engine.Sqlite
            ? $"Data Source={Path.Combine(_folder!, "no-such-folder", "ghost.db")}"
            : _tenant!.ConnectionString.Replace(_tenant.Name, "premix_no_such_database", StringComparison.Ordinal);
        var environment = new Dictionary<string, string?>
        {
            ["CLI_FACTORY_PROVIDER"] = CliProcess.ProviderName(Engine),
            ["CLI_FACTORY_CONNECTION"] = ConnectionString,
            ["CLI_FACTORY_TENANTS"] = $"one={ConnectionString}|two={_tenant!.ConnectionString}|ghost={missing}",
        };

        var up = await CliProcess.RunAsync(["migrate", "up-all-tenants", "--assembly", CliProcess.FactoryPath, "--folder", _folder!], environment: environment);

        Assert.That(up.ExitCode, Is.EqualTo(1), up.ToString());
        Assert.That(up.Output, Does.Contain("tenant one: applied 1 migration(s)").And.Contain("tenant two: applied 1 migration(s)").And.Contain("tenant ghost: failed: ")
            .And.Contain("1 of 3 tenant(s) failed: ghost."));
        foreach (var connectionString in new[] { ConnectionString, _tenant.ConnectionString })
        {
            Assert.That(await TenantSql.ColumnAsync(Engine, connectionString, "SELECT COUNT(*) FROM premix_migrations"), Is.EqualTo(new[] { "1" }));
        }
    }
}
