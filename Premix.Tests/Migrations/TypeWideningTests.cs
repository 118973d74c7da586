using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// Columns made with narrower types than Premix's own (MariaDB's <c>smallint unsigned</c>, <c>text</c>, <c>datetime</c>,
/// <c>blob</c>; PostgreSQL's <c>smallint</c>, <c>varchar(20)</c>, <c>timestamp(0)</c>; a SQLite <c>TEXT</c> under bytes):
/// a mapping with Premix's types widens them, which a sync applies without asking and without losing a value.
/// </summary>
public sealed class TypeWideningTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_widening_is_applied_without_asking_and_keeps_every_value()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync(Engine switch
            {
                Engine.MySql => "CREATE TABLE widened (id INT NOT NULL PRIMARY KEY, amount SMALLINT UNSIGNED NOT NULL, note TEXT NOT NULL, created DATETIME NOT NULL, picture BLOB NOT NULL)",
                Engine.PostgreSql => "CREATE TABLE widened (id integer NOT NULL PRIMARY KEY, amount smallint NOT NULL, note varchar(20) NOT NULL, created timestamp(0) without time zone NOT NULL, picture bytea NOT NULL)",
                _ => "CREATE TABLE widened (id INTEGER NOT NULL PRIMARY KEY, amount INT NOT NULL, note VARCHAR(20) NOT NULL, created TEXT NOT NULL, picture TEXT NOT NULL)",
            });
            var picture = Engine == Engine.Sqlite ? (object)"ab" : new byte[] { 1, 2 };
            var amount = Engine == Engine.MySql ? 65535 : 32767;
            await connection.ExecuteAsync("INSERT INTO widened (id, amount, note, created, picture) VALUES (1, @amount, 'kept', '2024-05-06 07:08:09', @picture)", new { amount, picture });
        }

        var premix = CreatePremix(p => p.AddModelConfiguration(new WidenedMap()));

        var synced = await premix.SyncAsync();

        Assert.That(synced.Operations, Is.Not.Empty, "the columns are widened");
        Assert.That(synced.Destructive, Is.Empty, "a widening loses nothing");
        Assert.That((await premix.DiffAsync()).IsEmpty, Is.True);
        await using var check = await OpenConnectionAsync();
        var row = await check.QuerySingleAsync<(long Amount, string Note, string Created, long PictureLength)>(
            Engine == Engine.MySql
                ? "SELECT amount, note, DATE_FORMAT(created, '%Y-%m-%d %H:%i:%s'), LENGTH(picture) FROM widened"
                : Engine == Engine.PostgreSql
                    ? "SELECT amount, note, to_char(created, 'YYYY-MM-DD HH24:MI:SS'), length(picture) FROM widened"
                    : "SELECT amount, note, created, length(picture) FROM widened");
        Assert.That(row, Is.EqualTo((Engine == Engine.MySql ? 65535L : 32767L, "kept", "2024-05-06 07:08:09", 2L)));
        var types = Engine switch
        {
            Engine.MySql => "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'widened'",
            Engine.PostgreSql => "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'widened'::regclass AND attnum > 0 AND NOT attisdropped",
            _ => "SELECT name, type FROM pragma_table_info('widened')",
        };
        Assert.That((await check.QueryAsync<(string Name, string Type)>(types)).ToDictionary(c => c.Name, c => c.Type), Is.EqualTo(Engine switch
        {
            Engine.MySql => new Dictionary<string, string> { ["id"] = "int(11)", ["amount"] = "int(11)", ["note"] = "longtext", ["created"] = "datetime(6)", ["picture"] = "longblob" },
            Engine.PostgreSql => new Dictionary<string, string> { ["id"] = "integer", ["amount"] = "integer", ["note"] = "text", ["created"] = "timestamp(6) without time zone", ["picture"] = "bytea" },
            _ => new Dictionary<string, string> { ["id"] = "INTEGER", ["amount"] = "INTEGER", ["note"] = "TEXT", ["created"] = "TEXT", ["picture"] = "BLOB" },
        }));
    }

    private sealed class Widened
    {
        public int Id { get; set; }

        public int Amount { get; set; }

        public string Note { get; set; } = "";

        public DateTime Created { get; set; }

        public byte[] Picture { get; set; } = [];
    }

    private sealed class WidenedMap : ModelConfiguration<Widened>
    {
        public override void Configure(EntityBuilder<Widened> e)
        {
            e.ToTable("widened");
            e.HasKey(w => w.Id).IsClientAssigned();
            e.Property(w => w.Id).HasColumnName("id");
            e.Property(w => w.Amount).HasColumnName("amount");
            e.Property(w => w.Note).HasColumnName("note").IsRequired();
            e.Property(w => w.Created).HasColumnName("created");
            e.Property(w => w.Picture).HasColumnName("picture").IsRequired();
        }
    }
}
