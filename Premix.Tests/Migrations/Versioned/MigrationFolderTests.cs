using Premix.Migrations;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>Reading migration files: names, sections, checksums and the template; no database involved.</summary>
public sealed class MigrationFolderTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "premix_migrations_" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Load_reads_up_and_down_sections_in_version_order()
    {
        Write("20260102000000_second.sql", "-- +premix Up\nCREATE TABLE b (id INT);\n");
        Write("20260101000000_first.sql", "-- about this migration\n\n-- +premix Up\nCREATE TABLE a (id INT);\nINSERT INTO a VALUES (1);\n\n-- +premix Down\nDROP TABLE a;\n");
        Write("README.md", "not a migration");

        var files = MigrationFolder.Load(_folder);

        Assert.That(files.Select(f => (f.Version, f.Name)), Is.EqualTo(new[] { (20260101000000L, "first"), (20260102000000L, "second") }));
        Assert.That(files[0].Up, Is.EqualTo("CREATE TABLE a (id INT);\nINSERT INTO a VALUES (1);"));
        Assert.That(files[0].Down, Is.EqualTo("DROP TABLE a;"));
        Assert.That(files[1].Down, Is.Null);
    }

    [Test]
    public void Section_markers_are_case_insensitive_and_may_come_in_either_order()
    {
        Write("20260101000000_first.sql", "--  +PREMIX down\nDROP TABLE a;\n-- +premix UP\nCREATE TABLE a (id INT);\n");

        var file = MigrationFolder.Load(_folder).Single();

        Assert.That((file.Up, file.Down), Is.EqualTo(("CREATE TABLE a (id INT);", "DROP TABLE a;")));
    }

    [Test]
    public void The_checksum_is_the_sha256_of_the_text_with_unix_line_endings_so_a_windows_checkout_keeps_it()
    {
        Write("20260101000000_unix.sql", "-- +premix Up\nCREATE TABLE a (id INT);\n");
        var unix = MigrationFolder.Load(_folder).Single().Checksum;
        Write("20260101000000_unix.sql", "\uFEFF-- +premix Up\r\nCREATE TABLE a (id INT);\r\n");

        var windows = MigrationFolder.Load(_folder).Single().Checksum;

        Assert.That(unix, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("-- +premix Up\nCREATE TABLE a (id INT);\n"u8))));
        Assert.That(windows, Is.EqualTo(unix));
    }

    [TestCase("add_orders.sql")]
    [TestCase("2026010100000_short.sql")]
    [TestCase("20260101000000-dash.sql")]
    [TestCase("20260101000000_.sql")]
    [TestCase("20260101000000_has space.sql")]
    [TestCase("20261301000000_month13.sql")]
    public void A_file_name_not_of_the_form_timestamp_underscore_name_is_refused_by_name(string fileName)
    {
        Write(fileName, "-- +premix Up\nSELECT 1;\n");

        var error = Assert.Throws<MigrationException>(() => MigrationFolder.Load(_folder));

        Assert.That(error!.Message, Does.Contain(fileName).And.Contain("YYYYMMDDHHMMSS"));
        Assert.That(error.FileName, Is.EqualTo(fileName));
    }

    [TestCase("CREATE TABLE a (id INT);\n", "no '-- +premix Up' section")]
    [TestCase("-- +premix Down\nDROP TABLE a;\n", "no '-- +premix Up' section")]
    [TestCase("-- +premix Up\n-- nothing yet\n\n-- +premix Down\nDROP TABLE a;\n", "Up section is empty")]
    [TestCase("SELECT 1;\n-- +premix Up\nSELECT 2;\n", "SQL before the first section")]
    [TestCase("-- +premix Up\nSELECT 1;\n-- +premix Up\nSELECT 2;\n", "a second '-- +premix Up' section")]
    [TestCase("-- +premix Up\nSELECT 1;\n-- +premix StatementEnd\n", "unknown directive")]
    public void A_malformed_file_is_refused_naming_the_file_and_the_problem(string text, string problem)
    {
        Write("20260101000000_bad.sql", text);

        var error = Assert.Throws<MigrationException>(() => MigrationFolder.Load(_folder));

        Assert.That(error!.Message, Does.Contain("20260101000000_bad.sql").And.Contain(problem));
    }

    [Test]
    public void Two_files_with_the_same_version_are_refused_naming_both()
    {
        Write("20260101000000_one.sql", "-- +premix Up\nSELECT 1;\n");
        Write("20260101000000_two.sql", "-- +premix Up\nSELECT 2;\n");

        var error = Assert.Throws<MigrationException>(() => MigrationFolder.Load(_folder));

        Assert.That(error!.Message, Does.Contain("20260101000000_one.sql").And.Contain("20260101000000_two.sql").And.Contain("same version"));
    }

    [Test]
    public void Every_malformed_file_is_reported_at_once()
    {
        Write("bad_name.sql", "-- +premix Up\nSELECT 1;\n");
        Write("20260101000000_no_up.sql", "SELECT 1;\n");

        var error = Assert.Throws<MigrationException>(() => MigrationFolder.Load(_folder));

        Assert.That(error!.Message, Does.Contain("2 malformed file(s)").And.Contain("bad_name.sql").And.Contain("20260101000000_no_up.sql"));
    }

    [Test]
    public void A_missing_folder_is_refused_naming_it()
    {
        var missing = Path.Combine(_folder, "nope");

        var error = Assert.Throws<MigrationException>(() => MigrationFolder.Load(missing));

        Assert.That(error!.Message, Does.Contain(missing));
    }

    [Test]
    public void NewMigrationFile_writes_a_template_named_after_the_utc_time_that_is_refused_until_filled_in()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 29, 14, 30, 5, TimeSpan.FromHours(2)));

        var path = MigrationFolder.NewMigrationFile(_folder, "add_orders", clock);

        Assert.That(Path.GetFileName(path), Is.EqualTo("20261129123005_add_orders.sql"));
        Assert.That(File.ReadAllText(path), Does.Contain("-- +premix Up").And.Contain("-- +premix Down"));
        var error = Assert.Throws<MigrationException>(() => MigrationFolder.Load(_folder));
        Assert.That(error!.Message, Does.Contain("Up section is empty"));

        File.WriteAllText(path, File.ReadAllText(path).Replace("-- +premix Up\n", "-- +premix Up\nCREATE TABLE orders (id INT);\n", StringComparison.Ordinal));
        Assert.That(MigrationFolder.Load(_folder).Single().Up, Is.EqualTo("CREATE TABLE orders (id INT);"));
    }

    [Test]
    public void NewMigrationFile_refuses_a_name_with_other_characters_and_a_second_file_in_the_same_second()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

        Assert.Throws<ArgumentException>(() => MigrationFolder.NewMigrationFile(_folder, "add orders", clock));
        MigrationFolder.NewMigrationFile(_folder, "first", clock);
        Assert.Throws<IOException>(() => MigrationFolder.NewMigrationFile(_folder, "second", clock));
    }

    private void Write(string fileName, string text) => File.WriteAllText(Path.Combine(_folder, fileName), text);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
