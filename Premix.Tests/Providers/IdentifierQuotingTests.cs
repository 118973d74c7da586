using Dapper;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>Names that are reserved words or hold quote characters work once the dialect quotes them.</summary>
public sealed class IdentifierQuotingTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task Reserved_words_and_quote_characters_in_names_work_when_quoted()
    {
        var quote = Provider.Dialect.QuoteIdentifier;
        var table = quote("order");
        var group = quote("group");
        var odd = quote("odd \"name\" with `ticks`");
        await using var connection = await OpenConnectionAsync();

        await connection.ExecuteAsync($"create table {table} ({group} varchar(50) not null, {odd} varchar(50) not null)");
        await connection.ExecuteAsync($"insert into {table} ({group}, {odd}) values (@Group, @Odd)", new { Group = "g1", Odd = "o1" });
        var row = await connection.QuerySingleAsync<(string Group, string Odd)>($"select {group}, {odd} from {table} where {group} = @Group", new { Group = "g1" });

        Assert.That(row, Is.EqualTo(("g1", "o1")));
    }
}
