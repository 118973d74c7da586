using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Npgsql;
using Premix.Migrations;
using Premix.Repositories;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Hosting;

/// <summary>
/// UsePostgreSql(NpgsqlDataSource) and UseMySql(MySqlDataSource): Premix works through a data source the application built
/// and registered, and leaves it open for its owner. SQLite has no data source, so no SQLite instance.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class DataSourceTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task A_data_source_from_the_services_carries_the_writes_and_stays_open_after_the_host_is_disposed()
    {
        var dataSource = CreateDataSource();
        await using (dataSource)
        {
            var builder = HostedApp.Builder(new Dictionary<string, string?>());
            // Registered as AddNpgsqlDataSource does, but given as an instance: its owner is this test, not the container.
            builder.Services.AddSingleton(Engine == Engine.PostgreSql ? typeof(NpgsqlDataSource) : typeof(MySqlDataSource), dataSource);
            builder.AddPremix("main", (sp, p) => _ = Engine == Engine.PostgreSql
                ? p.UsePostgreSql(sp.GetRequiredService<NpgsqlDataSource>()).AddModelConfiguration<CustomerMap>()
                : p.UseMySql(sp.GetRequiredService<MySqlDataSource>()).AddModelConfiguration<CustomerMap>());
            using (var host = builder.Build())
            {
                await host.StartAsync();
                await host.Services.GetRequiredService<IPremix>().SyncAsync();
                using var scope = host.Services.CreateScope();
                scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().Add(new Customer { Name = "Grace" });
                await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync();
                await host.StopAsync();
            }

            await using var connection = await dataSource.OpenConnectionAsync(); // throws ObjectDisposedException if Premix disposed it
            var quote = Provider.Dialect.QuoteIdentifier;
            Assert.That(await connection.ExecuteScalarAsync<string>($"SELECT {quote("Name")} FROM {quote("customers")}"), Is.EqualTo("Grace"));
        }
    }

    [Test]
    public void A_MySql_data_source_counting_affected_rows_is_refused_saying_why_or_on_PostgreSQL_any_data_source_is_taken()
    {
        if (Engine == Engine.PostgreSql)
        {
            using var postgres = NpgsqlDataSource.Create(ConnectionString);
            Assert.That(() => PremixFactory.Create(p => p.UsePostgreSql(postgres).AllowEmptyModel()).Dispose(), Throws.Nothing);
            return;
        }

        using var mySql = new MySqlDataSource(new MySqlConnectionStringBuilder(ConnectionString) { UseAffectedRows = true }.ConnectionString);

        var error = Assert.Throws<ArgumentException>(() => PremixFactory.Create(p => p.UseMySql(mySql).AllowEmptyModel()));

        Assert.That(error!.Message, Does.Contain("Use Affected Rows=true"));
    }

    private DbDataSource CreateDataSource() => Engine == Engine.PostgreSql
        ? NpgsqlDataSource.Create(ConnectionString)
        : new MySqlDataSourceBuilder(ConnectionString).UsePremixSessionMode().Build();
}
