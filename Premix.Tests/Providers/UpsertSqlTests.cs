using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Tests.Repositories;

namespace Premix.Tests.Providers;

/// <summary>
/// The upsert SQL each dialect renders, as text: the MySQL 8.0.20+ row alias (no MySQL server runs here, only MariaDB),
/// VALUES() for MariaDB and older MySQL, quoted identifiers and placeholders only, and one statement per entity and target.
/// </summary>
public sealed class UpsertSqlTests
{
    private static readonly UpsertShape Versioned = new(
        "`preferences`", ["`Name`", "`Value`", "`Version`"], ["@Name", "@Value", "@Version"], ["`Name`"], ["@Name"], ["`Value`"], null, "`Name`", "`Version`", "@Version", IgnoreConflicts: false);

    [TestCase("8.0.36")]
    [TestCase("8.0.20")]
    [TestCase("9.1.0")]
    public void MySql_8_0_20_and_later_name_the_values_given_through_the_row_alias(string version)
    {
        var sql = MySqlDialect.ForServer(version).Upsert(Versioned);

        Assert.That(sql, Does.StartWith("INSERT INTO `preferences` (`Name`, `Value`, `Version`) VALUES (@Name, @Value, @Version) AS `__new` ON DUPLICATE KEY UPDATE "));
        Assert.That(sql, Does.Contain("`Value` = IF(`Version` = `__new`.`Version`, `__new`.`Value`, `Value`), `Version` = IF(`Version` = `__new`.`Version`, `Version` + 1, `Version`)"));
        Assert.That(sql, Does.Not.Contain("VALUES(`"));
    }

    [TestCase("10.11.6-MariaDB")]
    [TestCase("11.4.2-MariaDB-ubu2404")]
    [TestCase("8.0.19")]
    [TestCase("5.7.44")]
    public void MariaDB_and_MySQL_before_8_0_20_name_the_values_given_with_VALUES(string version)
    {
        var sql = MySqlDialect.ForServer(version).Upsert(Versioned);

        Assert.That(sql, Does.Contain("`Value` = IF(`Version` = VALUES(`Version`), VALUES(`Value`), `Value`)"));
        Assert.That(sql, Does.Not.Contain("__new"));
        Assert.That(new MySqlDialect().Upsert(Versioned), Is.EqualTo(sql));
    }

    [Test]
    public void MySql_writes_a_generated_key_back_on_the_update_path_with_LAST_INSERT_ID_of_the_key()
    {
        var shape = new UpsertShape("`subscribers`", ["`Email`", "`Name`"], ["@Email", "@Name"], ["`Email`"], ["@Email"], ["`Name`"], "`Id`", "`Id`", null, null, IgnoreConflicts: false);

        Assert.That(
            new MySqlDialect().Upsert(shape),
            Is.EqualTo("INSERT INTO `subscribers` (`Email`, `Name`) VALUES (@Email, @Name) ON DUPLICATE KEY UPDATE `Id` = LAST_INSERT_ID(`Id`), `Name` = VALUES(`Name`); SELECT LAST_INSERT_ID(), CASE ROW_COUNT() WHEN 2 THEN FALSE END, NULL"));
    }

    [Test]
    public void MariaDB_lists_a_run_of_upserts_of_a_generated_key_in_one_statement_whose_answer_rows_tell_key_and_outcome()
    {
        var shape = new UpsertShape("`subscribers`", ["`Email`", "`Name`"], ["@Email", "@Name"], ["`Email`"], ["@Email"], ["`Name`"], "`Id`", "`Id`", null, null, IgnoreConflicts: false);

        Assert.That(
            new MySqlDialect().UpsertRows(shape, [["@p0", "@p1"], ["@p2", "@p3"]]),
            Is.EqualTo("DO LAST_INSERT_ID(0); INSERT INTO `subscribers` (`Email`, `Name`) VALUES (@p0, @p1), (@p2, @p3) ON DUPLICATE KEY UPDATE `Id` = LAST_INSERT_ID(`Id`), `Name` = VALUES(`Name`) "
                + "RETURNING `Id`, LAST_INSERT_ID() <> `Id`, NULLIF(LAST_INSERT_ID(0), 0)"));
    }

    [Test]
    public void MariaDB_lists_versioned_upserts_and_inserts_or_ignore_with_a_fourth_answer_column_that_flags_each_row_it_did_not_write()
    {
        var shape = new UpsertShape("`subscribers`", ["`Email`", "`Name`"], ["@Email", "@Name"], ["`Email`"], ["@Email"], ["`Name`"], "`Id`", "`Id`", null, null, IgnoreConflicts: true);
        const string Answer = "(LAST_INSERT_ID() <> 2) + LAST_INSERT_ID(0)";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                new MySqlDialect().UpsertRows(Versioned, [["@p0", "@p1", "@p2"], ["@p3", "@p4", "@p5"]]),
                Is.EqualTo("DO LAST_INSERT_ID(0); INSERT INTO `preferences` (`Name`, `Value`, `Version`) VALUES (@p0, @p1, @p2), (@p3, @p4, @p5) ON DUPLICATE KEY UPDATE "
                    + "`Value` = IF(`Version` = VALUES(`Version`), VALUES(`Value`), `Value`), "
                    + "`Version` = IF(`Version` = VALUES(`Version`), IF(LAST_INSERT_ID(1) = 1, `Version` + 1, `Version`), IF(LAST_INSERT_ID(2) = 2, `Version`, `Version`)) "
                    + $"RETURNING `Name`, LAST_INSERT_ID() = 0, `Version`, {Answer}"));
            Assert.That(
                new MySqlDialect().UpsertRows(shape, [["@p0", "@p1"]]),
                Is.EqualTo($"DO LAST_INSERT_ID(0); INSERT INTO `subscribers` (`Email`, `Name`) VALUES (@p0, @p1) ON DUPLICATE KEY UPDATE `Email` = IF(LAST_INSERT_ID(2) = 2, `Email`, `Email`) RETURNING `Id`, LAST_INSERT_ID() = 0, NULL, {Answer}"));
            Assert.That(new MySqlDialect().UpsertRows(shape, [["@p0", "@p1"]]), Does.Not.Contain("INSERT IGNORE"));
        }
    }

    [Test]
    public void MySql_insert_or_ignore_never_uses_INSERT_IGNORE()
    {
        var shape = Versioned with { IgnoreConflicts = true };

        Assert.That(new MySqlDialect().Upsert(shape), Does.Not.Contain("INSERT IGNORE").And.Contain("ON DUPLICATE KEY UPDATE `Name` = IF(LAST_INSERT_ID(1) = 1, `Name`, `Name`)"));
    }

    [Test]
    public void PostgreSql_upserts_with_ON_CONFLICT_and_guards_the_version_in_its_WHERE()
    {
        var shape = new UpsertShape("\"preferences\"", ["\"Name\"", "\"Value\"", "\"Version\""], ["@Name", "@Value", "@Version"], ["\"Name\""], ["@Name"], ["\"Value\""], null, "\"Name\"", "\"Version\"", "@Version", IgnoreConflicts: false);

        Assert.That(
            new PostgreSqlDialect().Upsert(shape),
            Is.EqualTo("INSERT INTO \"preferences\" (\"Name\", \"Value\", \"Version\") VALUES (@Name, @Value, @Version) ON CONFLICT (\"Name\") DO UPDATE SET \"Value\" = excluded.\"Value\", \"Version\" = \"preferences\".\"Version\" + 1 "
                + "WHERE \"preferences\".\"Version\" = excluded.\"Version\" RETURNING \"Name\", (xmax = 0), \"Version\""));
        Assert.That(new SqliteDialect().Upsert(shape with { IgnoreConflicts = true }), Does.EndWith("ON CONFLICT (\"Name\") DO NOTHING RETURNING \"Name\", TRUE, \"Version\""));
    }

    [TestCase("8.0.36", true)]
    [TestCase("8.0.20", true)]
    [TestCase("8.4.0-commercial", true)]
    [TestCase("9.1.0", true)]
    [TestCase("8.0.19", false)]
    [TestCase("5.7.44-log", false)]
    [TestCase("10.11.19-MariaDB-0+deb12u1", false)]
    [TestCase("5.5.5-10.6.12-MariaDB-log", false)]
    [TestCase("11.4.2-MariaDB-ubu2404", false)]
    [TestCase("", false)]
    public void The_commit_picks_the_row_alias_form_from_the_connections_server_version_whatever_the_dialect_renders_without_one(string version, bool rowAlias)
    {
        var model = new ModelBuilder().Add(new PreferenceMap()).Build();
        foreach (var dialect in new[] { new MySqlDialect(), MySqlDialect.ForServer("8.0.36"), MySqlDialect.ForServer("10.11.6-MariaDB") })
        {
            var plan = new PlanCompiler(dialect).Compile(model)[typeof(Preference)];
            var sql = plan.Upserts.For(0, ignoreConflicts: false, dialect.UpsertForm(new VersionOnlyConnection(version))).Sql;

            Assert.That(sql.Contains("AS `__new` ON DUPLICATE KEY UPDATE", StringComparison.Ordinal), Is.EqualTo(rowAlias), sql);
            Assert.That(sql.Contains("VALUES(`Value`)", StringComparison.Ordinal), Is.EqualTo(!rowAlias), sql);
        }
    }

    [Test]
    public void A_plan_builds_each_form_of_an_upsert_statement_once()
    {
        var model = new ModelBuilder().Add(new PreferenceMap()).Build();
        var plan = new PlanCompiler(new MySqlDialect()).Compile(model)[typeof(Preference)];

        var values = plan.Upserts.For(0, ignoreConflicts: true, form: 0);
        var alias = plan.Upserts.For(0, ignoreConflicts: true, form: 1);

        Assert.That(plan.Upserts.For(0, ignoreConflicts: true, form: 0), Is.SameAs(values));
        Assert.That(plan.Upserts.For(0, ignoreConflicts: true, form: 1), Is.SameAs(alias));
        Assert.That(alias.Sql, Does.Contain("AS `__new` ON DUPLICATE KEY UPDATE").And.Not.Contain("VALUES(`"));
        Assert.That(values.Sql, Does.Not.Contain("__new"));
    }

    [Test]
    public void A_plan_builds_each_upsert_statement_once()
    {
        var model = new ModelBuilder().Add(new SubscriberMap()).Build();
        var plan = new PlanCompiler(new PostgreSqlDialect()).Compile(model)[typeof(Subscriber)];
        var target = plan.Upserts.Resolve((System.Linq.Expressions.Expression<Func<Subscriber, object?>>)(s => s.Email), "Upsert");

        var first = plan.Upserts.For(target, ignoreConflicts: false);
        var again = plan.Upserts.For(target, ignoreConflicts: false);

        Assert.That(again, Is.SameAs(first));
        Assert.That(first.Sql, Does.Contain("ON CONFLICT (\"Email\") DO UPDATE SET \"Name\" = excluded.\"Name\" RETURNING \"Id\", (xmax = 0), NULL"));
    }
}

/// <summary>A connection that only announces a server version, as MySqlConnection does once open.</summary>
internal sealed class VersionOnlyConnection(string serverVersion) : System.Data.Common.DbConnection
{
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string ConnectionString { get; set; } = "";

    public override string Database => "";

    public override string DataSource => "";

    public override string ServerVersion => serverVersion;

    public override System.Data.ConnectionState State => System.Data.ConnectionState.Open;

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    public override void Close()
    {
    }

    public override void Open()
    {
    }

    protected override System.Data.Common.DbTransaction BeginDbTransaction(System.Data.IsolationLevel isolationLevel) => throw new NotSupportedException();

    protected override System.Data.Common.DbCommand CreateDbCommand() => throw new NotSupportedException();
}
