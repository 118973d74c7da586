using Microsoft.Extensions.Logging;
using MySqlConnector;
using Premix.Mapping;
using Premix.Providers.MySql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// When MariaDB's bulk channel (<c>MySqlBulkCopy</c>) is not used, and what it never lets pass (issue 17 item 4): without
/// <c>AllowLoadLocalInfile=true</c> in the connection string, with <c>No Backslash Escapes=true</c>, or with the server's
/// <c>local_infile</c> OFF, the rows take
/// the many-row INSERT, each stored once. <c>LOAD DATA LOCAL</c> turns a value the column cannot hold into a warning and
/// stores it changed, even in strict mode: such a commit fails, says why without the value, and writes nothing. The
/// fallback on the other engines is in <see cref="BulkLoadTests"/>; these are MariaDB's own settings.
/// </summary>
[TestFixtureSource(nameof(MariaDbOnly))]
[NonParallelizable] // one test turns the server's local_infile off, which the other fixtures' bulk loads would see
public sealed class BulkLoadMariaDbTests(Engine engine) : PremixTest(engine)
{
    /// <summary><c>AllowLoadLocalInfile</c> and <c>local_infile</c> are MySQL's and MariaDB's own settings.</summary>
    public static IEnumerable<Engine> MariaDbOnly { get; } = [Engine.MySql];

    private readonly CapturingLoggerProvider _log = new();
    private ILoggerFactory _loggerFactory = null!;
    private int _logged;

    [SetUp]
    public async Task CreateTableAsync()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        _logged = _log.Entries.Count;
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new ItemMap()));
        await RecreateTablesAsync(premix);
    }

    [TearDown]
    public void DisposeLog() => _loggerFactory.Dispose();

    [Test]
    public async Task Without_AllowLoadLocalInfile_in_the_connection_string_the_rows_take_the_many_row_insert()
    {
        await using (var premix = Bulk(allowLoadLocalInfile: false))
        {
            await InsertAsync(premix, Items(50));
        }

        AssertManyRowInsert();
        Assert.That(await CountRowsAsync("bulk_items"), Is.EqualTo(50));
    }

    [Test]
    public async Task With_local_infile_off_on_the_server_the_rows_take_the_many_row_insert_each_stored_once()
    {
        var before = await ScalarAsync<long>("SELECT @@GLOBAL.local_infile");
        await ExecuteAsync("SET GLOBAL local_infile = 0");
        try
        {
            await using var premix = Bulk(allowLoadLocalInfile: true);
            await InsertAsync(premix, Items(50));
            await InsertAsync(premix, Items(50, from: 100)); // the check is made once: the second commit goes straight to the INSERT
        }
        finally
        {
            await ExecuteAsync($"SET GLOBAL local_infile = {before}");
        }

        AssertManyRowInsert();
        Assert.That(Logged().Count(e => e.Contains("SELECT @@local_infile", StringComparison.Ordinal)), Is.EqualTo(1), "checked once per table and data source");
        Assert.That(await CountRowsAsync("bulk_items"), Is.EqualTo(100));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(DISTINCT {Q("Id")}) FROM {Q("bulk_items")}"), Is.EqualTo(100), "no row lost or written twice");
    }

    [Test]
    public async Task A_value_LOAD_DATA_would_store_changed_fails_the_commit_without_the_value_and_writes_nothing()
    {
        // The mapping allows any length; the column, made by hand, holds 8 characters. An INSERT is refused in strict mode;
        // LOAD DATA LOCAL would cut the value to 8 and say so only in a warning.
        await ExecuteAsync($"ALTER TABLE {Q("bulk_items")} MODIFY {Q("Name")} VARCHAR(8) NOT NULL");
        var items = Items(20);
        items[12].Name = "much-too-long-secret";
        await using var premix = Bulk(allowLoadLocalInfile: true);
        await using var uow = premix.BeginUnitOfWork();
        items.ForEach(uow.Repository<Item>().Add);
        var error = Assert.ThrowsAsync<DatabaseCommandException>(async () => await uow.CommitAsync());
        Assert.That(error!.Message, Does.Contain("1265").And.Contain("Name").And.Contain("rolled back"), "the warning, the column, and what happened");
        Assert.That(error.ToString(), Does.Not.Contain("much-too-long-secret").And.Not.Contain("much-too"), "never the value");
        Assert.That(Logged(), Has.Some.Contains("LOAD DATA LOCAL INFILE"), "the failure came from the bulk load");
        Assert.That(await CountRowsAsync("bulk_items"), Is.EqualTo(0), "nothing written: the rows loaded before the check are rolled back");
    }

    [Test]
    public async Task A_changed_value_fails_the_commit_even_when_the_server_lists_no_warnings()
    {
        // max_error_count 0: SHOW WARNINGS lists none, yet @@warning_count still counts them.
        await ExecuteAsync($"ALTER TABLE {Q("bulk_items")} MODIFY {Q("Name")} VARCHAR(8) NOT NULL");
        var before = await ScalarAsync<long>("SELECT @@GLOBAL.max_error_count");
        await ExecuteAsync("SET GLOBAL max_error_count = 0");
        try
        {
            var items = Items(20);
            items[5].Name = "much-too-long-secret";
            await using var premix = Bulk(allowLoadLocalInfile: true);
            await using var uow = premix.BeginUnitOfWork();
            items.ForEach(uow.Repository<Item>().Add);
            var error = Assert.ThrowsAsync<DatabaseCommandException>(async () => await uow.CommitAsync());
            Assert.That(error!.Message, Does.Contain("max_error_count").And.Contain("rolled back"));
        }
        finally
        {
            await ExecuteAsync($"SET GLOBAL max_error_count = {before}");
        }

        Assert.That(await CountRowsAsync("bulk_items"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_number_out_of_the_column_s_range_fails_the_commit_and_writes_nothing()
    {
        await ExecuteAsync($"ALTER TABLE {Q("bulk_items")} MODIFY {Q("Count")} SMALLINT NOT NULL");
        var items = Items(20);
        items[3].Count = 1_000_000;
        await using var premix = Bulk(allowLoadLocalInfile: true);
        await using var uow = premix.BeginUnitOfWork();
        items.ForEach(uow.Repository<Item>().Add);
        var error = Assert.ThrowsAsync<DatabaseCommandException>(async () => await uow.CommitAsync());
        Assert.That(error!.Message, Does.Contain("Count"));
        Assert.That(await CountRowsAsync("bulk_items"), Is.EqualTo(0));
    }

    [Test]
    public async Task With_No_Backslash_Escapes_which_LOAD_DATA_s_escape_clause_cannot_take_the_rows_take_the_many_row_insert_as_written()
    {
        var items = Items(10);
        items[4].Name = @"a\b	c\N";
        await using (var premix = Bulk(allowLoadLocalInfile: true, noBackslashEscapes: true))
        {
            await InsertAsync(premix, items);
        }

        AssertManyRowInsert();
        Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("bulk_items")} WHERE {Q("Id")} = {items[4].Id}"), Is.EqualTo(items[4].Name));
        Assert.That(await CountRowsAsync("bulk_items"), Is.EqualTo(10));
    }

    [Test]
    public async Task Enum_types_json_documents_and_converted_values_are_loaded_as_the_many_row_insert_stores_them()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("bulk_notes")}");
        await using (var bulk = Bulk(allowLoadLocalInfile: true, new NoteMap()))
        {
            await RecreateTablesAsync(bulk);
            await InsertAsync(bulk, Notes(from: 1));
        }

        await using (var usual = CreatePremix(p => p.AddModelConfiguration(new NoteMap()).DisableBulkInsert()))
        {
            await InsertAsync(usual, Notes(from: 101));
        }

        Assert.That(Logged(), Has.Some.Contains($"LOAD DATA LOCAL INFILE (MySqlBulkCopy) INTO TABLE {Q("bulk_notes")}"));
        await using var connection = await OpenConnectionAsync();
        var rows = (await Dapper.SqlMapper.QueryAsync(connection, $"SELECT * FROM {Q("bulk_notes")} ORDER BY {Q("Id")}")).Cast<IDictionary<string, object?>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(2 * Notes(0).Count));
        for (var i = 0; i < Notes(0).Count; i++)
        {
            Assert.That(rows[i].Where(c => c.Key != "Id"), Is.EqualTo(rows[i + Notes(0).Count].Where(c => c.Key != "Id")), $"note {i}");
        }

        Assert.That(rows[1]["Mood"], Is.EqualTo("busy"), "the ENUM's label");
    }

    [Test]
    public async Task A_Guid_in_a_binary_column_takes_the_many_row_insert_never_a_load_that_would_store_NULL()
    {
        // MySqlBulkCopy writes a Guid as 36 characters under the default GuidFormat, which UNHEX turns into NULL silently.
        await using var premix = Bulk(allowLoadLocalInfile: true, new TokenMap());
        await RecreateTablesAsync(premix);
        try
        {
            await InsertAsync(premix, [.. Enumerable.Range(1, 10).Select(i => new Token { Id = i, Value = new Guid(i, 2, 3, [4, 5, 6, 7, 8, 9, 10, 11]) })]);
        }
        catch (PremixException)
        {
            // The INSERT's own answer to a Guid the driver sends as text (too long for BINARY(16)) is the usual one.
        }

        Assert.That(Logged(), Has.None.Contains("LOAD DATA"));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("bulk_tokens")} WHERE {Q("Value")} IS NULL"), Is.EqualTo(0), "no Guid stored as NULL");
    }

    private IPremix Bulk(bool allowLoadLocalInfile, ModelConfiguration model) =>
        PremixFactory.Create(p => p.UseProvider(new MySqlProvider(new MySqlConnectionStringBuilder(ConnectionString) { AllowLoadLocalInfile = allowLoadLocalInfile }.ConnectionString)).AddModelConfiguration(model).BulkInsertThreshold(5), _loggerFactory);

    private static List<Note> Notes(int from) =>
    [
        .. Enumerable.Range(0, 8).Select(i => new Note
        {
            Id = from + i, Mood = (Mood)(i % 2), Price = new Cents(i * 1999L),
            Data = i % 3 == 0 ? null : new Meta { Name = $"doc \"{i}\"\t\\ é", Pages = [i, i + 1] },
        }),
    ];

    private IPremix Bulk(bool allowLoadLocalInfile, bool noBackslashEscapes = false)
    {
        var connectionString = new MySqlConnectionStringBuilder(ConnectionString) { AllowLoadLocalInfile = allowLoadLocalInfile, NoBackslashEscapes = noBackslashEscapes }.ConnectionString;
        return PremixFactory.Create(p => p.UseProvider(new MySqlProvider(connectionString)).AddModelConfiguration(new ItemMap()).BulkInsertThreshold(5), _loggerFactory);
    }

    private void AssertManyRowInsert()
    {
        var lines = Logged();
        Assert.That(lines, Has.None.Contains("LOAD DATA"));
        Assert.That(lines, Has.Some.Contains($"INSERT INTO {Q("bulk_items")}"));
    }

    private List<string> Logged() => [.. _log.Entries.Skip(_logged).Select(e => e.Message)];

    private static async Task InsertAsync<T>(IPremix premix, List<T> rows)
        where T : class
    {
        await using var uow = premix.BeginUnitOfWork();
        rows.ForEach(uow.Repository<T>().Add);
        await uow.CommitAsync();
    }

    private static List<Item> Items(int count, int from = 1) =>
        [.. Enumerable.Range(from, count).Select(i => new Item { Id = i, Name = $"item {i}", Count = i })];

    public enum Mood
    {
        Calm,
        Busy,
    }

    public readonly record struct Cents(long Value);

    public sealed class Meta
    {
        public string Name { get; set; } = "";

        public int[] Pages { get; set; } = [];
    }

    public sealed class Note
    {
        public int Id { get; set; }

        public Mood Mood { get; set; }

        public Meta? Data { get; set; }

        public Cents Price { get; set; }
    }

    private sealed class NoteMap : ModelConfiguration<Note>
    {
        public override void Configure(EntityBuilder<Note> e)
        {
            e.ToTable("bulk_notes");
            e.HasKey(x => x.Id).IsClientAssigned();
            e.Property(x => x.Mood).StoredAsEnumType("bulk_mood");
            e.Property(x => x.Data).StoredAsJson();
            e.Property(x => x.Price).HasConversion<Cents, long>(c => c.Value, v => new Cents(v));
        }
    }

    public sealed class Item
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";

        public int Count { get; set; }
    }

    private sealed class ItemMap : ModelConfiguration<Item>
    {
        public override void Configure(EntityBuilder<Item> e)
        {
            e.ToTable("bulk_items");
            e.HasKey(x => x.Id).IsClientAssigned();
            e.Property(x => x.Name).Sensitive();
        }
    }

    public sealed class Token
    {
        public int Id { get; set; }

        public Guid Value { get; set; }
    }

    private sealed class TokenMap : ModelConfiguration<Token>
    {
        public override void Configure(EntityBuilder<Token> e)
        {
            e.ToTable("bulk_tokens");
            e.HasKey(x => x.Id).IsClientAssigned();
            e.Property(x => x.Value).HasColumnType("BINARY(16)");
        }
    }
}
