using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MySqlConnector;
using Premix.Diagnostics;
using Premix.Providers;
using Premix.Tests.Infrastructure;
using Premix.Tests.Resilience;

namespace Premix.Tests.Types;

/// <summary>
/// MariaDB refuses a statement of <c>max_allowed_packet</c> bytes or more (16 MB by default), then closes the connection.
/// Premix measures each statement as MySqlConnector sends it and refuses one that is too large before sending it, naming
/// the limit and the setting; up to the limit, values round-trip, batches included. A statement that reaches the server
/// anyway (a provider that does not know the limit) fails as itself, however the server closes the socket, and the
/// connection is replaced. MariaDB only: PostgreSQL and SQLite have no such setting (see <see cref="LargeValueTests"/>).
/// </summary>
/// <remarks>
/// Values are sized from the server's own <c>max_allowed_packet</c>, which the tests only read: CI runs every fixture
/// against one MariaDB, so none may change a global setting the others depend on.
/// </remarks>
[TestFixtureSource(nameof(MariaDb))]
public sealed class MaxAllowedPacketTests(Engine engine) : ResilienceTest(engine)
{
    /// <summary>The engine whose server limits a statement's size.</summary>
    public static IEnumerable<Engine> MariaDb { get; } = [Engine.MySql];

    private int _limit;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await (await CreatePremixWithTablesAsync(new DocumentMap(), new AttachmentMap())).DisposeAsync();
        _limit = (int)await ScalarAsync<long>("SELECT @@GLOBAL.max_allowed_packet");
        Assert.That(_limit, Is.LessThanOrEqualTo(64 * 1024 * 1024), "these tests send statements of up to twice max_allowed_packet: run them on a server whose limit is 64 MB or less (16 MB by default)");
    }

    [Test]
    public async Task The_largest_value_max_allowed_packet_allows_round_trips_and_one_byte_more_is_refused_before_sending()
    {
        await using var premix = CreateRetryingPremix(new DocumentMap());

        // Premix says how large the INSERT of a value of `limit` bytes would be; the rest of it is the SQL around the value.
        var statement = long.Parse(Regex.Match(RefusedInsert(premix, _limit).Message, @"would be ([\d,]+) bytes").Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var largest = _limit - 1 - (int)(statement - _limit);
        var content = Document.Filled(largest);
        var document = new Document { Content = content };
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Document>().Add(document);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT LOWER(MD5({Q("Content")})) FROM {Q("documents")} WHERE {Q("Id")} = @id", new { id = document.Id }), Is.EqualTo(Convert.ToHexStringLower(MD5.HashData(content))), "the largest value was stored whole");
            Assert.That(RefusedInsert(premix, largest + 1).Message, Does.Contain($"would be {_limit:N0} bytes"), "one byte more is refused");
        }

        // The server itself refuses a value a few bytes larger (Premix counts the parameters' placeholders too): the limit
        // Premix enforces is the server's, within the length of the placeholders.
        await using var unaware = CreateRetryingPremix(new DocumentMap(), provider: new ProviderWithoutSizeLimit(Provider));
        await using var tooLarge = unaware.BeginUnitOfWork();
        tooLarge.Repository<Document>().Add(new Document { Content = Document.Filled(largest + 64) });
        var refusedByServer = Assert.ThrowsAsync<DatabaseCommandException>(() => tooLarge.CommitAsync());
        Assert.That(refusedByServer!.InnerException, Is.InstanceOf<MySqlException>(), refusedByServer.ToString());
    }

    [Test]
    public async Task A_value_too_large_for_max_allowed_packet_is_listed_with_the_commits_other_failures_in_one_ValidationException()
    {
        await using var premix = CreateRetryingPremix(new DocumentMap());
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Document>().Add(new Document { Text = "x\uD800y" }); // not well-formed UTF-16
        uow.Repository<Document>().Add(new Document { Content = Document.Filled(_limit) });

        var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync())!;

        Assert.That(error.Failures.Select(f => (f.Position, f.Property)), Is.EquivalentTo(new[] { ((int?)1, "Text"), (2, "Content") }), error.Message);
        Assert.That(await CountRowsAsync("documents"), Is.Zero, "nothing was written");
    }

    [Test]
    public async Task Values_each_under_max_allowed_packet_but_over_it_together_round_trip_in_batches_that_fit()
    {
        await using var premix = CreateRetryingPremix(new AttachmentMap());
        var attachments = Enumerable.Range(0, 3).Select(i => new Attachment { Id = Guid.NewGuid(), Content = Document.Filled((_limit / 2) + i) }).ToList();
        await using (var uow = premix.BeginUnitOfWork())
        {
            foreach (var attachment in attachments)
            {
                uow.Repository<Attachment>().Add(attachment); // inserts MariaDB batches: their keys are known
            }

            await uow.CommitAsync();
        }

        foreach (var attachment in attachments)
        {
            Assert.That(await ScalarAsync<long>($"SELECT LENGTH({Q("Content")}) FROM {Q("attachments")} WHERE {Q("Id")} = @id", new { id = attachment.Id.ToString() }), Is.EqualTo(attachment.Content.Length));
        }
    }

    [Test]
    public async Task Runs_of_many_row_inserts_and_updates_with_rows_near_max_allowed_packet_among_small_ones_go_in_statements_that_fit()
    {
        await using var premix = CreateRetryingPremix(new DocumentMap());
        var big = _limit * 6 / 10;
        int[] lengths = [10, 11, 12, 13, big, 14, 15, 16, 17, big + 1, 18, 19, 20, 21];
        var documents = lengths.Select(n => new Document { Content = Document.Filled(n) }).ToList();
        await using (var uow = premix.BeginUnitOfWork())
        {
            documents.ForEach(uow.Repository<Document>().Add); // many-row INSERTs, cut where the next row would not fit
            await uow.CommitAsync();
        }

        Assert.That(await LengthsAsync(documents), Is.EqualTo(lengths), "each key names the row with its own value");

        // An UPDATE lists each row's key once per CASE and once in its key list: a row of half the limit fits in none.
        int[] changed = [.. lengths.Select(n => n == big || n == big + 1 ? n - 1000 : n + 100)];
        await using (var uow = premix.BeginUnitOfWork())
        {
            var loaded = (await uow.Repository<Document>().ListAsync()).ToDictionary(d => d.Id);
            for (var i = 0; i < documents.Count; i++)
            {
                loaded[documents[i].Id].Content = Document.Filled(changed[i]);
            }

            await uow.CommitAsync();
        }

        Assert.That(await LengthsAsync(documents), Is.EqualTo(changed));
    }

    // Each document's stored length, read by its key through plain SQL.
    private async Task<List<long>> LengthsAsync(List<Document> documents)
    {
        var lengths = new List<long>();
        foreach (var document in documents)
        {
            lengths.Add(await ScalarAsync<long>($"SELECT LENGTH({Q("Content")}) FROM {Q("documents")} WHERE {Q("Id")} = @id", new { id = document.Id }));
        }

        return lengths;
    }

    [Test]
    public async Task Raw_statements_queries_and_bulk_updates_over_max_allowed_packet_are_refused_before_sending_and_the_connection_goes_on()
    {
        await using var premix = CreateRetryingPremix(new DocumentMap());
        var content = Document.Filled(_limit);
        await using var uow = premix.BeginUnitOfWork();
        var session = await SessionIdAsync(uow);
        var documents = uow.Repository<Document>().Query();
        var refusals = new Dictionary<string, Func<Task>>
        {
            ["Raw"] = () => uow.Raw($"INSERT INTO {I("documents")} ({I("Content")}) VALUES ({content})").ExecuteAsync(),
            ["Raw read"] = () => uow.Raw($"SELECT COUNT(*) FROM {I("documents")} WHERE {I("Content")} = {content}").ReadOnly().ScalarAs<long>(),
            ["Raw outside a unit of work"] = () => premix.Raw($"SELECT COUNT(*) FROM {I("documents")} WHERE {I("Content")} = {content}").ReadOnly().ScalarAs<long>(),
            ["Query"] = () => documents.Where(d => d.Content == content).CountAsync(),
            ["UpdateAll"] = () => documents.Where(d => d.Id > 0).UpdateAllAsync(s => s.Set(d => d.Content, content)),
        };

        foreach (var (name, statement) in refusals)
        {
            var error = Assert.ThrowsAsync<DatabaseCommandException>(() => statement());
            using (Assert.EnterMultipleScope())
            {
                Assert.That((error!.ErrorKind, error.InnerException), Is.EqualTo((DatabaseErrorKind.Permanent, (Exception?)null)), name + ": " + error);
                Assert.That(error.Message, Does.Contain($"smaller than {_limit:N0} bytes on this connection (max_allowed_packet = {_limit}). Nothing was sent."), name);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await SessionIdAsync(uow), Is.EqualTo(session), "nothing was sent that broke the connection");
            Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.CommandFailed), Is.EqualTo(refusals.Count), "each refusal is logged as a failed statement");
            Assert.That(await premix.Raw($"SELECT COUNT(*) FROM {I("documents")}").ReadOnly().ScalarAs<long>(), Is.Zero);
        }
    }

    [Test]
    public async Task A_commit_over_max_allowed_packet_that_reaches_the_server_fails_as_its_statement_however_the_server_closes_the_socket_and_the_unit_of_work_goes_on_with_a_new_connection()
    {
        await using var premix = CreateRetryingPremix(new DocumentMap(), provider: new ProviderWithoutSizeLimit(Provider));
        byte[][] contents = [Document.Filled(_limit), Document.Filled(2 * _limit)];
        var closes = new List<string>();
        for (var run = 0; run < 10; run++)
        {
            // Just over the limit, the driver has sent everything when the server refuses the packet and closes the socket
            // (the driver reads the refusal, then the rollback finds the socket closed); at twice the limit, the server
            // closes it while the driver is still sending (the driver's write fails). The issue saw either at 20 MB.
            await using var uow = premix.BeginUnitOfWork();
            var session = await SessionIdAsync(uow);
            var document = new Document { Content = contents[run % 2] };
            uow.Repository<Document>().Add(document);

            var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());

            closes.Add(error!.InnerException is MySqlException { ErrorCode: MySqlErrorCode.PacketTooLarge } ? "refused, then closed" : "closed while sending");
            using (Assert.EnterMultipleScope())
            {
                Assert.That((error.Operation, error.Entity, error.ErrorKind), Is.EqualTo(("Insert", "Document", DatabaseErrorKind.Permanent)), error.ToString());
                Assert.That(error.Message, Does.Contain("max_allowed_packet"));
                Assert.That(error.RollbackError, Is.Not.Null, "the rollback found the connection closed, and its error rides along");
                Assert.That(document.Id, Is.Zero, "the object is as before the commit");
            }

            document.Content = [1, 2, 3];
            await uow.CommitAsync();

            Assert.That(await SessionIdAsync(uow), Is.Not.EqualTo(session), "the unit of work went on with a new connection");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("documents")} WHERE LENGTH({Q("Content")}) = 3"), Is.EqualTo(10), "every small document, and nothing else, was written");
            Assert.That(await CountRowsAsync("documents"), Is.EqualTo(10));
            Assert.That(Retries("commit"), Is.Zero, "a statement over the limit is not worth another attempt");
            Assert.That(closes.Distinct().Order(), Is.EqualTo(new[] { "closed while sending", "refused, then closed" }), "both ways the server closes the socket were seen: " + string.Join(", ", closes));
            Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RollbackFailed), Is.EqualTo(10), "each failed rollback was logged");
        }
    }

    [Test]
    public async Task A_raw_statement_over_max_allowed_packet_that_reaches_the_server_fails_as_itself_and_the_next_statement_gets_a_new_connection()
    {
        await using var premix = CreateRetryingPremix(new DocumentMap(), provider: new ProviderWithoutSizeLimit(Provider));
        foreach (var content in new[] { Document.Filled(_limit), Document.Filled(2 * _limit) })
        {
            var write = Assert.ThrowsAsync<DatabaseCommandException>(() => premix.Raw($"INSERT INTO {I("documents")} ({I("Content")}) VALUES ({content})").ExecuteAsync());
            var read = Assert.ThrowsAsync<DatabaseCommandException>(() => premix.Raw($"SELECT COUNT(*) FROM {I("documents")} WHERE {I("Content")} = {content}").ReadOnly().ScalarAs<long>());

            using (Assert.EnterMultipleScope())
            {
                Assert.That((write!.Operation, write.ErrorKind, write.Message.Contains("max_allowed_packet", StringComparison.Ordinal)), Is.EqualTo(("Raw", DatabaseErrorKind.Permanent, true)), write.ToString());
                Assert.That((read!.Operation, read.ErrorKind, read.Message.Contains("max_allowed_packet", StringComparison.Ordinal)), Is.EqualTo(("Raw", DatabaseErrorKind.Permanent, true)), read.ToString());
                Assert.That(await premix.Raw($"SELECT COUNT(*) FROM {I("documents")}").ReadOnly().ScalarAs<long>(), Is.Zero, "the next statement runs");
            }

            await using var uow = premix.BeginUnitOfWork();
            var session = await SessionIdAsync(uow);
            var inUnitOfWork = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.Raw($"SELECT COUNT(*) FROM {I("documents")} WHERE {I("Content")} = {content}").ReadOnly().ScalarAs<long>());
            Assert.That(inUnitOfWork!.ErrorKind, Is.EqualTo(DatabaseErrorKind.Permanent), inUnitOfWork.ToString());
            Assert.That(await uow.Raw($"SELECT COUNT(*) FROM {I("documents")}").ReadOnly().ScalarAs<long>(), Is.Zero, "the unit of work reads on");
            Assert.That(await SessionIdAsync(uow), Is.Not.EqualTo(session), "on a new connection");
        }
    }

    // The validation failure of a commit that adds one document of `length` bytes, which must be too large.
    private static ValidationFailure RefusedInsert(IPremix premix, int length)
    {
        using var uow = premix.BeginUnitOfWork();
        uow.Repository<Document>().Add(new Document { Content = Document.Filled(length) });
        var error = Assert.Throws<ValidationException>(() => uow.Commit());
        Assert.That(error!.Failures, Has.Count.EqualTo(1), error.Message);
        return error.Failures[0];
    }

    /// <summary>The fixture's provider, minus what it knows of the server's statement size limit: its statements reach the server.</summary>
    private sealed class ProviderWithoutSizeLimit(IDatabaseProvider inner) : IDatabaseProvider
    {
        public string Name => inner.Name;

        public ISqlDialect Dialect => inner.Dialect;

        public bool CompletesSynchronously => inner.CompletesSynchronously;

        public ConnectionSettings? Connections => inner.Connections;

        public DatabaseTarget Target => inner.Target;

        public bool IsPoolExhausted(Exception error) => inner.IsPoolExhausted(error);

        public DatabaseErrorKind Classify(Exception error) => inner.Classify(error);

        public ConnectionFailure DescribeConnectionFailure(Exception error) => inner.DescribeConnectionFailure(error);

        public CancellationTokenRegistration CancelOnToken(DbConnection connection, CancellationToken cancellationToken) => inner.CancelOnToken(connection, cancellationToken);

        public DbConnection CreateConnection() => inner.CreateConnection();
    }
}
