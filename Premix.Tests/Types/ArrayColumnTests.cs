using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// <c>T[]</c> and <c>List&lt;T&gt;</c> properties as PostgreSQL array columns (<see cref="ArticleMap"/>, <see cref="ArrayRowMap"/>):
/// values checked through plain SQL after writes, rows written in SQL read back, element-wise change tracking, commits of
/// several inserts and updates (one statement per row, never unnest), <c>Contains</c> and <c>Length</c>/<c>Count</c> in
/// queries, and the schema sync (docs/types.md, "Arrays"). The other engines refuse such properties at startup:
/// <see cref="ArrayColumnMappingTests"/>.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class ArrayColumnTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.AddModelConfiguration(new ArticleMap()).AddModelConfiguration(new ArrayRowMap()));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Arrays_lists_nulls_empty_arrays_and_null_elements_are_stored_as_PostgreSQL_arrays_and_read_back()
    {
        var full = await AddAsync(new Article { Title = "full", Tags = ["a", "b,c", "\"q\""], Scores = [3, 1, 2], Ratings = [5, null, 4], Notes = ["x", null] });
        var empty = await AddAsync(new Article { Title = "empty", Tags = [], Scores = [], Ratings = [], Notes = [] });
        var nulls = await AddAsync(new Article { Title = "nulls", Ratings = null, Notes = null });
        await ExecuteAsync("""INSERT INTO array_articles ("Title", "Tags", "Scores", "Ratings", "Notes") VALUES ('sql', '{x,y}', '{7}', '{NULL,1}', NULL)""");

        var stored = (await QueryAsync<(string Title, string Tags, string Scores, string? Ratings, string? Notes)>(
            """SELECT "Title", "Tags"::text, "Scores"::text, "Ratings"::text, "Notes"::text FROM array_articles ORDER BY "Id" """)).ToList();
        await using var uow = _premix.BeginUnitOfWork();
        var loaded = await uow.Repository<Article>().Query().OrderBy(a => a.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored[0], Is.EqualTo(("full", """{a,"b,c","\"q\""}""", "{3,1,2}", "{5,NULL,4}", "{x,NULL}")));
            Assert.That(stored[1], Is.EqualTo(("empty", "{}", "{}", "{}", "{}")));
            Assert.That(stored[2], Is.EqualTo(("nulls", "{}", "{}", (string?)null, (string?)null)));
            Assert.That((loaded[0].Tags, loaded[0].Scores, loaded[0].Ratings, loaded[0].Notes), Is.EqualTo((full.Tags, full.Scores, full.Ratings, full.Notes)));
            Assert.That((loaded[1].Tags, loaded[1].Scores, loaded[1].Ratings, loaded[1].Notes), Is.EqualTo((empty.Tags, empty.Scores, empty.Ratings, empty.Notes)));
            Assert.That((loaded[2].Ratings, loaded[2].Notes), Is.EqualTo((nulls.Ratings, nulls.Notes)));
            Assert.That((loaded[3].Tags, loaded[3].Scores, loaded[3].Ratings, loaded[3].Notes), Is.EqualTo((new[] { "x", "y" }, new List<int> { 7 }, new int?[] { null, 1 }, (List<string?>?)null)));
        }
    }

    [Test]
    public async Task Every_element_type_round_trips_and_is_stored_as_its_PostgreSQL_array_type()
    {
        var guid = Guid.NewGuid();
        var row = new ArrayRow
        {
            Flags = [true, false],
            Shorts = [short.MinValue, short.MaxValue],
            Longs = [long.MinValue, long.MaxValue],
            Amounts = [1.23456789012345678m, -0.5m],
            Ratios = [0.1 + 0.2, double.NaN],
            Singles = [float.MaxValue],
            Guids = [guid],
            Times = [new DateTime(2024, 2, 29, 13, 45, 30, DateTimeKind.Utc), new DateTime(2024, 3, 1, 8, 0, 0, DateTimeKind.Local)],
            Instants = [new DateTimeOffset(2024, 2, 29, 13, 45, 30, TimeSpan.FromHours(5.5))],
            Days = [new DateOnly(2024, 2, 29)],
            Clocks = [new TimeOnly(23, 59, 59)],
            Spans = [TimeSpan.FromDays(3) + TimeSpan.FromSeconds(1)],
            MaybeTimes = [null, new DateTime(2000, 1, 1)],
        };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<ArrayRow>().Add(row);
            await uow.CommitAsync();
        }

        var types = (await QueryAsync<(string Column, string Type)>(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'array_rows'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'Id' ORDER BY attnum")).ToList();
        var text = await ScalarAsync<string>("""SELECT concat_ws(' | ', "Times"::text, (SELECT string_agg((i AT TIME ZONE 'UTC')::text, ',') FROM unnest("Instants") AS i), "Amounts"::text, "MaybeTimes"::text) FROM array_rows""");
        await using var read = _premix.BeginUnitOfWork();
        var loaded = await read.Repository<ArrayRow>().GetAsync(row.Id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(types, Is.EqualTo(new[]
            {
                ("Flags", "boolean[]"), ("Shorts", "smallint[]"), ("Longs", "bigint[]"), ("Amounts", "numeric[]"), ("Ratios", "double precision[]"),
                ("Singles", "real[]"), ("Guids", "uuid[]"), ("Times", "timestamp without time zone[]"), ("Instants", "timestamp with time zone[]"),
                ("Days", "date[]"), ("Clocks", "time without time zone[]"), ("Spans", "interval[]"), ("MaybeTimes", "timestamp without time zone[]"),
            }));
            Assert.That(text, Is.EqualTo("""{"2024-02-29 13:45:30","2024-03-01 08:00:00"} | 2024-02-29 08:15:30 | {1.23456789012345678,-0.5} | {NULL,"2000-01-01 00:00:00"}"""),
                "DateTime elements as wall-clock time whatever their kind, a DateTimeOffset as its instant, decimals exactly");
            Assert.That(loaded.Flags, Is.EqualTo(row.Flags));
            Assert.That(loaded.Shorts, Is.EqualTo(row.Shorts));
            Assert.That(loaded.Longs, Is.EqualTo(row.Longs));
            Assert.That(loaded.Amounts, Is.EqualTo(row.Amounts));
            Assert.That(loaded.Ratios, Is.EqualTo(row.Ratios));
            Assert.That(loaded.Singles, Is.EqualTo(row.Singles));
            Assert.That(loaded.Guids, Is.EqualTo(row.Guids));
            Assert.That(loaded.Times, Is.EqualTo(row.Times));
            Assert.That(loaded.Instants, Is.EqualTo(row.Instants));
            Assert.That(loaded.Days, Is.EqualTo(row.Days));
            Assert.That(loaded.Clocks, Is.EqualTo(row.Clocks));
            Assert.That(loaded.Spans, Is.EqualTo(row.Spans));
            Assert.That(loaded.MaybeTimes, Is.EqualTo(row.MaybeTimes));
        }
    }

    [Test]
    public async Task A_change_made_in_place_is_written_and_an_unchanged_array_is_not()
    {
        var article = await AddAsync(new Article { Title = "a", Tags = ["one", "two"], Scores = [1] });

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Article>().GetAsync(article.Id);
            loaded.Tags = ["one", "two"]; // another array, the same elements
            await ExecuteAsync("""UPDATE array_articles SET "Tags" = '{changed,elsewhere}', "Scores" = '{9}'""");
            await uow.CommitAsync();
        }

        var untouched = await ScalarAsync<string>("""SELECT "Tags"::text || "Scores"::text FROM array_articles""");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Article>().GetAsync(article.Id);
            loaded.Tags[0] = "first"; // in place
            loaded.Scores.Add(10);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(untouched, Is.EqualTo("{changed,elsewhere}{9}"), "equal elements are no change: nothing was written");
            Assert.That(await ScalarAsync<string>("""SELECT "Tags"::text || "Scores"::text FROM array_articles"""), Is.EqualTo("{first,elsewhere}{9,10}"));
        }
    }

    [Test]
    public async Task A_commit_of_several_inserts_updates_and_a_delete_writes_each_row_whole()
    {
        var first = await AddAsync(new Article { Title = "u0", Tags = ["a"] });
        var second = await AddAsync(new Article { Title = "u1", Tags = ["b"] });
        var third = await AddAsync(new Article { Title = "u2", Tags = ["c"] });
        var gone = await AddAsync(new Article { Title = "gone", Tags = ["d"] });

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var articles = uow.Repository<Article>();
            foreach (var id in new[] { first.Id, second.Id, third.Id })
            {
                (await articles.GetAsync(id)).Tags[0] += "+";
            }

            articles.Remove(await articles.GetAsync(gone.Id));
            for (var i = 0; i < 3; i++)
            {
                articles.Add(new Article { Title = "n" + i, Tags = ["x" + i, "y" + i], Scores = [i, i], Ratings = [i, null] });
            }

            await uow.CommitAsync();
        }

        var rows = (await QueryAsync<(string Title, string Tags, string Scores, string? Ratings)>(
            """SELECT "Title", "Tags"::text, "Scores"::text, "Ratings"::text FROM array_articles ORDER BY "Title" """)).ToList();
        Assert.That(rows, Is.EqualTo(new (string, string, string, string?)[]
        {
            ("n0", "{x0,y0}", "{0,0}", "{0,NULL}"), ("n1", "{x1,y1}", "{1,1}", "{1,NULL}"), ("n2", "{x2,y2}", "{2,2}", "{2,NULL}"),
            ("u0", "{a+}", "{}", null), ("u1", "{b+}", "{}", null), ("u2", "{c+}", "{}", null),
        }));
    }

    [Test]
    public async Task Where_Contains_on_an_array_is_ANY_with_the_value_a_parameter_and_Length_or_Count_is_its_cardinality()
    {
        await AddAsync(new Article { Title = "A", Tags = ["red", "blue"], Scores = [1, 2, 3] });
        await AddAsync(new Article { Title = "B", Tags = ["blue"], Scores = [] });
        await AddAsync(new Article { Title = "C", Tags = [], Scores = [5] });
        await AddAsync(new Article { Title = "D", Tags = ["green"], Ratings = [null, 7] });
        var tag = "blue";
        var score = 5;

        await using var uow = _premix.BeginUnitOfWork();
        var articles = uow.Repository<Article>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Titles(articles.Query().Where(a => a.Tags.Contains(tag))), Is.EqualTo(new[] { "A", "B" }), "a captured value");
            Assert.That(await Titles(articles.Query().Where(a => a.Scores.Contains(score))), Is.EqualTo(new[] { "C" }), "List<int>.Contains");
            Assert.That(await Titles(articles.Query().Where(a => a.Ratings!.Contains(7))), Is.EqualTo(new[] { "D" }), "an array with a null element");
            Assert.That(await Titles(articles.Query().Where(a => !a.Tags.Contains("red"))), Is.EqualTo(new[] { "B", "C", "D" }));
            Assert.That(await Titles(articles.Query().Where(a => a.Tags.Length > 1)), Is.EqualTo(new[] { "A" }));
            Assert.That(await Titles(articles.Query().Where(a => a.Scores.Count == 0)), Is.EqualTo(new[] { "B", "D" }), "an empty array has cardinality 0");
            Assert.That(articles.Query().Where(a => a.Tags.Contains(tag)).ToSql(), Does.Contain("= ANY(\"Tags\")").And.Not.Contain("blue"));
        }

        string? nothing = null;
        Assert.Throws<NotSupportedException>(() => articles.Query().Where(a => a.Tags.Contains(nothing!)).ToSql(), "= ANY cannot find a null element");
    }

    [Test]
    public async Task Schema_sync_creates_array_columns_a_diff_after_it_is_empty_and_the_script_creates_the_same_columns()
    {
        var diff = await _premix.DiffAsync();
        Assert.That(diff.IsEmpty, Is.True, $"the schema Premix created differs from its mapping:{Environment.NewLine}{diff}");

        await ExecuteAsync("DROP TABLE array_articles");
        var script = (await _premix.DiffAsync()).ToSql();
        await ExecuteAsync(script);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(script, Does.Contain("\"Tags\" text[] NOT NULL").And.Contain("\"Ratings\" integer[]"));
            Assert.That((await _premix.DiffAsync()).IsEmpty, Is.True, "the script's columns are the mapping's");
        }
    }

    private static async Task<string[]> Titles(Query<Article> query) => (await query.ToListAsync()).Select(a => a.Title).Order().ToArray();

    private async Task<Article> AddAsync(Article article)
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Article>().Add(article);
        await uow.CommitAsync();
        return article;
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
