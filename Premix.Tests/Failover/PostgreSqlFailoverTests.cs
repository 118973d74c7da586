using Premix.Mapping;

namespace Premix.Tests.Failover;

/// <summary>
/// A PostgreSQL primary dies (<c>kill -9</c>) under 8 writers and 2 readers, and its synchronous standby is promoted a second
/// later, as an HA manager does; Premix reaches them through one multi-host connection string with
/// <c>Target Session Attributes=primary</c> and the default resilience settings. Every unit of work's reported outcome is
/// compared with what the promoted server holds, through plain SQL: nothing reported committed is missing, nothing is
/// stored twice, nothing reported failed is stored; and no unit of work fails that could have been retried safely: the
/// only ones not committed had their COMMIT in flight (or, with raw writes in their transaction, a statement). PostgreSQL
/// only: the failover pair is the test command's (<see cref="FailoverPair"/>). The figures go to the test output.
/// </summary>
public sealed class PostgreSqlFailoverTests : PostgreSqlFailoverFixture
{
    protected override string MoreTables => """
        CREATE TABLE stamps (id bigserial PRIMARY KEY, reference text NOT NULL);
        CREATE TABLE audit (reference text NOT NULL);
        """;

    [SetUp]
    public void CreatePremixOnThePair() => CreatePremix(Pair.ConnectionString, p => p.AddModelConfiguration(new StampMap()));

    [Test]
    public async Task PostgreSql_failover_with_default_resilience_loses_doubles_and_misreports_nothing_and_fails_no_unit_of_work_that_could_be_retried()
    {
        var run = await RunAsync(async reference =>
        {
            await using var uow = CurrentPremix.BeginUnitOfWork();
            uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = 1 });
            await uow.CommitAsync();
        });

        await AssertIntegrityAsync(run);
        AssertOnlyCommitsInFlightFailed(run);
    }

    [Test]
    public async Task PostgreSql_failover_with_VerifyCommitWith_loses_doubles_and_misreports_nothing_and_fails_no_unit_of_work_that_could_be_retried()
    {
        var run = await RunAsync(async reference =>
        {
            await using var uow = CurrentPremix.BeginUnitOfWork();
            uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = 1 });
            uow.VerifyCommitWith(async (check, ct) => await check.Repository<FailoverNote>().Query().Where(n => n.Reference == reference).AnyAsync(ct));
            await uow.CommitAsync();
        });

        await AssertIntegrityAsync(run);
        AssertOnlyCommitsInFlightFailed(run);
    }

    [Test]
    public async Task PostgreSql_failover_of_units_of_work_mixing_a_read_a_raw_write_and_several_statements_keeps_each_whole_and_fails_none_that_could_be_retried()
    {
        var run = await RunAsync(async reference =>
        {
            await using var uow = CurrentPremix.BeginUnitOfWork();
            var writes = await uow.Repository<FailoverNote>().Query().Where(n => n.Reference == reference).CountAsync(); // a read, retried
            await uow.Raw($"INSERT INTO audit (reference) VALUES ({reference})").ExecuteAsync(); // begins the transaction
            uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = (int)writes + 1 });
            uow.Repository<Stamp>().Add(new Stamp { Reference = reference });
            await uow.CommitAsync();
        });

        var notes = await AssertIntegrityAsync(run);
        AssertOnlyCommitsInFlightFailed(run, mixed: true);

        // A unit of work is whole or absent: its raw write, its two entities, all or nothing.
        var stamps = await Pair.ReferenceCountsAsync(2, "stamps");
        var audit = await Pair.ReferenceCountsAsync(2, "audit");
        Assert.That(run.Units.Select(u => u.Reference).Where(r => notes.GetValueOrDefault(r) != stamps.GetValueOrDefault(r) || notes.GetValueOrDefault(r) != audit.GetValueOrDefault(r)), Is.Empty,
            "each unit of work's raw write and entities are stored together or not at all");
    }

    // The run, with the readers reading what the writers wrote.
    private async Task<FailoverRun> RunAsync(Func<string, Task> unit)
    {
        var run = new FailoverRun();
        await run.RunAsync(Pair, unit, async () =>
        {
            await using var uow = CurrentPremix.BeginUnitOfWork();
            await uow.Repository<FailoverNote>().Query().Where(n => n.Reference == "w0-100").AnyAsync();
        });
        Print(run);
        return run;
    }

    public sealed class Stamp
    {
        public long Id { get; set; }

        public string Reference { get; set; } = "";
    }

    private sealed class StampMap : ModelConfiguration<Stamp>
    {
        public override void Configure(EntityBuilder<Stamp> e)
        {
            e.ToTable("stamps");
            e.Property(s => s.Id).HasColumnName("id");
            e.Property(s => s.Reference).HasColumnName("reference");
        }
    }
}
