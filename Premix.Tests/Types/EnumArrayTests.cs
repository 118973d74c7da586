using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Arrays and lists of an enum stored as a PostgreSQL enum type (<c>Rating[]</c> mapped <c>StoredAsEnumType("pg_rating")</c>,
/// <see cref="ReviewMap"/>) as <c>pg_rating[]</c> columns: the type and columns sync creates, labels checked through plain SQL,
/// rows written in SQL read back, element-wise change tracking, a commit mixing inserts, updates and a delete,
/// <c>Contains</c> as <c>= ANY</c>, <c>UpdateAllAsync</c>, and a label sync adds (docs/types.md, "Arrays"). The other engines refuse such
/// properties at startup: <see cref="EnumArrayMappingTests"/>.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class EnumArrayTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await DropAsync();
        _premix = CreatePremix(p => p.AddModelConfiguration(new ReviewMap()));
        await _premix.SyncAsync();
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Sync_creates_the_enum_type_once_and_arrays_of_it_and_a_diff_after_it_is_empty()
    {
        var types = await QueryAsync<(string Column, string Type)>(
            $"SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{ReviewMap.Table}'::regclass AND attnum > 2 AND NOT attisdropped ORDER BY attnum");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(types, Is.EqualTo(new[] { ("Overall", "pg_rating"), ("Ratings", "pg_rating[]"), ("History", "pg_rating[]"), ("Partial", "pg_rating[]") }));
            Assert.That(await ScalarAsync<string>($"SELECT enum_range(NULL::{ReviewMap.EnumType})::text"), Is.EqualTo("{poor,fair,\"Very Good\"}"));
            Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
        }

        await DropAsync();
        var script = (await _premix.DiffAsync()).ToSql();
        await ExecuteAsync(script);
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty, $"the script creates the type and the columns of the mapping:{Environment.NewLine}{script}");
    }

    [Test]
    public async Task Arrays_lists_nulls_empty_arrays_and_null_elements_are_stored_as_labels_and_read_back()
    {
        await AddAsync(new Review { Title = "full", Overall = Rating.Fair, Ratings = [Rating.VeryGood, Rating.Poor], History = [Rating.Fair], Partial = [null, Rating.VeryGood] });
        await AddAsync(
            new Review { Title = "empty", Ratings = [], History = [], Partial = [] },
            new Review { Title = "nulls", Overall = Rating.VeryGood, Ratings = [Rating.Poor, Rating.Poor] });
        await ExecuteAsync($"""INSERT INTO {ReviewMap.Table} ("Title", "Overall", "Ratings", "History", "Partial") VALUES ('sql', 'poor', '{"{fair,\"Very Good\"}"}', '{"{poor}"}', '{"{NULL,fair}"}')""");

        var stored = await QueryAsync<(string Title, string Ratings, string? History, string? Partial)>(
            $"""SELECT "Title", "Ratings"::text, "History"::text, "Partial"::text FROM {ReviewMap.Table} ORDER BY "Id" """);
        await using var uow = _premix.BeginUnitOfWork();
        var loaded = await uow.Repository<Review>().Query().OrderBy(r => r.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.EqualTo(new (string, string, string?, string?)[]
            {
                ("full", "{\"Very Good\",poor}", "{fair}", "{NULL,\"Very Good\"}"),
                ("empty", "{}", "{}", "{}"),
                ("nulls", "{poor,poor}", null, null),
                ("sql", "{fair,\"Very Good\"}", "{poor}", "{NULL,fair}"),
            }));
            Assert.That(loaded.Select(r => (r.Overall, r.Ratings, r.History, r.Partial)), Is.EqualTo(new (Rating, Rating[], List<Rating>?, Rating?[]?)[]
            {
                (Rating.Fair, [Rating.VeryGood, Rating.Poor], [Rating.Fair], [null, Rating.VeryGood]),
                (Rating.Poor, [], [], []),
                (Rating.VeryGood, [Rating.Poor, Rating.Poor], null, null),
                (Rating.Poor, [Rating.Fair, Rating.VeryGood], [Rating.Poor], [null, Rating.Fair]),
            }));
        }
    }

    [Test]
    public async Task A_change_in_place_is_written_an_equal_array_is_not_and_a_commit_mixes_inserts_updates_and_a_delete()
    {
        var first = await AddAsync(new Review { Title = "a", Ratings = [Rating.Poor, Rating.Fair], History = [Rating.Poor] });
        var gone = await AddAsync(new Review { Title = "gone", Ratings = [Rating.Fair] });

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Review>().GetAsync(first.Id);
            loaded.Ratings = [Rating.Poor, Rating.Fair]; // another array, the same elements
            await ExecuteAsync($"""UPDATE {ReviewMap.Table} SET "Ratings" = '{"{fair}"}' WHERE "Id" = {first.Id}""");
            await uow.CommitAsync();
        }

        var untouched = await ScalarAsync<string>($"""SELECT "Ratings"::text FROM {ReviewMap.Table} WHERE "Id" = {first.Id}""");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var reviews = uow.Repository<Review>();
            var loaded = await reviews.GetAsync(first.Id);
            loaded.Ratings[0] = Rating.VeryGood; // in place
            loaded.History!.Add(Rating.VeryGood);
            reviews.Remove(await reviews.GetAsync(gone.Id));
            reviews.Add(new Review { Title = "n0", Ratings = [Rating.Fair], Partial = [null] });
            reviews.Add(new Review { Title = "n1", Ratings = [], History = [Rating.VeryGood, Rating.Poor] });
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(untouched, Is.EqualTo("{fair}"), "equal elements are no change: nothing was written");
            Assert.That(await QueryAsync<(string Title, string Ratings, string? History, string? Partial)>(
                $"""SELECT "Title", "Ratings"::text, "History"::text, "Partial"::text FROM {ReviewMap.Table} ORDER BY "Title" """), Is.EqualTo(new (string, string, string?, string?)[]
            {
                ("a", "{\"Very Good\"}", "{poor,\"Very Good\"}", null),
                ("n0", "{fair}", null, "{NULL}"),
                ("n1", "{}", "{\"Very Good\",poor}", null),
            }));
        }
    }

    [Test]
    public async Task Where_Contains_on_an_enum_array_is_ANY_with_the_label_a_parameter_of_the_enum_type()
    {
        await AddAsync(
            new Review { Title = "A", Ratings = [Rating.Poor, Rating.VeryGood], History = [Rating.Fair] },
            new Review { Title = "B", Ratings = [Rating.VeryGood] },
            new Review { Title = "C", Ratings = [], Partial = [null, Rating.Fair] });
        var rating = Rating.VeryGood;

        await using var uow = _premix.BeginUnitOfWork();
        var reviews = uow.Repository<Review>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Titles(reviews.Query().Where(r => r.Ratings.Contains(rating))), Is.EqualTo(new[] { "A", "B" }), "a captured value");
            Assert.That(await Titles(reviews.Query().Where(r => r.History!.Contains(Rating.Fair))), Is.EqualTo(new[] { "A" }), "List<Rating>.Contains");
            Assert.That(await Titles(reviews.Query().Where(r => r.Partial!.Contains(Rating.Fair))), Is.EqualTo(new[] { "C" }), "an array with a null element");
            Assert.That(await Titles(reviews.Query().Where(r => !r.Ratings.Contains(Rating.Poor))), Is.EqualTo(new[] { "B", "C" }));
            Assert.That(await Titles(reviews.Query().Where(r => r.Ratings.Length == 0)), Is.EqualTo(new[] { "C" }));
            Assert.That(reviews.Query().Where(r => r.Ratings.Contains(rating)).ToSql(), Does.Contain("= ANY(\"Ratings\")").And.Not.Contain("Very Good"));
        }
    }

    [Test]
    public async Task UpdateAllAsync_sets_enum_arrays_as_labels_on_the_rows_a_Contains_selects()
    {
        await AddAsync(
            new Review { Title = "A", Ratings = [Rating.Poor] },
            new Review { Title = "B", Ratings = [Rating.Fair] });

        await using (var uow = _premix.BeginUnitOfWork())
        {
            await uow.Repository<Review>().Query().Where(r => r.Ratings.Contains(Rating.Poor))
                .UpdateAllAsync(s => s.Set(r => r.Ratings, [Rating.VeryGood, Rating.Fair]).Set(r => r.History, [Rating.Poor]));
            await uow.CommitAsync();
        }

        Assert.That(await QueryAsync<(string Title, string Ratings, string? History)>($"""SELECT "Title", "Ratings"::text, "History"::text FROM {ReviewMap.Table} ORDER BY "Title" """),
            Is.EqualTo(new (string, string, string?)[] { ("A", "{\"Very Good\",fair}", "{poor}"), ("B", "{fair}", null) }));
    }

    [Test]
    public async Task A_label_the_enum_gained_is_added_to_a_type_made_by_hand_that_only_arrays_use()
    {
        await DropAsync();
        await ExecuteAsync($"""CREATE TYPE {ReviewMap.EnumType} AS ENUM ('poor', 'Very Good'); CREATE TABLE {ReviewMap.Table} ("Id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "Title" varchar(40) NOT NULL, "Overall" {ReviewMap.EnumType} NOT NULL, "Ratings" {ReviewMap.EnumType}[] NOT NULL, "History" {ReviewMap.EnumType}[], "Partial" {ReviewMap.EnumType}[])""");
        await ExecuteAsync($"""ALTER TABLE {ReviewMap.Table} DROP COLUMN "Overall" """);
        using var arraysOnly = CreatePremix(p => p.AddModelConfiguration(new ArraysOnlyReviewMap()));

        await arraysOnly.SyncAsync();
        await using (var uow = arraysOnly.BeginUnitOfWork())
        {
            uow.Repository<Review>().Add(new Review { Title = "t", Ratings = [Rating.Fair, Rating.VeryGood] });
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT enum_range(NULL::{ReviewMap.EnumType})::text"), Is.EqualTo("{poor,fair,\"Very Good\"}"), "fair placed after poor");
            Assert.That(await ScalarAsync<string>($"""SELECT "Ratings"::text FROM {ReviewMap.Table}"""), Is.EqualTo("{fair,\"Very Good\"}"));
            Assert.That((await arraysOnly.DiffAsync()).Operations, Is.Empty);
        }
    }

    private static async Task<string[]> Titles(Query<Review> query) => (await query.ToListAsync()).Select(r => r.Title).Order().ToArray();

    private async Task<Review> AddAsync(params Review[] reviews)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var review in reviews)
        {
            uow.Repository<Review>().Add(review);
        }

        await uow.CommitAsync();
        return reviews[0];
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }

    private async Task DropAsync() => await ExecuteAsync($"DROP TABLE IF EXISTS {ReviewMap.Table}; DROP TYPE IF EXISTS {ReviewMap.EnumType}");

    // No single column of the type: only arrays need it, and sync still adds the label.
    private sealed class ArraysOnlyReviewMap : Premix.Mapping.ModelConfiguration<Review>
    {
        public override void Configure(Premix.Mapping.EntityBuilder<Review> e)
        {
            e.ToTable(ReviewMap.Table);
            e.Property(r => r.Title).HasMaxLength(40);
            e.Ignore(r => r.Overall);
            e.Property(r => r.Ratings).StoredAsEnumType(ReviewMap.EnumType);
            e.Property(r => r.History).StoredAsEnumType(ReviewMap.EnumType);
            e.Property(r => r.Partial).StoredAsEnumType(ReviewMap.EnumType);
        }
    }
}
