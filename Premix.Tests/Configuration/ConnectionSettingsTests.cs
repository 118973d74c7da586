using System.Data.Common;
using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Configuration;

/// <summary>
/// The provider methods apply the settings chosen for the environment to the connection string, except the ones it
/// names itself; the choice is logged once and readable from <see cref="IPremix.Connections"/>.
/// </summary>
public sealed class ConnectionSettingsTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task The_environment_profile_is_applied_read_back_and_logged_once()
    {
        using var logs = new CapturingLoggerProvider();
        var premix = Create(ConnectionString, o => o.Environment = HostingEnvironment.AwsLambda, logs);

        var settings = premix.Connections!;
        var applied = Applied(premix);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Environment, Is.EqualTo(HostingEnvironment.AwsLambda));
            Assert.That(settings.CommandTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(settings.KeptFromConnectionString, Is.Empty);
            if (Engine == Engine.Sqlite)
            {
                Assert.That(settings.MaxPoolSize, Is.Null, "SQLite has no sized pool");
                Assert.That(applied["DEFAULTTIMEOUT"], Is.EqualTo("30"));
            }
            else
            {
                Assert.That(settings.MaxPoolSize, Is.EqualTo(2));
                Assert.That(applied["MAXIMUMPOOLSIZE"], Is.EqualTo("2"));
                Assert.That(settings.IdleLifetime, Is.EqualTo(TimeSpan.FromSeconds(30)));
            }

            Assert.That(await premix.Raw("SELECT 1").ScalarAs<int>(), Is.EqualTo(1), "the tuned connection string opens");
            var chosen = logs.Entries.Where(e => e.Id == PremixEventId.ConnectionSettingsChosen).ToList();
            Assert.That(chosen, Has.Count.EqualTo(1));
            Assert.That(chosen[0].Message, Does.Contain("AwsLambda profile").And.Contain("command timeout 00:00:30"));
        }
    }

    [Test]
    public void Startup_log_names_the_pool_settings_and_on_SQLite_only_the_command_timeout()
    {
        using var logs = new CapturingLoggerProvider();
        Create(ConnectionString, o => o.Environment = HostingEnvironment.Kubernetes, logs);

        var message = logs.Entries.Single(e => e.Id == PremixEventId.ConnectionSettingsChosen).Message;
        if (Engine == Engine.Sqlite)
        {
            Assert.That(message, Is.EqualTo(
                "Connections to sqlite use the Kubernetes profile: command timeout 00:00:30, also the wait for another writer's lock " +
                "(an in-process database: no pool, idle lifetime or connect timeout); kept from the connection string: none"));
        }
        else
        {
            var settings = ConnectionSettings.For(HostingEnvironment.Kubernetes, Environment.ProcessorCount);
            Assert.That(message, Is.EqualTo(
                $"Connections to {Provider.Name} use the Kubernetes profile: max pool {settings.MaxPoolSize}, min pool {settings.MinPoolSize}, " +
                $"idle lifetime {settings.IdleLifetime}, connect timeout {settings.ConnectTimeout}, command timeout {settings.CommandTimeout}; " +
                "kept from the connection string: none"));
        }
    }

    [Test]
    public void Settings_in_code_replace_the_profile_and_the_connection_string_wins_over_both()
    {
        var (keyword, explicitValue) = Engine == Engine.Sqlite ? ("Default Timeout", "9") : ("Maximum Pool Size", "7");
        var premix = Create(
            $"{ConnectionString};{keyword}={explicitValue}",
            o =>
            {
                o.Environment = HostingEnvironment.Server;
                o.MaxPoolSize = 3;
                o.CommandTimeout = TimeSpan.FromSeconds(4);
                o.MinPoolSize = 1;
            });

        var settings = premix.Connections!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.KeptFromConnectionString, Is.EqualTo(new[] { keyword }));
            if (Engine == Engine.Sqlite)
            {
                Assert.That(settings.CommandTimeout, Is.EqualTo(TimeSpan.FromSeconds(9)), "named by the connection string");
                Assert.That(settings.MinPoolSize, Is.Null);
            }
            else
            {
                Assert.That(settings.MaxPoolSize, Is.EqualTo(7), "named by the connection string");
                Assert.That(settings.MinPoolSize, Is.EqualTo(1), "set in code");
                Assert.That(settings.CommandTimeout, Is.EqualTo(TimeSpan.FromSeconds(4)), "set in code");
                Assert.That(settings.IdleLifetime, Is.EqualTo(TimeSpan.FromMinutes(5)), "the Server profile");
            }
        }
    }

    [Test]
    public void A_provider_given_ready_made_keeps_its_connection_string_and_reports_no_settings()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AllowEmptyModel());
        Assert.That(premix.Connections, Is.Null);
    }

    private IPremix Create(string connectionString, Action<ConnectionPoolOptions> pool, CapturingLoggerProvider? logs = null)
    {
        var factory = logs is null ? null : LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        return PremixFactory.Create(
            p =>
            {
                _ = Engine switch
                {
                    Engine.Sqlite => p.UseSqlite(connectionString),
                    Engine.PostgreSql => p.UsePostgreSql(connectionString),
                    _ => p.UseMySql(connectionString),
                };
                p.ConfigureConnectionPool(pool).AllowEmptyModel();
            },
            factory);
    }

    // The keywords of the connection string a new connection gets, spaces removed and upper-cased.
    private static Dictionary<string, string> Applied(IPremix premix)
    {
        using var connection = premix.Provider.CreateConnection();
        var parsed = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
        return parsed.Keys.Cast<string>().ToDictionary(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), k => parsed[k].ToString()!);
    }
}
