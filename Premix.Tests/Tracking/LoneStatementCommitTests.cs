using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A commit that sends one statement sends it without BEGIN and COMMIT where a lost answer cannot leave anything wrong
/// (issue 17 item 6), and keeps its transaction everywhere else. Told apart outside Premix: on MariaDB and SQLite a
/// trigger on each table records whether its statement ran inside an explicit transaction (<c>@@in_transaction</c>;
/// <c>sqlite3_get_autocommit</c>, through a function every connection Premix opens is given); PostgreSQL has no such
/// function, so Premix reaches it through a relay that shows whether a BEGIN went over the wire before each write.
/// </summary>
public sealed partial class LoneStatementCommitTests(Engine engine) : PremixTest(engine)
{
    private const string Probe = "txn_probe";
    private static readonly string[] Tables = ["customers", "gadgets", "counters"];
    private TcpRelay? _relay;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await CreatePremixWithTablesAsync(new CustomerMap(), new GadgetMap(), new CounterMap());
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Ada', 1), ('Bo', 1)");
        await ExecuteAsync($"INSERT INTO {Q("counters")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('hits', 1, 1)");
        await CreateProbeAsync();
    }

    [TearDown]
    public async Task StopRelayAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
            _relay = null;
        }
    }

    [Test]
    public async Task A_one_row_update_goes_alone_and_is_saved()
    {
        await using var premix = CreateProbedPremix();
        await using var uow = premix.BeginUnitOfWork();
        var ada = await uow.Repository<Customer>().GetAsync(1L);
        ada.Visits = 5;

        await uow.CommitAsync();

        Assert.That(await ProbedAsync(), Is.EqualTo(new[] { false }), "one UPDATE, outside any transaction");
        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = 1"), Is.EqualTo(5));
    }

    [Test]
    public async Task An_insert_that_reads_back_its_generated_key_keeps_its_transaction()
    {
        await using var premix = CreateProbedPremix();
        await using var uow = premix.BeginUnitOfWork();
        var cy = new Customer { Name = "Cy" };
        uow.Repository<Customer>().Add(cy);

        await uow.CommitAsync();

        Assert.That(await ProbedAsync(), Is.EqualTo(new[] { true }), "a lost answer would lose the key, and a replay would insert twice");
        Assert.That(cy.Id, Is.EqualTo(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")} WHERE {Q("Name")} = 'Cy'")));
    }

    [Test]
    public async Task A_versioned_update_keeps_its_transaction()
    {
        await using var premix = CreateProbedPremix();
        await using var uow = premix.BeginUnitOfWork();
        var counter = await uow.Repository<Counter>().GetAsync(1L);
        counter.Value = 2;

        await uow.CommitAsync();

        Assert.That(await ProbedAsync(), Is.EqualTo(new[] { true }), "a lost answer would leave the object's version behind");
        Assert.That(await ScalarAsync<int>($"SELECT {Q("Version")} FROM {Q("counters")}"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_commit_of_two_statements_keeps_its_transaction()
    {
        await using var premix = CreateProbedPremix();
        await using var uow = premix.BeginUnitOfWork();
        foreach (var customer in await uow.Repository<Customer>().ListAsync())
        {
            customer.Visits = 7;
        }

        await uow.CommitAsync();

        // PostgreSQL sends both rows as one many-row UPDATE: one statement, but one of its rows could match nothing, and
        // the other must then be rolled back.
        Assert.That(await ProbedAsync(), Is.Not.Empty.And.All.True);
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")} WHERE {Q("Visits")} = 7"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_one_row_update_keeps_its_transaction_when_commits_are_not_retried_or_an_isolation_level_is_asked_for()
    {
        await using (var premix = CreateProbedPremix(o => o.RetryCommits = false))
        {
            await UpdateAdaAsync(premix.BeginUnitOfWork(), visits: 3);
        }

        await using (var premix = CreateProbedPremix())
        {
            await UpdateAdaAsync(premix.BeginUnitOfWork(IsolationLevel.Serializable), visits: 4);
        }

        Assert.That(await ProbedAsync(), Is.EqualTo(new[] { true, true }), "without a retry, only the transaction tells a lost connection saved nothing");
        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = 1"), Is.EqualTo(4));
    }

    [Test]
    public async Task With_a_VerifyCommitWith_check_an_insert_of_a_client_key_and_a_delete_go_alone()
    {
        await using var premix = CreateProbedPremix();
        await using var uow = premix.BeginUnitOfWork();
        uow.VerifyCommitWith((_, _) => Task.FromResult(false));
        uow.Repository<Gadget>().Add(new Gadget { Id = Guid.NewGuid(), Label = "lamp" });
        await uow.CommitAsync();
        uow.Repository<Customer>().Remove(await uow.Repository<Customer>().GetAsync(2L));
        await uow.CommitAsync();

        Assert.That(await ProbedAsync(), Is.EqualTo(new[] { false, false }), "the check can tell whether a statement whose answer was lost landed");
        Assert.That((await CountRowsAsync("gadgets"), await CountRowsAsync("customers")), Is.EqualTo((1L, 1L)));
    }

    private static async Task UpdateAdaAsync(IUnitOfWork uow, int visits)
    {
        await using (uow)
        {
            var ada = await uow.Repository<Customer>().GetAsync(1L);
            ada.Visits = visits;
            await uow.CommitAsync();
        }
    }

    // Premix on the fixture's database: through a recording relay on PostgreSQL; on SQLite every connection it opens gets
    // the in_transaction() the triggers call.
    private IPremix CreateProbedPremix(Action<ResilienceOptions>? resilience = null) => PremixFactory.Create(p => p
        .UseProvider(Engine switch
        {
            Engine.PostgreSql => new PostgreSqlProvider(new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = Relay().Port, SslMode = SslMode.Disable }.ConnectionString),
            Engine.Sqlite => new SessionSetupProvider(Provider, AddInTransactionFunction),
            _ => Provider,
        })
        .AddModelConfiguration(new CustomerMap()).AddModelConfiguration(new GadgetMap()).AddModelConfiguration(new CounterMap())
        .ConfigureResilience(o => resilience?.Invoke(o)));

    private TcpRelay Relay()
    {
        var connection = new NpgsqlConnectionStringBuilder(ConnectionString);
        return _relay ??= new TcpRelay(connection.Host!, connection.Port) { Recording = true };
    }

    private static void AddInTransactionFunction(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        sqlite.CreateFunction("in_transaction", () => SQLitePCL.raw.sqlite3_get_autocommit(sqlite.Handle) == 0 ? 1 : 0);
    }

    // Whether each write ran in an explicit transaction, in order.
    private async Task<bool[]> ProbedAsync()
    {
        if (Engine == Engine.PostgreSql)
        {
            return WritesOnTheWire();
        }

        await using var connection = await OpenConnectionAsync();
        return [.. (await connection.QueryAsync<long>($"SELECT in_transaction FROM {Probe}")).Select(v => v != 0)];
    }

    // Npgsql sends BEGIN in the packet of the first statement after it, and COMMIT on its own. A statement's text follows
    // a length byte of the protocol, which may read as a letter or digit: no \b before it.
    private bool[] WritesOnTheWire()
    {
        var inTransaction = false;
        var writes = new List<bool>();
        foreach (var packet in _relay!.Sent)
        {
            inTransaction |= Begin().IsMatch(packet);
            if (Write().IsMatch(packet))
            {
                writes.Add(inTransaction);
            }

            inTransaction &= !Commit().IsMatch(packet);
        }

        return [.. writes];
    }

    [GeneratedRegex(@"(?<![A-Za-z])BEGIN\b")]
    private static partial Regex Begin();

    [GeneratedRegex(@"(?<![A-Za-z])(INSERT INTO|UPDATE|DELETE FROM)\b")]
    private static partial Regex Write();

    [GeneratedRegex(@"(?<![A-Za-z])COMMIT\b")]
    private static partial Regex Commit();

    private async Task CreateProbeAsync()
    {
        if (Engine == Engine.PostgreSql)
        {
            return;
        }

        await ExecuteAsync($"DROP TABLE IF EXISTS {Probe}");
        await ExecuteAsync($"CREATE TABLE {Probe} (in_transaction INT NOT NULL)");
        foreach (var table in Tables)
        {
            foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
            {
                var name = $"probe_{table}_{change.ToLowerInvariant()}";
                await ExecuteAsync(Engine switch
                {
                    Engine.MySql => $"CREATE TRIGGER {name} AFTER {change} ON {Q(table)} FOR EACH ROW INSERT INTO {Probe} VALUES (@@in_transaction)",
                    _ => $"CREATE TRIGGER {name} AFTER {change} ON {Q(table)} BEGIN INSERT INTO {Probe} VALUES (in_transaction()); END",
                });
            }
        }
    }
}
