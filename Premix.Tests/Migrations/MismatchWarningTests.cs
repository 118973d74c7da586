using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// <see cref="SchemaDiff.MismatchWarning"/> on each engine: a diff taken under another naming convention than the
/// database's, or against another database, says so; a diff of real changes, or against an empty database, does not.
/// </summary>
public sealed class MismatchWarningTests(Engine engine) : PremixTest(engine)
{
    [SetUp]
    public async Task DropTablesAsync()
    {
        await using var connection = await OpenConnectionAsync();
        foreach (var table in new[] { "mismatch_line", "MismatchLine", "mismatch_lines", "mismatch_other", "premix_migrations" })
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
        }
    }

    [Test]
    public async Task Tables_the_database_names_in_snake_case_get_the_warning_under_names_as_written()
    {
        await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap()).UseNamingConvention(NamingConvention.SnakeCase)).SyncAsync();

        var diff = await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap())).DiffAsync();

        Assert.That(diff.MismatchWarning, Is.EqualTo(
            "1 mapped name(s) are missing from the database, which has the same names spelled otherwise (MismatchLine / mismatch_line):"
            + " the naming convention probably does not match the database's, whose names look snake_case (NamingConvention.SnakeCase)."));
    }

    [Test]
    public async Task Columns_the_database_names_as_written_get_the_warning_under_snake_case()
    {
        await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap("mismatch_lines"))).SyncAsync();

        var diff = await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap("mismatch_lines")).UseNamingConvention(NamingConvention.SnakeCase)).DiffAsync();

        Assert.That(diff.MismatchWarning, Does.StartWith("1 mapped name(s) are missing from the database, which has the same names spelled otherwise (mismatch_lines.unit_price / mismatch_lines.UnitPrice):")
            .And.EndWith("whose names look as written in C# (NamingConvention.AsWritten)."));
    }

    [Test]
    public async Task A_database_holding_only_other_tables_gets_the_warning_that_it_is_another_database()
    {
        await ExecuteAsync($"CREATE TABLE {Q("mismatch_other")} ({Q("id")} INT PRIMARY KEY)");

        var diff = await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap())).DiffAsync();

        Assert.That(diff.MismatchWarning, Is.EqualTo(
            "None of the 1 mapped table(s) exists in the database, which holds 1 other table(s) (mismatch_other): the connection probably names another database (or schema) than the application's."));
    }

    [Test]
    public async Task A_database_holding_only_premix_tables_gets_no_warning()
    {
        await ExecuteAsync($"CREATE TABLE {Q("premix_migrations")} ({Q("version")} BIGINT PRIMARY KEY)");

        var diff = await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap())).DiffAsync();

        Assert.That(diff.IsEmpty, Is.False);
        Assert.That(diff.MismatchWarning, Is.Null);
    }

    [Test]
    public async Task A_new_column_in_a_table_that_exists_gets_no_warning()
    {
        await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap(ignoreNote: true))).SyncAsync();

        var diff = await CreatePremix(p => p.AddModelConfiguration(new MismatchLineMap())).DiffAsync();

        Assert.That(diff.ToString(), Does.Contain("add column MismatchLine.Note"));
        Assert.That(diff.MismatchWarning, Is.Null);
    }

    /// <summary>A line of an order, with names that two naming conventions spell differently.</summary>
    public sealed class MismatchLine
    {
        /// <summary>The generated key.</summary>
        public long Id { get; set; }

        /// <summary>Spelled <c>UnitPrice</c> or <c>unit_price</c>.</summary>
        public decimal UnitPrice { get; set; }

        /// <summary>One word: the same under both conventions.</summary>
        public string? Note { get; set; }
    }

    private sealed class MismatchLineMap(string? table = null, bool ignoreNote = false) : ModelConfiguration<MismatchLine>
    {
        public override void Configure(EntityBuilder<MismatchLine> entity)
        {
            if (table is not null)
            {
                entity.ToTable(table);
            }

            if (ignoreNote)
            {
                entity.Ignore(l => l.Note);
            }

            entity.Property(l => l.UnitPrice).HasPrecision(10, 2);
        }
    }
}
