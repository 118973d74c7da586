using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Premix.Migrations;
using Premix.Repositories;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Hosting;

/// <summary>
/// builder.AddPremix("name") binds Premix:name with ConnectionStrings:name winning, checks every setting at once, and opens
/// no connection before the host starts.
/// </summary>
public sealed class HostRegistrationTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task ConnectionStrings_name_wins_over_the_section_and_the_bound_settings_apply()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Quote("customers")}");
        }

        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["Premix:main:ConnectionString"] = HostedApp.Unreachable(Engine, ConnectionString),
            ["ConnectionStrings:main"] = ConnectionString,
            ["Premix:main:ConnectionPool:CommandTimeout"] = "00:00:17",
            ["Premix:main:Resilience:MaxRetries"] = "1",
        });
        builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>());
        using var host = builder.Build();
        await host.StartAsync();
        var premix = host.Services.GetRequiredService<IPremix>();
        await premix.SyncAsync();

        using (var scope = host.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().Add(new Customer { Name = "Ada" });
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync();
        }

        await host.StopAsync();
        await using var check = await OpenConnectionAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await check.ExecuteScalarAsync<string>($"SELECT {Quote("Name")} FROM {Quote("customers")}"), Is.EqualTo("Ada"), "written to the database of ConnectionStrings:main");
            Assert.That(premix.Connections?.CommandTimeout, Is.EqualTo(TimeSpan.FromSeconds(17)), "Premix:main:ConnectionPool:CommandTimeout");
        }
    }

    [Test]
    public void Invalid_settings_fail_AddPremix_listing_every_problem_with_the_key_to_set()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["Premix:main:ConnectionPool:MaxPoolSize"] = "0",
            ["Premix:main:ConnectionPool:ConnectTimeout"] = "00:00:00",
            ["Premix:main:Resilience:BaseDelay"] = "00:00:01",
            ["Premix:main:Resilience:MaxDelay"] = "00:00:00.5",
            ["Premix:main:Resilience:MaxUnavailableTime"] = "-00:00:01",
        });

        var error = Assert.Throws<OptionsValidationException>(() => builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>()));

        Assert.That(error!.Failures.ToList(), Has.Count.EqualTo(5));
        Assert.That(error.Message, Does.Contain("ConnectionStrings:main").And.Contain("Premix:main:ConnectionString")
            .And.Contain("Premix:main:ConnectionPool:MaxPoolSize").And.Contain("Premix:main:ConnectionPool:ConnectTimeout")
            .And.Contain("Premix:main:Resilience:MaxDelay").And.Contain("Premix:main:Resilience:MaxUnavailableTime"));
    }

    [Test]
    public void A_MaxDelay_over_one_day_fails_AddPremix_naming_it()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["Premix:main:ConnectionString"] = ConnectionString,
            ["Premix:main:Resilience:MaxDelay"] = "2.00:00:00",
        });

        var error = Assert.Throws<OptionsValidationException>(() => builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>()));

        Assert.That(error!.Failures.ToList(), Is.EqualTo(new[] { "Premix:main:Resilience:MaxDelay is 2.00:00:00: it must be at most one day (1.00:00:00)." }));
    }

    [Test]
    public void A_misspelled_setting_fails_AddPremix_naming_it_instead_of_being_ignored()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["Premix:main:ConnectionString"] = ConnectionString,
            ["Premix:main:ConnectionPool:MaxSize"] = "40",
        });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>()));

        Assert.That(error!.Message, Does.StartWith("Premix:main holds a setting Premix does not know, which would be ignored:").And.Contain("'MaxSize'"));
    }

    [Test]
    public void A_nested_value_that_does_not_convert_fails_AddPremix_naming_the_key_and_the_type()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["Premix:main:ConnectionString"] = ConnectionString,
            ["Premix:main:ConnectionPool:MaxPoolSize"] = "abc",
        });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>()));

        Assert.That(error!.Message, Does.StartWith("Premix:main holds a value Premix cannot read:").And.Contain("'Premix:main:ConnectionPool:MaxPoolSize'").And.Contain("Int32"));
    }

    [Test]
    public void Without_provider_or_connection_string_both_keys_are_named_and_an_unknown_engine_is_named_too()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?> { ["Premix:reports:Provider"] = Engine + "Server" });

        var error = Assert.Throws<OptionsValidationException>(() => builder.AddKeyedPremix("reports", p => p.AddModelConfiguration<CustomerMap>()));

        Assert.That(error!.Failures.ToList(), Has.Count.EqualTo(2));
        Assert.That(error.Failures.First(), Does.Contain($"Premix:reports:Provider is '{Engine}Server'").And.Contain("Sqlite, PostgreSql, MySql"));
        Assert.That(error.Failures.Last(), Does.Contain("ConnectionStrings:reports").And.Contain("Premix:reports:ConnectionString"));
    }

    [Test]
    public async Task An_unreachable_database_or_on_SQLite_a_file_in_a_missing_folder_fails_the_host_start_not_the_registration()
    {
        var unreachable = HostedApp.Unreachable(Engine, ConnectionString);
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["ConnectionStrings:main"] = unreachable,
        });

        IHost? host = null;
        Assert.That(() => host = builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>().VerifySchemaAtStartup()).Build(), Throws.Nothing);
        using var built = host!;
        var error = Assert.ThrowsAsync<DatabaseConnectionException>(() => built.StartAsync());

        Assert.That(error!.Message, Does.Contain(Engine == Engine.Sqlite ? "app.db" : ":" + Port(unreachable)));
    }

    [Test]
    public void services_AddPremix_opens_no_connection_while_registering_and_runs_its_startup_checks_when_the_host_starts()
    {
        var unreachable = HostedApp.Unreachable(Engine, ConnectionString);
        var builder = HostedApp.Builder(new Dictionary<string, string?>());

        Assert.That(() => builder.Services.AddPremix(p => _ = (Engine switch
        {
            Engine.Sqlite => p.UseSqlite(unreachable),
            Engine.PostgreSql => p.UsePostgreSql(unreachable),
            _ => p.UseMySql(unreachable),
        }).AddModelConfiguration<CustomerMap>().VerifySchemaAtStartup()), Throws.Nothing, "no connection opened by AddPremix");
        using var host = builder.Build();

        Assert.ThrowsAsync<DatabaseConnectionException>(() => host.StartAsync());
    }

    [Test]
    public void A_second_default_database_is_refused_naming_AddKeyedPremix()
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["ConnectionStrings:main"] = ConnectionString,
            ["Premix:other:Provider"] = Engine.ToString(),
            ["ConnectionStrings:other"] = ConnectionString,
        });
        builder.AddPremix("main", p => p.AddModelConfiguration<CustomerMap>());

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPremix("other", p => p.AddModelConfiguration<CustomerMap>()));

        Assert.That(error!.Message, Does.Contain("default database ('main')").And.Contain("AddKeyedPremix"));
    }

    private string Quote(string name) => Provider.Dialect.QuoteIdentifier(name);

    private static string Port(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }["Port"].ToString()!;
}
