using Dapper;
using MySqlConnector;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>
/// Values the database would change silently. On MariaDB the sessions come from an account that starts them the way a
/// lax server does (<c>sql_mode</c> <c>NO_BACKSLASH_ESCAPES</c>: not strict, backslashes not escapes, see
/// <see cref="LaxMariaDbAccount"/>); every assertion reads the table with plain SQL on a connection in the server's
/// normal mode. The other engines have no such mode and run the same workload as it is.
/// </summary>
public sealed class ServerSqlModeTests(Engine engine) : PremixTest(engine)
{
    private const string LaxMode = "NO_BACKSLASH_ESCAPES";

    // Each fits the VARCHAR(10) column.
    private static readonly string[] Backslashed = ["\\", "a\\b", "\\\\", "\\'", "'\\", "\\0", "\\n", "C:\\tmp\\n", "\\' OR 1=1", "\\\"", "%\\_"];

    private LaxMariaDbAccount? _lax;

    [OneTimeSetUp]
    public async Task CreateLaxAccountAsync()
    {
        if (Engine == Engine.MySql)
        {
            _lax = await LaxMariaDbAccount.CreateAsync(DatabaseName, LaxMode);
            await using var plain = new MySqlConnection(_lax.ConnectionString);
            await plain.OpenAsync();
            var mode = await plain.ExecuteScalarAsync<string>("SELECT @@SESSION.sql_mode");
            Assert.That(mode, Is.EqualTo(LaxMode), "the account's sessions start lax, as on a server configured that way");
        }
    }

    [OneTimeTearDown]
    public async Task DropLaxAccountAsync()
    {
        if (_lax is not null)
        {
            await _lax.DisposeAsync();
        }
    }

    [SetUp]
    public async Task CreateTableAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q("mode_notes")}");
        // Narrower than the mapping (which has no HasMaxLength), so only the database can refuse a long value.
        await connection.ExecuteAsync($"CREATE TABLE {Q("mode_notes")} ({Q("Id")} BIGINT PRIMARY KEY, {Q("Text")} VARCHAR(10) NOT NULL)");
    }

    [Test]
    public async Task Text_longer_than_its_column_is_refused_with_nothing_written_or_kept_whole_never_cut()
    {
        var premix = CreateLaxPremix();
        var tooLong = new string('x', 25);

        // Twice: the second unit of work gets a pooled connection back, which the driver resets.
        for (var id = 1; id <= 2; id++)
        {
            await using var uow = premix.BeginUnitOfWork();
            uow.Repository<ModeNote>().Add(new ModeNote { Id = id, Text = tooLong });
            if (Engine == Engine.Sqlite)
            {
                await uow.CommitAsync(); // SQLite does not enforce VARCHAR lengths: it keeps the value whole
            }
            else
            {
                Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync(), $"write {id}");
            }
        }

        Assert.That(await TextsAsync(), Is.EqualTo(Engine == Engine.Sqlite ? new[] { tooLong, tooLong } : []));
    }

    [Test]
    public async Task Backslashes_round_trip_on_a_server_running_NO_BACKSLASH_ESCAPES_without_the_connection_option()
    {
        await WriteBackslashedAsync(CreateLaxPremix());

        Assert.That(await TextsAsync(), Is.EqualTo(Backslashed));
    }

    [Test]
    public async Task Backslashes_round_trip_with_the_No_Backslash_Escapes_option_on_a_server_that_escapes_them()
    {
        // The reverse mismatch: the driver stops escaping backslashes while the server still reads them as escapes,
        // which would turn \' into a quote that ends the string.
        var premix = Engine == Engine.MySql
            ? PremixFactory.Create(p => p.UseMySql(ConnectionString + ";No Backslash Escapes=true").AddModelConfiguration(new ModeNoteMap()))
            : CreatePremix(p => p.AddModelConfiguration(new ModeNoteMap()));

        await WriteBackslashedAsync(premix);

        Assert.That(await TextsAsync(), Is.EqualTo(Backslashed));
    }

    private async Task WriteBackslashedAsync(IPremix premix)
    {
        for (var round = 0; round < 2; round++) // a new connection, then a pooled one the driver has reset
        {
            await using var uow = premix.BeginUnitOfWork();
            for (var i = round; i < Backslashed.Length; i += 2)
            {
                uow.Repository<ModeNote>().Add(new ModeNote { Id = i + 1, Text = Backslashed[i] });
            }

            await uow.CommitAsync();
        }

        await using var reader = premix.BeginUnitOfWork();
        foreach (var text in Backslashed)
        {
            Assert.That(await reader.Repository<ModeNote>().Query().Where(n => n.Text == text).CountAsync(), Is.EqualTo(1), $"found by a filter: {text}");
        }
    }

    private IPremix CreateLaxPremix() => _lax is null
        ? CreatePremix(p => p.AddModelConfiguration(new ModeNoteMap()))
        : PremixFactory.Create(p => p.UseMySql(_lax.ConnectionString).AddModelConfiguration(new ModeNoteMap()));

    // Read on a plain connection of the fixture's own account, in the server's normal mode.
    private async Task<string[]> TextsAsync()
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<string>($"SELECT {Q("Text")} FROM {Q("mode_notes")} ORDER BY {Q("Id")}")).ToArray();
    }

    public sealed class ModeNote
    {
        public long Id { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class ModeNoteMap : ModelConfiguration<ModeNote>
    {
        public override void Configure(EntityBuilder<ModeNote> e)
        {
            e.ToTable("mode_notes");
            e.HasKey(x => x.Id).IsClientAssigned();
        }
    }
}
