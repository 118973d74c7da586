using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>
/// The statements of a schema sync and of a migration run take the path of every other Premix statement: the same log
/// events with parameters shown the same way, the same exception for a failure, and a history table that each engine
/// creates from one description.
/// </summary>
public sealed class SchemaStatementPathTests(Engine engine) : MigrationTest(engine)
{
    private CapturingLoggerProvider _logs = null!;
    private ILoggerFactory _loggerFactory = null!;

    [SetUp]
    public async Task DropCustomersAndCaptureLogsAsync()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q("customers")}");
        }

        _logs = new CapturingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
    }

    [TearDown]
    public void DisposeLogs()
    {
        _loggerFactory.Dispose();
        _logs.Dispose();
    }

    [Test]
    public async Task A_syncs_DDL_is_logged_with_the_event_of_a_repository_insert()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()), _loggerFactory);

        await premix.SyncAsync();
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
            await uow.CommitAsync();
        }

        var executed = _logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(executed, Has.Some.StartsWith("Executed Sync ").And.Contains("CREATE TABLE " + Q("customers")), string.Join(Environment.NewLine, executed));
            Assert.That(executed, Has.Some.StartsWith("Executed Insert Customer "));
        }
    }

    [Test]
    public async Task A_history_insert_shows_its_parameter_names_but_not_their_values_like_a_repository_insert()
    {
        var file = Write(V1, "logged", "CREATE TABLE t_a (id INT)");
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()), _loggerFactory);
        await premix.SyncAsync();

        await premix.MigrateAsync(Folder);
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "Ada", Email = "ada@example.com" });
            await uow.CommitAsync();
        }

        var executed = _logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message).ToList();
        var history = executed.Single(m => m.StartsWith("Executed MigrationHistory ", StringComparison.Ordinal) && m.Contains("INSERT INTO", StringComparison.Ordinal));
        var insert = executed.Single(m => m.StartsWith("Executed Insert Customer ", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(history, Does.Contain("[@version, @name, @checksum, @appliedAt, @durationMs, @success]"));
            Assert.That(history, Does.Not.Contain(Sha256(file)).And.Not.Contain(V1.ToString(System.Globalization.CultureInfo.InvariantCulture) + ","));
            Assert.That(insert, Does.Contain("@").And.Not.Contain("Ada").And.Not.Contain("ada@example.com"));
            Assert.That(executed, Has.Some.StartsWith("Executed Migrate ").And.Contains("CREATE TABLE t_a"));
        }
    }

    [Test]
    public async Task A_schema_reads_catalog_queries_are_logged_with_the_event_of_a_repository_insert_and_their_list_parameters_bound()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()), _loggerFactory);
        await premix.SyncAsync();
        var before = _logs.Entries.Count;

        var diff = await premix.DiffAsync();

        var introspected = _logs.Entries.Skip(before).Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message).Where(m => m.StartsWith("Executed Introspect ", StringComparison.Ordinal)).ToList();
        var catalog = Engine switch
        {
            Engine.Sqlite => "pragma_table_info(@table)",
            Engine.PostgreSql => "n.nspname = ANY(@schemas)",
            _ => "TABLE_SCHEMA IN @schemas",
        };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.IsEmpty, Is.True, $"the list parameters bound as before (the read found the synced table): {diff}");
            Assert.That(introspected, Has.Some.Contains(catalog), string.Join(Environment.NewLine, introspected));
        }
    }

    [Test]
    public async Task A_migration_runs_lock_statements_are_logged_with_the_event_of_a_repository_insert()
    {
        Write(V1, "locked", "CREATE TABLE t_a (id INT)");
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()), _loggerFactory);

        await premix.MigrateAsync(Folder);

        var locks = _logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message).Where(m => m.StartsWith("Executed MigrationLock ", StringComparison.Ordinal)).ToList();
        string[] expected = Engine switch
        {
            Engine.Sqlite => ["BEGIN EXCLUSIVE", "COMMIT"],
            // The lock lives in transactions: one creates the history table, one runs the migration; each ends it.
            Engine.PostgreSql => ["pg_advisory_xact_lock(@key)", "SET LOCAL lock_timeout TO DEFAULT", "pg_advisory_xact_lock(@key)", "SET LOCAL lock_timeout TO DEFAULT"],
            // The session lock is checked before each migration: a proxy may have moved the migrator to another session.
            _ => ["GET_LOCK(@name, @timeout)", "IS_USED_LOCK(@name) = CONNECTION_ID()", "RELEASE_LOCK(@name)"],
        };
        Assert.That(locks, Has.Count.EqualTo(expected.Length), string.Join(Environment.NewLine, locks));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.That(locks[i], Does.Contain(expected[i]), "in the order they ran");
        }
    }

    [Test]
    public async Task Scaffolding_through_an_IPremix_logs_its_catalog_queries()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()), _loggerFactory);
        await premix.SyncAsync();
        var before = _logs.Entries.Count;

        var files = await Scaffolder.ScaffoldAsync(premix, new ScaffoldOptions());

        Assert.That(files.Select(f => f.FileName), Has.Some.EqualTo("Customer.cs"));
        Assert.That(_logs.Entries.Skip(before).Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message), Has.Some.StartsWith("Executed Introspect "));
    }

    [Test]
    public async Task A_DDL_statement_the_database_refuses_raises_the_DatabaseCommandException_of_a_failed_repository_statement()
    {
        await using (var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()), _loggerFactory))
        {
            await premix.SyncAsync();
        }

        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('twin', 0), ('twin', 0)");
        await using var unique = CreatePremix(p => p.AddModelConfiguration(new UniqueNameCustomerMap()), _loggerFactory);

        var error = Assert.ThrowsAsync<SchemaChangeException>(() => unique.SyncAsync());
        // The same statement sent as raw SQL: the engine refuses it the same way, and the same exception type comes out.
        var repositoryError = Assert.ThrowsAsync<UniqueConstraintException>(() => unique.Raw(error!.FailedStatement).ExecuteAsync());

        var failed = error!.InnerException as DatabaseCommandException;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed, Is.Not.Null, error.ToString());
            Assert.That(failed?.GetType(), Is.EqualTo(repositoryError!.GetType()));
            Assert.That(failed?.Operation, Is.EqualTo("Sync"));
            Assert.That(failed?.Sql, Is.EqualTo(error.FailedStatement));
            Assert.That(failed?.ErrorKind, Is.EqualTo(Premix.Providers.DatabaseErrorKind.Permanent));
            Assert.That(failed?.InnerException, Is.InstanceOf<System.Data.Common.DbException>());
            Assert.That(
                _logs.Entries.Where(e => e.Id == PremixEventId.CommandFailed).Select(e => e.Message),
                Has.Some.StartsWith("Failed Sync ").And.Contains(error.FailedStatement));
        }
    }

    [Test]
    public async Task The_history_table_has_the_described_columns_in_the_engines_catalog()
    {
        await CreatePremix().MigrateAsync(Folder);

        var columns = await CatalogColumnsAsync("premix_migrations");

        string[] expected = Engine switch
        {
            Engine.Sqlite => ["version INTEGER NOT NULL key", "name TEXT NOT NULL", "checksum TEXT NOT NULL", "applied_at TEXT NOT NULL", "duration_ms INTEGER NOT NULL", "success INTEGER NOT NULL"],
            Engine.PostgreSql =>
            [
                "version bigint NOT NULL key", "name character varying(200) NOT NULL", "checksum character varying(64) NOT NULL",
                "applied_at timestamp(6) with time zone NOT NULL", "duration_ms bigint NOT NULL", "success boolean NOT NULL",
            ],
            _ =>
            [
                "version bigint NOT NULL key", "name varchar(200) NOT NULL", "checksum varchar(64) NOT NULL",
                "applied_at datetime(6) NOT NULL", "duration_ms bigint NOT NULL", "success tinyint(1) NOT NULL",
            ],
        };
        Assert.That(columns, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_history_table_created_by_an_earlier_version_is_kept_and_read()
    {
        // The DDL each provider wrote before the table was described once.
        var old = Engine switch
        {
            Engine.Sqlite => "CREATE TABLE \"premix_migrations\" (\"version\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL, \"checksum\" TEXT NOT NULL, \"applied_at\" TEXT NOT NULL, \"duration_ms\" INTEGER NOT NULL, \"success\" INTEGER NOT NULL)",
            Engine.PostgreSql => "CREATE TABLE \"premix_migrations\" (\"version\" bigint NOT NULL PRIMARY KEY, \"name\" varchar(200) NOT NULL, \"checksum\" char(64) NOT NULL, \"applied_at\" timestamp with time zone NOT NULL, \"duration_ms\" bigint NOT NULL, \"success\" boolean NOT NULL)",
            _ => "CREATE TABLE `premix_migrations` (`version` BIGINT NOT NULL PRIMARY KEY, `name` VARCHAR(200) NOT NULL, `checksum` CHAR(64) NOT NULL, `applied_at` DATETIME(6) NOT NULL, `duration_ms` BIGINT NOT NULL, `success` BOOLEAN NOT NULL)",
        };
        await ExecuteAsync(old);
        var oldColumns = await CatalogColumnsAsync("premix_migrations");
        var first = Write(V1, "create_a", "CREATE TABLE t_a (id INT)");
        await CreatePremix().MigrateAsync(Folder);
        Write(V2, "create_b", "CREATE TABLE t_b (id INT)");

        var applied = await CreatePremix().MigrateAsync(Folder);

        Assert.That(applied.Select(f => f.Version), Is.EqualTo(new[] { V2 }));
        Assert.That((await HistoryAsync()).Select(r => (r.Version, r.Checksum)).First(), Is.EqualTo((V1, Sha256(first))));
        Assert.That(await CatalogColumnsAsync("premix_migrations"), Is.EqualTo(oldColumns));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    /// <summary>A table's columns in order as "name type NOT NULL [key]", read from the engine's own catalog.</summary>
    private async Task<List<string>> CatalogColumnsAsync(string table)
    {
        var sql = Engine switch
        {
            Engine.Sqlite => "SELECT name AS col_name, type AS col_type, \"notnull\" = 1 AS not_null, pk > 0 AS is_key FROM pragma_table_info(@table) ORDER BY cid",
            Engine.PostgreSql =>
                "SELECT a.attname AS col_name, format_type(a.atttypid, a.atttypmod) AS col_type, a.attnotnull AS not_null, "
                + "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS is_key "
                + "FROM pg_attribute a WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            _ => "SELECT COLUMN_NAME AS col_name, COLUMN_TYPE AS col_type, IS_NULLABLE = 'NO' AS not_null, COLUMN_KEY = 'PRI' AS is_key "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION",
        };
        await using var connection = await OpenConnectionAsync();
        var rows = await connection.QueryAsync(sql, new { table });
        return rows.Select(r => $"{r.col_name} {DisplayWidthless((string)r.col_type)}{(Convert.ToBoolean(r.not_null) ? " NOT NULL" : string.Empty)}{(Convert.ToBoolean(r.is_key) ? " key" : string.Empty)}").ToList();
    }

    // MariaDB shows integer display widths (bigint(20)); they mean nothing.
    private string DisplayWidthless(string type) =>
        Engine == Engine.MySql && type.StartsWith("bigint(", StringComparison.Ordinal) ? "bigint" : type;

    private sealed class UniqueNameCustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasMaxLength(20);
            e.Property(c => c.Email).HasMaxLength(100).Sensitive();
            e.HasIndex(c => c.Name).IsUnique();
        }
    }
}
