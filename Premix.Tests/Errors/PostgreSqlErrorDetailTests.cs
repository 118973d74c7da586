using Dapper;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Errors;

/// <summary>
/// PostgreSQL with <c>Include Error Detail</c>, where Npgsql keeps the server's DETAIL (<c>Key (Email)=(...) already
/// exists.</c>) with the row's values: the columns are read from it, and neither the exception nor the driver's
/// exception kept inside it holds the value. Only PostgreSQL has such a setting: SQLite's messages never hold a value and
/// MariaDB's always do, which <see cref="ConstraintViolationTests"/> covers.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class PostgreSqlErrorDetailTests(Engine engine) : PremixTest(engine)
{
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [Test]
    public async Task Unique_violation_reads_the_columns_from_the_detail_and_masks_its_values()
    {
        await using var provider = new PostgreSqlProvider(ConnectionString + ";Include Error Detail=true");
        await using var premix = PremixFactory.Create(p => p.UseProvider(provider).AddModelConfiguration<UnnamedIndexMap>());
        await RecreateTablesAsync(premix);
        await using (var connection = await OpenConnectionAsync())
        {
            // An index the mapping does not know, so the columns can only come from the server's detail.
            await connection.ExecuteAsync("CREATE UNIQUE INDEX members_email_by_hand ON members (\"Email\")");
            await connection.ExecuteAsync("INSERT INTO members (\"Handle\", \"Email\") VALUES ('ada', @Secret)", new { ConstraintViolationTests.Secret });
        }

        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Member>().Add(new Member { Handle = "copycat", Email = ConstraintViolationTests.Secret });
        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.ConstraintName, Is.EqualTo("members_email_by_hand"));
            Assert.That(error.Columns, Is.EqualTo(new[] { "Email" }));
            Assert.That(error.Message, Does.Contain("Key (\"Email\")=(***) already exists"));
            Assert.That(error.InnerException, Is.InstanceOf<RedactedDatabaseException>(), "the driver's exception, whose Detail holds the value, is not kept");
            Assert.That(error.ToString(), Does.Not.Contain(ConstraintViolationTests.Secret[..24]));
            Assert.That(await CountRowsAsync("members"), Is.EqualTo(1));
        }
    }

    private sealed class UnnamedIndexMap : Premix.Mapping.ModelConfiguration<Member>
    {
        public override void Configure(Premix.Mapping.EntityBuilder<Member> e)
        {
            e.ToTable("members");
            e.Property(m => m.Email).HasMaxLength(300).Sensitive();
        }
    }
}
