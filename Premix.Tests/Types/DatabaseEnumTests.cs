using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Enums stored as an enum type of the database (<c>StoredAsEnumType</c>, <see cref="PatientMap"/>) on every engine:
/// PostgreSQL's <c>CREATE TYPE ... AS ENUM</c>, MySQL/MariaDB's <c>ENUM(...)</c> column, SQLite's text. The labels are the
/// members' names in snake_case; rows are arranged and checked through plain SQL (docs/types.md, "PostgreSQL types").
/// </summary>
public sealed class DatabaseEnumTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await DropAsync();
        _premix = CreatePremix(p => p.AddModelConfiguration(new PatientMap()));
        await _premix.SyncAsync();
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Sync_creates_the_enum_type_with_snake_case_labels_and_a_diff_after_it_is_empty()
    {
        var type = Engine switch
        {
            Engine.PostgreSql => await ScalarAsync<string>($"SELECT enum_range(NULL::{PatientMap.EnumType})::text"),
            Engine.MySql => await ScalarAsync<string>(
                $"SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{PatientMap.Table}' AND COLUMN_NAME = 'Mood'"),
            _ => await ScalarAsync<string>($"SELECT type FROM pragma_table_info('{PatientMap.Table}') WHERE name = 'Mood'"),
        };

        Assert.That(type, Is.EqualTo(Engine switch
        {
            Engine.PostgreSql => "{happy,very_sad,calm}",
            Engine.MySql => "enum('happy','very_sad','calm')",
            _ => "TEXT",
        }));
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
    }

    [Test]
    public async Task Patients_are_stored_as_labels_added_one_at_a_time_and_many_in_one_commit_and_updated_many_in_one_commit()
    {
        await AddAsync(new Patient { Name = "one", Mood = Mood.VerySad, Previous = Mood.Happy });
        await AddAsync(Enumerable.Range(1, 4).Select(i => new Patient { Name = "many" + i, Mood = (Mood)(i % 3), Previous = i == 2 ? null : Mood.Calm }).ToArray());

        var rows = (await QueryAsync<(string Name, string Mood, string? Previous)>(
            $"SELECT {Q("Name")}, {Text("Mood")}, {Text("Previous")} FROM {Q(PatientMap.Table)} ORDER BY {Q("Id")}")).ToList();
        Assert.That(rows, Is.EqualTo(new (string, string, string?)[]
        {
            ("one", "very_sad", "happy"),
            ("many1", "very_sad", "calm"),
            ("many2", "calm", null),
            ("many3", "happy", "calm"),
            ("many4", "very_sad", "calm"),
        }));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var patient in await uow.Repository<Patient>().Query().ToListAsync())
            {
                patient.Previous = patient.Mood;
                patient.Mood = Mood.Calm;
            }

            await uow.CommitAsync(); // one many-row update
        }

        var updated = await QueryAsync<(string Mood, string Previous)>($"SELECT {Text("Mood")}, {Text("Previous")} FROM {Q(PatientMap.Table)} ORDER BY {Q("Id")}");
        Assert.That(updated, Is.EqualTo(new[] { ("calm", "very_sad"), ("calm", "very_sad"), ("calm", "calm"), ("calm", "happy"), ("calm", "very_sad") }));
    }

    [Test]
    public async Task Rows_written_in_SQL_read_back_and_Where_compares_with_equals_and_Contains()
    {
        await ExecuteAsync($"INSERT INTO {Q(PatientMap.Table)} ({Q("Name")}, {Q("Mood")}, {Q("Previous")}) VALUES ('a', 'very_sad', NULL), ('b', 'calm', 'happy'), ('c', 'happy', 'very_sad')");
        var moods = new[] { Mood.Calm, Mood.Happy };

        await using var uow = _premix.BeginUnitOfWork();
        var patients = uow.Repository<Patient>();
        var all = await patients.Query().OrderBy(p => p.Name).ToListAsync();
        var sad = await patients.Query().Where(p => p.Mood == Mood.VerySad).Select(p => p.Name).ToListAsync();
        var either = await patients.Query().Where(p => moods.Contains(p.Mood)).OrderBy(p => p.Name).Select(p => p.Name).ToListAsync();
        var wasHappy = await patients.Query().Where(p => p.Previous == Mood.Happy).Select(p => p.Name).ToListAsync();
        var noPrevious = await patients.Query().Where(p => p.Previous == null).Select(p => p.Name).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(p => (p.Name, p.Mood, p.Previous)), Is.EqualTo(new (string, Mood, Mood?)[] { ("a", Mood.VerySad, null), ("b", Mood.Calm, Mood.Happy), ("c", Mood.Happy, Mood.VerySad) }));
            Assert.That(sad, Is.EqualTo(new[] { "a" }));
            Assert.That(either, Is.EqualTo(new[] { "b", "c" }));
            Assert.That(wasHappy, Is.EqualTo(new[] { "b" }));
            Assert.That(noPrevious, Is.EqualTo(new[] { "a" }));
        }
    }

    [Test]
    public async Task Queries_read_again_on_a_held_connection_with_other_labels_compare_with_each_calls_labels()
    {
        await ExecuteAsync($"INSERT INTO {Q(PatientMap.Table)} ({Q("Name")}, {Q("Mood")}, {Q("Previous")}) VALUES ('a', 'very_sad', NULL), ('b', 'calm', 'happy'), ('c', 'happy', 'very_sad')");
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var patients = uow.Repository<Patient>().AsNoTracking();
        var found = new List<string[]>();

        // Each statement's command is kept on the held connection; its parameter keeps the enum type it was bound with.
        foreach (var mood in new[] { Mood.VerySad, Mood.Calm, Mood.Happy, Mood.VerySad })
        {
            found.Add([.. await patients.Query().Where(p => p.Mood == mood).Select(p => p.Name).ToListAsync()]);
        }

        foreach (var moods in new[] { new[] { Mood.Calm, Mood.Happy }, [Mood.VerySad], [Mood.Happy, Mood.VerySad] })
        {
            found.Add([.. await patients.Query().Where(p => moods.Contains(p.Mood)).OrderBy(p => p.Name).Select(p => p.Name).ToListAsync()]);
        }

        Assert.That(found, Is.EqualTo(new[] { new[] { "a" }, ["b"], ["c"], ["a"], ["b", "c"], ["a"], ["a", "c"] }));
    }

    [Test]
    public async Task A_changed_enum_is_updated_and_a_bulk_update_sets_a_label()
    {
        var patient = await AddAsync(new Patient { Name = "a", Mood = Mood.Happy });
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Patient>().GetAsync(patient.Id);
            loaded.Mood = Mood.Calm;
            loaded.Previous = Mood.Happy;
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT {Text("Mood")} FROM {Q(PatientMap.Table)}"), Is.EqualTo("calm"));
            Assert.That(await ScalarAsync<string>($"SELECT {Text("Previous")} FROM {Q(PatientMap.Table)}"), Is.EqualTo("happy"));
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            await uow.Repository<Patient>().Query().Where(p => p.Mood == Mood.Calm).UpdateAllAsync(s => s.Set(p => p.Mood, Mood.VerySad));
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Text("Mood")} FROM {Q(PatientMap.Table)}"), Is.EqualTo("very_sad"));
    }

    [Test]
    public async Task Sync_adds_a_label_the_type_lacks_after_its_predecessor_and_the_new_member_can_be_written()
    {
        await DropAsync();
        await ExecuteAsync(Engine switch
        {
            Engine.PostgreSql => $"CREATE TYPE {PatientMap.EnumType} AS ENUM ('happy', 'calm'); CREATE TABLE {PatientMap.Table} (\"Id\" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \"Name\" varchar(40) NOT NULL, \"Mood\" {PatientMap.EnumType} NOT NULL, \"Previous\" {PatientMap.EnumType} NULL)",
            Engine.MySql => $"CREATE TABLE {PatientMap.Table} (Id BIGINT AUTO_INCREMENT PRIMARY KEY, Name VARCHAR(40) NOT NULL, Mood ENUM('happy','calm') NOT NULL, Previous ENUM('happy','calm') NULL)",
            _ => $"CREATE TABLE {PatientMap.Table} (\"Id\" INTEGER PRIMARY KEY, \"Name\" TEXT NOT NULL, \"Mood\" TEXT NOT NULL, \"Previous\" TEXT NULL)",
        });

        var sync = await _premix.SyncAsync();
        await AddAsync(new Patient { Name = "a", Mood = Mood.VerySad, Previous = Mood.Calm });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sync.Statements, Engine == Engine.PostgreSql ? Has.Some.EqualTo($"ALTER TYPE {PatientMap.EnumType} ADD VALUE IF NOT EXISTS 'very_sad' AFTER 'happy'") : Has.None.Contains("ALTER TYPE"));
            Assert.That(await ScalarAsync<string>($"SELECT {Text("Mood")} FROM {Q(PatientMap.Table)}"), Is.EqualTo("very_sad"));
            Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
        }

        if (Engine == Engine.PostgreSql)
        {
            Assert.That(await ScalarAsync<string>($"SELECT enum_range(NULL::{PatientMap.EnumType})::text"), Is.EqualTo("{happy,very_sad,calm}"));
        }
    }

    [Test]
    public void A_value_that_is_no_member_is_refused_naming_the_type_and_the_members()
    {
        var error = Assert.ThrowsAsync<ArgumentException>(() => AddAsync(new Patient { Name = "x", Mood = (Mood)42 }));
        Assert.That(error!.Message, Does.StartWith("Mood value 42 is no member of the enum, so the database enum type pg_mood has no label for it"));
    }

    // The column as text: PostgreSQL's enum cast, the others' value as it is.
    private string Text(string column) => Engine == Engine.PostgreSql ? $"{Q(column)}::text" : Q(column);

    private async Task<Patient> AddAsync(params Patient[] patients)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var patient in patients)
        {
            uow.Repository<Patient>().Add(patient);
        }

        await uow.CommitAsync();
        return patients[0];
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await connection.QueryAsync<T>(sql);
    }

    private async Task DropAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(PatientMap.Table)}");
        if (Engine == Engine.PostgreSql)
        {
            await ExecuteAsync($"DROP TYPE IF EXISTS {PatientMap.EnumType}");
        }
    }
}
