using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>Every statement is logged with its SQL; values only when asked for; sensitive values never.</summary>
public sealed class LoggingTests(Engine engine) : PremixTest(engine)
{
    private const string SecretEmail = "ada.secret@example.com";

    [Test]
    public async Task Statements_are_logged_with_their_sql_and_without_values_by_default()
    {
        var (premix, logs) = await CreateLoggedPremixAsync(parameterLogging: false);

        await InsertAsync(premix, "Ada", SecretEmail);

        var executed = logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(executed, Has.Count.EqualTo(1));
            Assert.That(executed[0].Level, Is.EqualTo(LogLevel.Debug));
            Assert.That(executed[0].Message, Does.Contain("Insert Customer").And.Contain(premix.GetPlan<Customer>().Insert.Sql).And.Contain("@Name, @Email, @Visits"));
            Assert.That(executed[0].Message, Does.Not.Contain("Ada'"));
            Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contains(SecretEmail));
        }
    }

    [Test]
    public async Task Parameter_logging_shows_values_but_masks_sensitive_columns()
    {
        var (premix, logs) = await CreateLoggedPremixAsync(parameterLogging: true);

        await InsertAsync(premix, "Ada", SecretEmail);

        var insert = logs.Entries.Single(e => e.Id == PremixEventId.CommandExecuted).Message;
        Assert.That(insert, Does.Contain("@Name='Ada', @Email=***, @Visits=0"));
        Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contains(SecretEmail));
    }

    [Test]
    public async Task A_commit_of_several_rows_logs_every_value_with_sensitive_columns_masked()
    {
        var (premix, logs) = await CreateLoggedPremixAsync(parameterLogging: true);

        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "Ada", Email = SecretEmail });
            uow.Repository<Customer>().Add(new Customer { Name = "Bob", Email = "bob-" + SecretEmail });
            await uow.CommitAsync();
        }

        // PostgreSQL sends both rows as one statement with an array per column, MariaDB as one statement listing both rows;
        // SQLite sends a statement per row.
        var inserts = logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            if (Engine != Engine.Sqlite)
            {
                Assert.That(inserts.Single(), Does.Contain("@Name=['Ada', 'Bob'], @Email=[***, ***], @Visits=[0, 0]").And.Contain(Engine == Engine.PostgreSql ? "unnest(" : "), ("));
            }
            else
            {
                Assert.That(inserts, Has.Count.EqualTo(2));
                Assert.That(inserts[1], Does.Contain("@Name='Bob', @Email=***, @Visits=0"));
            }

            Assert.That(inserts, Has.None.Contains(SecretEmail));
        }
    }

    [Test]
    public async Task A_failed_commit_of_several_rows_is_thrown_without_the_sensitive_value()
    {
        var (premix, logs) = await CreateLoggedPremixAsync(parameterLogging: true);
        await premix.Raw($"CREATE UNIQUE INDEX {I("ux_customers_email")} ON {I("customers")} ({I("Email")})").ExecuteAsync();

        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada", Email = SecretEmail });
        uow.Repository<Customer>().Add(new Customer { Name = "Copycat", Email = SecretEmail });
        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain(" of Customer failed:"));
            Assert.That(error.Message, Does.Not.Contain(SecretEmail));
            Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contains(SecretEmail));
            Assert.That(await CountRowsAsync("customers"), Is.Zero);
        }
    }

    [Test]
    public async Task A_failed_statement_is_logged_and_thrown_without_the_sensitive_value()
    {
        var (premix, logs) = await CreateLoggedPremixAsync(parameterLogging: true);
        await premix.Raw($"CREATE UNIQUE INDEX {I("ux_customers_email")} ON {I("customers")} ({I("Email")})").ExecuteAsync();
        await InsertAsync(premix, "Ada", SecretEmail);

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => InsertAsync(premix, "Copycat", SecretEmail));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.StartWith("Insert of Customer failed:"));
            Assert.That(error.Message, Does.Not.Contain(SecretEmail));
            Assert.That(logs.Entries.Where(e => e.Id == PremixEventId.CommandFailed).ToList(), Has.Count.EqualTo(1));
            Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contains(SecretEmail));
            Assert.That(logs.Entries.Where(e => e.Id == PremixEventId.RolledBack).ToList(), Has.Count.EqualTo(1));
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_failed_row_of_a_commit_is_logged_with_its_own_values_when_only_failures_are_logged()
    {
        var (premix, logs) = await CreateLoggedPremixAsync(parameterLogging: true, LogLevel.Information);
        await premix.Raw($"CREATE UNIQUE INDEX {I("ux_customers_name")} ON {I("customers")} ({I("Name")})").ExecuteAsync();

        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada", Email = SecretEmail });
        uow.Repository<Customer>().Add(new Customer { Name = "Bob", Email = "bob-" + SecretEmail });
        uow.Repository<Customer>().Add(new Customer { Name = "Ada", Email = "copy-" + SecretEmail });
        Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        // SQLite re-binds one command per row, describing a row's values only for whoever looks at them: here the failure.
        // PostgreSQL and MariaDB send the three rows as one statement, which fails as a whole.
        var failed = logs.Entries.Single(e => e.Id == PremixEventId.CommandFailed).Message;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed, Engine == Engine.Sqlite ? Does.Contain("@Name='Ada', @Email=***, @Visits=0").And.Not.Contain("'Bob'") : Does.Contain("'Bob'"));
            Assert.That(logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).ToList(), Is.Empty);
            Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contains(SecretEmail));
        }
    }

    private async Task<(IPremix Premix, CapturingLoggerProvider Logs)> CreateLoggedPremixAsync(bool parameterLogging, LogLevel minimumLevel = LogLevel.Debug)
    {
        var logs = new CapturingLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(minimumLevel));
        await using (var setup = CreatePremix(p => p.AddModelConfiguration<CustomerMap>()))
        {
            await RecreateTablesAsync(setup); // unlogged: the schema sync's statements are logged too, and these tests count the insert's
        }

        return (CreatePremix(p => p.AddModelConfiguration<CustomerMap>().EnableParameterLogging(parameterLogging), factory), logs);
    }

    private static async Task InsertAsync(IPremix premix, string name, string email)
    {
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = name, Email = email });
        await uow.CommitAsync();
    }
}
