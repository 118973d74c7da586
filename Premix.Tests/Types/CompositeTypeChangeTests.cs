using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// A composite type that exists with an older shape than the class of <see cref="ShipmentMap"/> (made here by plain SQL, as
/// an earlier version of the class would have): sync adds the attributes the class gained, refuses to drop one it lost or to
/// re-create one whose type changed unless destructive changes are allowed, and leaves an empty diff. The type's attributes
/// are read back from pg_attribute.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class CompositeTypeChangeTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    /// <summary>Composite types are PostgreSQL's own.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public void CreatePremix() => _premix = CreatePremix(p => p.AddModelConfiguration(new ShipmentMap()));

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Sync_adds_the_attributes_the_class_gained_keeps_the_values_and_a_diff_after_it_is_empty()
    {
        await CreateOlderTypeAsync("\"Street\" text, \"City\" text");
        await ExecuteAsync($"INSERT INTO {Q(ShipmentMap.Table)} (\"Name\", \"To\") VALUES ('old', ROW('1 Main St', 'Oslo'))");

        var diff = await _premix.SyncAsync();

        Assert.That(diff.Operations.Select(o => o.Description), Is.EqualTo(new[] { $"alter composite type {ShipmentMap.TypeName}: add attribute Zip integer" }));
        Assert.That(await AttributesAsync(), Is.EqualTo(new[] { ("Street", "text"), ("City", "text"), ("Zip", "integer") }));
        Assert.That(await ScalarAsync<string>($"SELECT \"To\"::text FROM {Q(ShipmentMap.Table)}"), Is.EqualTo("(\"1 Main St\",Oslo,)"));
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);

        // Npgsql reads and writes the new shape at once (sync reloaded its types).
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var old = await uow.Repository<Shipment>().Query().Where(s => s.Name == "old").SingleAsync();
            old.To.Zip = 150;
            uow.Repository<Shipment>().Add(new Shipment { Name = "new", To = new ShipmentAddress { City = "Bergen", Zip = 5003 } });
            await uow.CommitAsync();
        }

        Assert.That(await ListAsync<string>($"SELECT \"To\"::text FROM {Q(ShipmentMap.Table)} ORDER BY \"Id\""), Is.EqualTo(new[] { "(\"1 Main St\",Oslo,150)", "(,Bergen,5003)" }));
    }

    [Test]
    public async Task Sync_refuses_to_drop_an_attribute_the_class_lost_unless_destructive_changes_are_allowed()
    {
        await CreateOlderTypeAsync("\"Street\" text, \"Country\" text, \"City\" text, \"Zip\" integer");
        await ExecuteAsync($"INSERT INTO {Q(ShipmentMap.Table)} (\"Name\", \"To\") VALUES ('old', ROW('1 Main St', 'Norway', 'Oslo', 150))");

        var error = Assert.ThrowsAsync<DestructiveSchemaChangeException>(() => _premix.SyncAsync());

        Assert.That(error!.Message, Does.Contain($"alter composite type {ShipmentMap.TypeName}: drop attribute Country: attribute Country of composite type {ShipmentMap.TypeName} is not mapped; dropping it deletes its values in every column of that type"));
        Assert.That(await AttributesAsync(), Is.EqualTo(new[] { ("Street", "text"), ("Country", "text"), ("City", "text"), ("Zip", "integer") }), "nothing was applied");
        Assert.That((await _premix.DiffAsync()).Destructive.Select(d => d.Operation.Description), Is.EqualTo(new[] { $"alter composite type {ShipmentMap.TypeName}: drop attribute Country" }));

        await _premix.SyncAsync(new SyncOptions { AllowDestructive = true });

        Assert.That(await AttributesAsync(), Is.EqualTo(new[] { ("Street", "text"), ("City", "text"), ("Zip", "integer") }));
        Assert.That(await ScalarAsync<string>($"SELECT \"To\"::text FROM {Q(ShipmentMap.Table)}"), Is.EqualTo("(\"1 Main St\",Oslo,150)"));
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
    }

    [Test]
    public async Task Sync_re_creates_an_attribute_whose_type_changed_only_when_destructive_changes_are_allowed()
    {
        await CreateOlderTypeAsync("\"Street\" text, \"City\" text, \"Zip\" smallint");
        await ExecuteAsync($"INSERT INTO {Q(ShipmentMap.Table)} (\"Name\", \"To\") VALUES ('old', ROW('1 Main St', 'Oslo', 150))");

        var error = Assert.ThrowsAsync<DestructiveSchemaChangeException>(() => _premix.SyncAsync());

        Assert.That(error!.Message, Does.Contain($"attribute Zip of composite type {ShipmentMap.TypeName} changes type from smallint to integer"));
        Assert.That(await AttributesAsync(), Is.EqualTo(new[] { ("Street", "text"), ("City", "text"), ("Zip", "smallint") }), "nothing was applied");

        await _premix.SyncAsync(new SyncOptions { AllowDestructive = true });

        Assert.That(await AttributesAsync(), Is.EqualTo(new[] { ("Street", "text"), ("City", "text"), ("Zip", "integer") }));
        Assert.That(await ScalarAsync<string>($"SELECT \"To\"::text FROM {Q(ShipmentMap.Table)}"), Is.EqualTo("(\"1 Main St\",Oslo,)"), "the other attributes keep their values");
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
    }

    [Test]
    public async Task A_type_two_columns_use_is_altered_once()
    {
        await CreateOlderTypeAsync("\"City\" text");

        var diff = await _premix.DiffAsync();

        Assert.That(diff.Statements, Is.EqualTo(new[]
        {
            $"ALTER TYPE {ShipmentMap.TypeName} ADD ATTRIBUTE \"Street\" text",
            $"ALTER TYPE {ShipmentMap.TypeName} ADD ATTRIBUTE \"Zip\" integer",
        }));
        await _premix.SyncAsync();
        Assert.That(await AttributesAsync(), Is.EqualTo(new[] { ("City", "text"), ("Street", "text"), ("Zip", "integer") }), "an added attribute comes after the ones kept");
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
    }

    // The type with an older shape, and the table as sync makes it, with both columns of that type.
    private async Task CreateOlderTypeAsync(string attributes)
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(ShipmentMap.Table)}");
        await ExecuteAsync($"DROP TYPE IF EXISTS {ShipmentMap.TypeName}");
        await ExecuteAsync($"CREATE TYPE {ShipmentMap.TypeName} AS ({attributes})");
        await ExecuteAsync($"CREATE TABLE {Q(ShipmentMap.Table)} (\"Id\" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \"Name\" varchar(40) NOT NULL, \"To\" {ShipmentMap.TypeName}, \"From\" {ShipmentMap.TypeName})");
    }

    private Task<List<(string Name, string Type)>> AttributesAsync() => ListAsync<(string Name, string Type)>(
        $"SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE typname = '{ShipmentMap.TypeName}') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");

    private async Task<List<T>> ListAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
