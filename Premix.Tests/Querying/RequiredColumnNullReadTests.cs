using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A property mapped as required (a non-nullable string) is read without asking the driver whether its column is NULL
/// first; a NULL that is there anyway (a column the database leaves nullable) still reads as null, on every read path.
/// </summary>
public sealed class RequiredColumnNullReadTests(Engine engine) : PremixTest(engine)
{
    [SetUp]
    public async Task CreateNullableTableAsync()
    {
        var key = Engine == Engine.Sqlite ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY";
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("customers")}");
        await ExecuteAsync($"CREATE TABLE {Q("customers")} ({Q("Id")} {key}, {Q("Name")} VARCHAR(20) NULL, {Q("Email")} VARCHAR(100) NULL, {Q("Visits")} INT NOT NULL)");
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Email")}, {Q("Visits")}) VALUES (1, NULL, NULL, 3), (2, 'Ada', 'ada@example.com', 4)");
    }

    [Test]
    public async Task A_null_in_a_required_string_column_reads_as_null_by_key_list_query_and_synchronously()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()));
        await using var uow = premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();

        var found = await customers.FindAsync(1L);
        var listed = await customers.ListAsync();
        var queried = await customers.Query().Where(c => c.Visits < 10).OrderBy(c => c.Id).ToListAsync();
        var foundSynchronously = customers.Find(1L);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.Not.Null.And.Property(nameof(Customer.Name)).Null.And.Property(nameof(Customer.Visits)).EqualTo(3));
            Assert.That(listed.OrderBy(c => c.Id).Select(c => c.Name), Is.EqualTo(new[] { null, "Ada" }));
            Assert.That(queried.Select(c => (c.Name, c.Email)), Is.EqualTo(new[] { ((string?)null, (string?)null), ("Ada", "ada@example.com") }));
            Assert.That(foundSynchronously!.Name, Is.Null);
        }
    }

    [Test]
    public async Task A_null_in_a_required_converted_bytes_column_reads_as_null_and_never_reaches_the_conversion()
    {
        var bytes = Engine switch { Engine.Sqlite => "BLOB", Engine.PostgreSql => "BYTEA", _ => "VARBINARY(32)" };
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("fingerprints")}");
        await ExecuteAsync($"CREATE TABLE {Q("fingerprints")} ({Q("Id")} BIGINT PRIMARY KEY, {Q("Digest")} {bytes} NULL)");
        await ExecuteAsync($"INSERT INTO {Q("fingerprints")} ({Q("Id")}, {Q("Digest")}) VALUES (1, NULL)");
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new FingerprintMap()));
        await using var uow = premix.BeginUnitOfWork();

        // SQLite's GetFieldValue<byte[]> answers NULL with null instead of refusing it: the conversion must not get it.
        var found = await uow.Repository<Fingerprint>().AsNoTracking().FindAsync(1L);

        Assert.That(found!.Digest, Is.Null);
    }

    private sealed class Fingerprint
    {
        public long Id { get; set; }

        public Digest Digest { get; set; } = new([]);
    }

    private sealed record Digest(byte[] Bytes);

    private sealed class FingerprintMap : ModelConfiguration<Fingerprint>
    {
        public override void Configure(EntityBuilder<Fingerprint> e)
        {
            e.ToTable("fingerprints");
            e.Property(f => f.Digest).HasConversion(d => d.Bytes, b => new Digest(b));
        }
    }
}
