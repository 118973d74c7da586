using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// PostgreSQL keys numbered by a sequence default (<c>serial</c>, <c>bigserial</c>, an explicit <c>nextval(...)</c>), as
/// schemas made before identity columns have them: a model with a generated key is what they are, so a diff leaves them
/// alone and the next insert continues after the rows the table holds.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class PostgreSqlSequenceKeyTests(Engine engine) : PremixTest(engine)
{
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [TestCase("serial")]
    [TestCase("nextval")]
    public async Task An_integer_key_from_a_sequence_is_no_difference_and_the_next_insert_takes_the_next_number(string kind)
    {
        var table = await CreateNumberedTableAsync(kind, "integer");
        var premix = CreatePremix(p => p.AddModelConfiguration(new NumberedRowMap(table)));

        var diff = await premix.DiffAsync();
        var synced = await premix.SyncAsync();
        var row = new NumberedRow { Name = "fourth" };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<NumberedRow>().Add(row);
            await uow.CommitAsync();
        }

        Assert.That(diff.IsEmpty, Is.True, $"nothing to change, but:\n{diff}");
        Assert.That(synced.IsEmpty, Is.True);
        Assert.That(row.Id, Is.EqualTo(4));
        Assert.That(await ScalarAsync<string>($"SELECT name FROM {table} WHERE id = 4"), Is.EqualTo("fourth"));
        Assert.That(await ScalarAsync<string>($"SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = '{table}'::regclass"), Does.StartWith("nextval("), "the sequence default is kept");
    }

    [Test]
    public async Task A_bigserial_key_is_no_difference_and_the_next_insert_takes_the_next_number()
    {
        var table = await CreateNumberedTableAsync("bigserial", "bigint");
        var premix = CreatePremix(p => p.AddModelConfiguration(new BigNumberedRowMap(table)));

        var diff = await premix.DiffAsync();
        var row = new BigNumberedRow { Name = "fourth" };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<BigNumberedRow>().Add(row);
            await uow.CommitAsync();
        }

        Assert.That(diff.IsEmpty, Is.True, $"nothing to change, but:\n{diff}");
        Assert.That(row.Id, Is.EqualTo(4L));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {table}"), Is.EqualTo(4));
    }

    [Test]
    public async Task A_key_from_a_sequence_whose_type_widens_keeps_its_sequence()
    {
        var table = await CreateNumberedTableAsync("serial", "integer");
        var premix = CreatePremix(p => p.AddModelConfiguration(new BigNumberedRowMap(table)));

        var synced = await premix.SyncAsync();
        var row = new BigNumberedRow { Name = "fourth" };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<BigNumberedRow>().Add(row);
            await uow.CommitAsync();
        }

        Assert.That(synced.ToSql(), Does.Contain("TYPE bigint").And.Not.Contain("DEFAULT").And.Not.Contain("IDENTITY"));
        Assert.That(synced.Destructive, Is.Empty);
        Assert.That(await ScalarAsync<string>($"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attname = 'id'"), Is.EqualTo("bigint"));
        Assert.That(row.Id, Is.EqualTo(4L));
    }

    [Test]
    public async Task A_sequence_key_the_mapping_assigns_itself_keeps_its_default_for_inserts_that_leave_it_out()
    {
        var table = await CreateNumberedTableAsync("serial", "integer");
        var premix = CreatePremix(p => p.AddModelConfiguration(new NumberedRowMap(table, clientAssigned: true)));

        var diff = await premix.DiffAsync();
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<NumberedRow>().Add(new NumberedRow { Id = 10, Name = "tenth" });
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"INSERT INTO {table} (name) VALUES ('another writer')");
        Assert.That(diff.IsEmpty, Is.True, $"nothing to change, but:\n{diff}");
        Assert.That(await ScalarAsync<string>($"SELECT name FROM {table} WHERE id = 10"), Is.EqualTo("tenth"));
        Assert.That(await ScalarAsync<string>($"SELECT name FROM {table} WHERE id = 4"), Is.EqualTo("another writer"), "the sequence still numbers inserts without a key");
    }

    // A table whose key a sequence numbers, holding rows 1 to 3 numbered by it, as a brownfield table does.
    private async Task<string> CreateNumberedTableAsync(string kind, string type)
    {
        var table = $"seq_{kind}_{Guid.NewGuid():N}"[..30];
        var key = kind switch
        {
            "nextval" => $"{type} NOT NULL DEFAULT nextval('{table}_ids'::regclass)",
            _ => kind,
        };
        await using var connection = await OpenConnectionAsync();
        if (kind == "nextval")
        {
            await connection.ExecuteAsync($"CREATE SEQUENCE {table}_ids");
        }

        await connection.ExecuteAsync($"CREATE TABLE {table} (id {key} PRIMARY KEY, name varchar(50) NOT NULL)");
        await connection.ExecuteAsync($"INSERT INTO {table} (name) VALUES ('first'), ('second'), ('third')");
        return table;
    }
}
