using System.Reflection;
using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// Scaffolds a schema made to be awkward (two foreign keys to one table, a self-reference, columns named after C#
/// keywords and after their table), compiles the result, and has Premix start on it and read the rows.
/// </summary>
public sealed class ScaffoldCompileTests(Engine engine) : ProviderTest(engine)
{
    private Assembly _assembly = null!;

    [OneTimeSetUp]
    public async Task CreateScaffoldAndCompileAsync()
    {
        var id = Engine switch { Engine.Sqlite => "INTEGER", Engine.PostgreSql => "integer", _ => "INT" };
        await using (var connection = await OpenConnectionAsync())
        {
            foreach (var sql in new[]
            {
                $"CREATE TABLE {Q("airport")} ({Q("id")} {id} NOT NULL PRIMARY KEY, {Q("code")} VARCHAR(3) NOT NULL)",
                $"CREATE UNIQUE INDEX {Q("ux_airport_code")} ON {Q("airport")} ({Q("code")})",
                $"CREATE TABLE {Q("flight")} ({Q("id")} {id} NOT NULL PRIMARY KEY, {Q("from_airport_id")} {id} NOT NULL, {Q("to_airport_id")} {id} NOT NULL, "
                    + $"{Q("class")} VARCHAR(10) NULL, {Q("order")} {id} NOT NULL DEFAULT 0, {Q("flight")} VARCHAR(10) NULL, "
                    + $"CONSTRAINT {Q("fk_flight_from")} FOREIGN KEY ({Q("from_airport_id")}) REFERENCES {Q("airport")} ({Q("id")}), "
                    + $"CONSTRAINT {Q("fk_flight_to")} FOREIGN KEY ({Q("to_airport_id")}) REFERENCES {Q("airport")} ({Q("id")}))",
                $"CREATE TABLE {Q("pilot")} ({Q("id")} {id} NOT NULL PRIMARY KEY, {Q("mentor_id")} {id} NULL, "
                    + $"CONSTRAINT {Q("fk_pilot_mentor")} FOREIGN KEY ({Q("mentor_id")}) REFERENCES {Q("pilot")} ({Q("id")}))",
                $"INSERT INTO {Q("airport")} VALUES (1, 'CDG'), (2, 'JFK')",
                $"INSERT INTO {Q("flight")} VALUES (1, 1, 2, 'economy', 1, 'AF006'), (2, 2, 1, NULL, 2, NULL), (3, 1, 2, 'business', 3, 'AF008')",
                $"INSERT INTO {Q("pilot")} VALUES (1, NULL), (2, 1)",
            })
            {
                await connection.ExecuteAsync(sql);
            }
        }

        var files = await Scaffolder.ScaffoldAsync(Provider, new ScaffoldOptions { Namespace = $"Scaffolded.Awkward.{Engine}" });
        _assembly = await ScaffoldedAssembly.CompileAsync($"premix_scaffold_awkward_{Engine}_{Guid.NewGuid():N}", files);
    }

    [Test]
    public void Premix_starts_on_the_scaffolded_model_with_a_relation_per_foreign_key_side()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));

        Assert.That(Relations(premix, "Flight"), Is.EquivalentTo(new[] { "BelongsTo FromAirport -> FromAirportId", "BelongsTo ToAirport -> ToAirportId" }));
        Assert.That(Relations(premix, "Airport"), Is.EquivalentTo(new[] { "HasMany FromAirportFlights -> FromAirportId", "HasMany ToAirportFlights -> ToAirportId" }));
        Assert.That(Relations(premix, "Pilot"), Is.EquivalentTo(new[] { "BelongsTo Mentor -> MentorId", "HasMany Pilots -> MentorId" }));
    }

    [Test]
    public void Keyword_columns_map_to_their_columns()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));
        var flight = premix.Model.Entities.Single(e => e.Name == "Flight");

        Assert.That(flight.Properties.Select(p => $"{p.Name}={p.Column}"), Is.EquivalentTo(new[]
        {
            "Id=id", "FromAirportId=from_airport_id", "ToAirportId=to_airport_id", "Class=class", "Order=order", "FlightValue=flight",
        }));
    }

    [Test]
    public async Task Rows_read_through_the_scaffolded_classes()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));
        var counts = new Dictionary<string, long>();
        await using (var uow = premix.BeginUnitOfWork())
        {
            foreach (var entity in premix.Model.Entities)
            {
                counts[entity.Name] = await (Task<int>)ListMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [uow])!;
            }
        }

        Assert.That(counts, Is.EqualTo(new Dictionary<string, long> { ["Airport"] = 2, ["Flight"] = 3, ["Pilot"] = 2 }));
    }

    private static readonly MethodInfo ListMethod = typeof(ScaffoldCompileTests).GetMethod(nameof(ListAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static async Task<int> ListAsync<T>(IUnitOfWork uow)
        where T : class => (await uow.Repository<T>().ListAsync()).Count;

    private static IEnumerable<string> Relations(IPremix premix, string entity) =>
        premix.Model.Entities.Single(e => e.Name == entity).Relations.Select(r => $"{r.Kind} {r.Navigation?.Name} -> {r.ForeignKey.Name}");

    private string Q(string identifier) => Provider.Dialect.QuoteIdentifier(identifier);
}
