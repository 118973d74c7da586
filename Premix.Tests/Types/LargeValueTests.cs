using Premix.Tests.Infrastructure;
using Premix.Tests.Resilience;

namespace Premix.Tests.Types;

/// <summary>
/// Values larger than MariaDB accepts in one statement (<c>max_allowed_packet</c>, 16 MB by default): refused there before
/// any SQL, as validation failures naming the limit and the setting; stored and read back whole by SQLite and PostgreSQL,
/// whose limits are a gigabyte per value (docs/types.md, "Large values"). MariaDB's boundary, batches and raw statements:
/// <see cref="MaxAllowedPacketTests"/>.
/// </summary>
public sealed class LargeValueTests(Engine engine) : ResilienceTest(engine)
{
    private const int MariaDbDefaultLimit = 16 * 1024 * 1024;

    [SetUp]
    public async Task CreateTablesAsync() => await (await CreatePremixWithTablesAsync(new DocumentMap())).DisposeAsync();

    [Test]
    public async Task Values_too_large_for_one_statement_fail_validation_before_any_SQL_on_MariaDB_and_round_trip_on_SQLite_and_PostgreSQL()
    {
        var limit = Engine == Engine.MySql ? (int)await ScalarAsync<long>("SELECT @@GLOBAL.max_allowed_packet") : MariaDbDefaultLimit;
        Assert.That(limit, Is.LessThanOrEqualTo(64 * 1024 * 1024), "this test writes values of max_allowed_packet bytes: run it on a server whose limit is 64 MB or less (16 MB by default)");
        await using var premix = CreateRetryingPremix(new DocumentMap());
        Document[] documents =
        [
            new() { Content = Document.Filled(limit) },
            new() { Content = [1, 2, 3] },
            new() { Text = new string('é', limit / 2) }, // two bytes each in UTF-8
        ];
        await using var uow = premix.BeginUnitOfWork();
        long? session = Engine == Engine.MySql ? await SessionIdAsync(uow) : null;
        foreach (var document in documents)
        {
            uow.Repository<Document>().Add(document);
        }

        if (Engine == Engine.MySql)
        {
            var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync());

            using (Assert.EnterMultipleScope())
            {
                Assert.That(error!.Failures.Select(f => (f.Entity, f.Property, f.Position)), Is.EqualTo(new (string, string?, int?)[] { ("Document", "Content", 1), ("Document", "Text", 3) }), error.Message);
                Assert.That(error.Failures.Select(f => f.Message), Has.All.Contain($"the server accepts statements smaller than {limit:N0} bytes on this connection (max_allowed_packet = {limit})"));
                Assert.That(error.Failures[0].Message, Does.StartWith($"takes {limit + 9:N0} bytes in its Insert statement"), "the bytes, as _binary'...'");
                Assert.That(error.Failures[1].Message, Does.StartWith($"takes {limit + 2:N0} bytes in its Insert statement"), "the text in UTF-8, quoted");
                Assert.That(await CountRowsAsync("documents"), Is.Zero, "nothing was written");
                Assert.That(documents.Select(d => d.Id), Is.All.Zero);
                Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.CommandFailed), Is.Zero, "no statement failed: none was sent");
                Assert.That(await SessionIdAsync(uow), Is.EqualTo(session), "the connection is whole");
            }
        }
        else
        {
            await uow.CommitAsync();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(await ScalarAsync<long>($"SELECT LENGTH({Q("Content")}) FROM {Q("documents")} WHERE {Q("Id")} = @id", new { id = documents[0].Id }), Is.EqualTo(limit));
                Assert.That(await ScalarAsync<string>($"SELECT {Q("Text")} FROM {Q("documents")} WHERE {Q("Id")} = @id", new { id = documents[2].Id }), Is.EqualTo(documents[2].Text));
                await using var reader = premix.BeginUnitOfWork();
                Assert.That((await reader.Repository<Document>().GetAsync(documents[0].Id)).Content, Is.EqualTo(documents[0].Content), "read back whole");
            }
        }
    }
}
