using Dapper;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>The provider opens its database and a row survives the trip through the driver unchanged.</summary>
public sealed class ConnectionTests(Engine engine) : ProviderTest(engine)
{
    private const string UnicodeName = "Zoë — 日本語 🚀";
    private const decimal FourDecimals = 12345.6789m;

    [Test]
    public async Task Provider_opens_a_connection_to_the_fixture_database()
    {
        await using var connection = await OpenConnectionAsync();

        var currentDatabase = Engine switch
        {
            Engine.Sqlite => await connection.ExecuteScalarAsync<string>("select file from pragma_database_list where name = 'main'"),
            Engine.PostgreSql => await connection.ExecuteScalarAsync<string>("select current_database()"),
            _ => await connection.ExecuteScalarAsync<string>("select database()"),
        };

        Assert.That(currentDatabase, Is.EqualTo(DatabaseName));
    }

    [Test]
    public async Task Unicode_text_and_a_four_decimal_amount_round_trip_unchanged()
    {
        await using var connection = await OpenConnectionAsync();
        var amountType = Engine switch
        {
            Engine.Sqlite => "text", // SQLite has no exact decimal; Microsoft.Data.Sqlite stores decimal as text.
            Engine.PostgreSql => "numeric(18,4)",
            _ => "decimal(18,4)",
        };
        var nameType = Engine == Engine.MySql ? "varchar(100)" : "text";
        await connection.ExecuteAsync($"create table round_trip_rows (id int primary key, name {nameType} not null, amount {amountType} not null)");

        await connection.ExecuteAsync(
            "insert into round_trip_rows (id, name, amount) values (@Id, @Name, @Amount)",
            new RoundTripRow { Id = 1, Name = UnicodeName, Amount = FourDecimals });
        var row = await connection.QuerySingleAsync<RoundTripRow>("select id as Id, name as Name, amount as Amount from round_trip_rows where id = 1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Name, Is.EqualTo(UnicodeName));
            Assert.That(row.Amount, Is.EqualTo(FourDecimals));
        }
    }

    private sealed class RoundTripRow
    {
        public int Id { get; init; }

        public string Name { get; init; } = string.Empty;

        public decimal Amount { get; init; }
    }
}
