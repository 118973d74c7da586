using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>Strict N+1 detection: the same SELECT from one call site in one unit of work, threshold times, and nothing else.</summary>
public sealed class NPlusOneTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new AuthorMap(), new BookMap());
        await using var connection = await OpenConnectionAsync();
        for (var a = 1; a <= 6; a++)
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('author {a}')");
        }

        foreach (var author in await connection.QueryAsync<long>($"SELECT {Q("Id")} FROM {Q("authors")}"))
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("books")} ({Q("AuthorId")}, {Q("Title")}) VALUES (@author, 'a book')", new { author });
        }
    }

    [OneTimeTearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Reading_each_books_author_one_at_a_time_throws_at_the_threshold_naming_the_call_site_and_the_fix()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = _premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Throw });
        var books = await uow.Repository<Book>().Query().OrderBy(b => b.Id).ToListAsync();
        Assert.That(books, Has.Count.EqualTo(6), "one book per author, seeded with plain SQL");

        var loopLine = 0;
        var error = Assert.ThrowsAsync<NPlusOneException>(async () =>
        {
            foreach (var book in books)
            {
                loopLine = Line(); book.Author = await uow.Repository<Author>().GetAsync(book.AuthorId);
            }
        });

        var member = $"{nameof(NPlusOneTests)}.{nameof(Reading_each_books_author_one_at_a_time_throws_at_the_threshold_naming_the_call_site_and_the_fix)}";
        var lookup = _premix.GetPlan<Author>().SelectByKey.Sql;
        var lines = error!.Message.Split(Environment.NewLine);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines[0], Is.EqualTo($"N+1 queries: the same SELECT on authors ran 5 times in one unit of work, from {member} ({Path.GetFileName(ThisFile())}:{loopLine}), once per row where one statement could read every row:"));
            Assert.That(lines[1], Is.EqualTo("  " + lookup));
            Assert.That(lines.Skip(2).Take(5).Select(l => l.TrimStart()[..1]), Is.All.EqualTo("@"), "the five lookups' parameters");
            Assert.That(lines[7], Is.EqualTo("Fix: load the rows with the query that read their keys, Include(x => x.Author) or its collection (one statement for all rows), or read them at once with Query<Author>().Where(x => keys.Contains(x.Id))."));
            Assert.That(lines[8], Is.EqualTo($"If this repetition is intended, allow it: new QueryRecordingOptions().AllowNPlusOneIn(\"{member}\") or .AllowNPlusOne<Author>()."));
            Assert.That(error.CallSite!.Line, Is.EqualTo(loopLine));
            Assert.That(queries.Count(StatementKind.Select, "authors"), Is.EqualTo(5), "the fifth lookup ran, then threw; the sixth never ran");
        }
    }

    [Test]
    public async Task A_loop_of_different_keys_below_the_threshold_is_not_an_N_plus_one()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = _premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Throw });
        var books = await uow.Repository<Book>().Query().OrderBy(b => b.Id).Take(4).ToListAsync();

        foreach (var book in books)
        {
            await uow.Repository<Author>().GetAsync(book.AuthorId);
        }

        queries.AssertCount(4, StatementKind.Select, "authors");
    }

    [Test]
    public async Task Include_and_a_committed_batch_of_inserts_are_not_N_plus_one_even_with_a_threshold_of_two()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = _premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Throw, NPlusOneThreshold = 2 });

        var books = await uow.Repository<Book>().Query().Include(b => b.Author).ToListAsync();
        var authors = Enumerable.Range(0, 10).Select(i => new Author { Name = $"new {i}" }).ToList();
        foreach (var author in authors)
        {
            uow.Repository<Author>().Add(author);
        }

        await uow.CommitAsync();

        Assert.That(books.Select(b => b.Author?.Id), Is.EqualTo(books.Select(b => (long?)b.AuthorId)), "Include loaded every author");
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("authors")} WHERE {Q("Name")} LIKE 'new %'"), Is.EqualTo(10));
        queries.AssertCount(2, StatementKind.Select);
        Assert.That(queries.Count(StatementKind.Insert, "authors"), Is.InRange(1, 10), "one many-row INSERT (PostgreSQL) or one per row, in one commit");
    }

    [TearDown]
    public async Task RemoveAddedAuthorsAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"DELETE FROM {Q("authors")} WHERE {Q("Name")} LIKE 'new %'");
    }

    [Test]
    public async Task Repetitions_in_two_units_of_work_are_counted_apart()
    {
        using var queries = _premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Throw });
        var ids = await AuthorIdsAsync();

        await ReadOneByOneAsync(ids.Take(3));
        await ReadOneByOneAsync(ids.Skip(3));

        queries.AssertCount(6, StatementKind.Select, "authors");
    }

    [Test]
    public async Task A_known_case_is_allowed_by_call_site_or_by_entity()
    {
        var ids = await AuthorIdsAsync();
        var byMember = new QueryRecordingOptions { NPlusOne = NPlusOneMode.Throw }.AllowNPlusOneIn($"{nameof(NPlusOneTests)}.{nameof(ReadOneByOneAsync)}");
        using (var queries = _premix.RecordQueries(byMember))
        {
            await ReadOneByOneAsync(ids);
            queries.AssertCount(6);
        }

        using (var queries = _premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Throw }.AllowNPlusOne<Author>()))
        {
            await ReadOneByOneAsync(ids);
            queries.AssertCount(6);
        }

        using (_premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Throw }.AllowNPlusOne<Book>()))
        {
            Assert.ThrowsAsync<NPlusOneException>(() => ReadOneByOneAsync(ids), "allowing another entity allows nothing here");
        }
    }

    [Test]
    public async Task Warn_mode_logs_one_warning_per_case_and_lets_the_loop_finish()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var ids = await AuthorIdsAsync();
        using var queries = _premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Warn, NPlusOneThreshold = 3, Logger = factory.CreateLogger("test") });

        await ReadOneByOneAsync(ids);

        queries.AssertCount(6);
        var warning = logs.Entries.Single();
        Assert.That((warning.Id, warning.Level), Is.EqualTo((PremixEventId.NPlusOneDetected, LogLevel.Warning)));
        Assert.That(warning.Message, Does.StartWith($"N+1 queries: the same SELECT on authors ran 3 times in one unit of work, from {nameof(NPlusOneTests)}.{nameof(ReadOneByOneAsync)} ("));
    }

    [Test]
    public void Warn_mode_without_a_logger_is_refused_when_the_recorder_starts()
    {
        var error = Assert.Throws<ArgumentException>(() => _premix.RecordQueries(new QueryRecordingOptions { NPlusOne = NPlusOneMode.Warn }));

        Assert.That(error!.Message, Does.StartWith("NPlusOne = NPlusOneMode.Warn writes its warnings to Logger: set Logger"));
    }

    private async Task ReadOneByOneAsync(IEnumerable<long> ids)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var id in ids)
        {
            await uow.Repository<Author>().GetAsync(id);
        }
    }

    private async Task<List<long>> AuthorIdsAsync()
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<long>($"SELECT {Q("Id")} FROM {Q("authors")} ORDER BY {Q("Id")}")).ToList();
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
