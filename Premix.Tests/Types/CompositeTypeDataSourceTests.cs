using Dapper;
using Npgsql;
using Npgsql.NameTranslation;
using Premix.Migrations;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// A data source the application builds itself (<c>new PostgreSqlProvider(dataSource)</c>) is the application's to register
/// composite types on (<c>MapComposite</c>). One that lacks a type of the model fails its first write or read with an error
/// naming the type, the property and the fix, instead of Npgsql's message naming only the class; one that maps it works.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class CompositeTypeDataSourceTests(Engine engine) : PremixTest(engine)
{
    private const string Explanation =
        "the NpgsqlDataSource given to Premix has no mapping for the composite type pg_postal_address (ShipmentAddress, property Shipment.To), and Npgsql reads and writes no unmapped composite type. "
        + "Fix: register it on the data source's builder before Build(): dataSourceBuilder.MapComposite<ShipmentAddress>(\"pg_postal_address\", nameTranslator), with a translator giving the attribute names Street, City, Zip "
        + "(NpgsqlNullNameTranslator when they are the property names); or give Premix the connection string, and it registers the model's composite types itself.";

    /// <summary>Composite types are PostgreSQL's own.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreateTableAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(ShipmentMap.Table)}");
        await ExecuteAsync($"DROP TYPE IF EXISTS {ShipmentMap.TypeName}");
        using var premix = CreatePremix(p => p.AddModelConfiguration(new ShipmentMap()));
        await premix.SyncAsync();
        await ExecuteAsync($"INSERT INTO {Q(ShipmentMap.Table)} (\"Name\", \"To\") VALUES ('a', ROW('1 Main St', 'Oslo', 150))");
    }

    [Test]
    public async Task A_write_through_a_data_source_without_MapComposite_fails_naming_the_type_the_property_and_the_fix()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        using var premix = PremixFactory.Create(p => p.UseProvider(new PostgreSqlProvider(dataSource)).AddModelConfiguration(new ShipmentMap()));

        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Shipment>().Add(new Shipment { Name = "b", To = new ShipmentAddress { City = "Bergen" } });
        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());

        Assert.That(error!.Message, Does.StartWith("Insert of Shipment failed: " + Explanation));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM {Q(ShipmentMap.Table)}"), Is.EqualTo(1), "nothing was written");
    }

    [Test]
    public async Task A_read_through_a_data_source_without_MapComposite_fails_naming_the_type_the_property_and_the_fix()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        using var premix = PremixFactory.Create(p => p.UseProvider(new PostgreSqlProvider(dataSource)).AddModelConfiguration(new ShipmentMap()));

        await using var uow = premix.BeginUnitOfWork();
        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.Repository<Shipment>().Query().ToListAsync());

        Assert.That(error!.Message, Does.Contain(Explanation));
    }

    [Test]
    public async Task A_data_source_with_MapComposite_as_the_fix_says_reads_and_writes_the_type()
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString);
        builder.MapComposite<ShipmentAddress>(ShipmentMap.TypeName, new NpgsqlNullNameTranslator());
        await using var dataSource = builder.Build();
        using var premix = PremixFactory.Create(p => p.UseProvider(new PostgreSqlProvider(dataSource)).AddModelConfiguration(new ShipmentMap()));

        await using (var uow = premix.BeginUnitOfWork())
        {
            var shipments = uow.Repository<Shipment>();
            Assert.That((await shipments.Query().ToListAsync()).Single().To.City, Is.EqualTo("Oslo"));
            shipments.Add(new Shipment { Name = "b", To = new ShipmentAddress { City = "Bergen" } });
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        Assert.That(await connection.QueryAsync<string>($"SELECT \"To\"::text FROM {Q(ShipmentMap.Table)} ORDER BY \"Id\""), Is.EqualTo(new[] { "(\"1 Main St\",Oslo,150)", "(,Bergen,)" }));
    }
}
