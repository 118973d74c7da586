using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A statement the database refuses in the middle of a commit is the error the caller gets, on every engine: the rollback
/// that follows succeeds (no <see cref="DatabaseCommandException.RollbackError"/>), nothing is written, and the unit of work
/// commits on (on PostgreSQL and MariaDB in the same server session: the connection was kept). When the failure breaks the
/// connection instead, see
/// <see cref="KilledStatementTests"/> and <see cref="Types.MaxAllowedPacketTests"/>.
/// </summary>
public sealed class FirstErrorTests(Engine engine) : ResilienceTest(engine)
{
    private const string Refused = "Refused";

    [SetUp]
    public async Task CreateTablesAsync() => await CreatePremixWithTablesAsync(new CustomerMap());

    [Test]
    [NeedsServerSession("It proves the connection was kept by reading the same pg_backend_pid before and after; behind a pooler each transaction may get another server session.")]
    public async Task A_statement_refused_mid_commit_is_the_error_thrown_the_rollback_succeeds_and_the_unit_of_work_commits_on()
    {
        await ExecuteAsync(RefusingTriggerSql());
        await using var premix = CreateRetryingPremix(new CustomerMap());
        await using var uow = premix.BeginUnitOfWork();
        long? session = Engine == Engine.Sqlite ? null : await SessionIdAsync(uow);
        Customer[] customers = [new() { Name = "Ada" }, new() { Name = Refused }];
        foreach (var customer in customers)
        {
            uow.Repository<Customer>().Add(customer);
        }

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That((error!.Entity, error.ErrorKind, error.RollbackError), Is.EqualTo(("Customer", DatabaseErrorKind.Permanent, (Exception?)null)), error.ToString());
            Assert.That(error.Operation, Does.StartWith("Insert"), "the insert (of both rows at once on PostgreSQL)");
            Assert.That(error.Message, Does.Contain("refused by the trigger"));
            Assert.That(await CountRowsAsync("customers"), Is.Zero, "nothing was written");
            Assert.That(customers.Select(c => c.Id), Is.All.Zero, "the objects are as before the commit");
            Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RollbackFailed), Is.Zero);
            if (session is not null)
            {
                Assert.That(await SessionIdAsync(uow), Is.EqualTo(session), "the server's session is the same: the connection was kept");
            }
        }

        customers[1].Name = "Bo";
        await uow.CommitAsync();
        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(2), "and commits on it");
    }

    private string RefusingTriggerSql() => Engine switch
    {
        Engine.Sqlite => $"""CREATE TRIGGER refuse BEFORE INSERT ON customers WHEN NEW."Name" = '{Refused}' BEGIN SELECT RAISE(ABORT, 'refused by the trigger'); END;""",
        Engine.PostgreSql => $"""
            DROP FUNCTION IF EXISTS refuse CASCADE;
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW."Name" = '{Refused}' THEN RAISE EXCEPTION 'refused by the trigger'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION refuse();
            """,
        _ => $"""
            CREATE TRIGGER refuse BEFORE INSERT ON customers FOR EACH ROW
            BEGIN
                IF NEW.Name = '{Refused}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the trigger'; END IF;
            END;
            """,
    };
}
