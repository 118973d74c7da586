using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// PremixQuery.Compile: a query built once, whose lambda arguments become parameters bound per call. Each call must mean
/// exactly what the same chain means uncompiled (rows, tracking, soft delete, Include, SQL), on every engine, from many
/// threads at once. The compiled queries are static, as an application keeps them, so one instance serves the three
/// engines' fixtures.
/// </summary>
public sealed class CompiledQueryTests(Engine engine) : PremixTest(engine)
{
    private static readonly PremixQuery<Member, string?> ByEmail = PremixQuery.Compile((Query<Member> q, string? email) => q.Where(m => m.Email == email));

    private static readonly PremixQuery<Member, int> ScoreAtLeast =
        PremixQuery.Compile((Query<Member> q, int min) => q.Where(m => m.Score >= min).OrderByDescending(m => m.Name));

    private static readonly PremixQuery<Member, int, int> Page = PremixQuery.Compile((Query<Member> q, int page, int size) => q.OrderBy(m => m.Score).Skip(page * size).Take(size));

    private static readonly PremixQuery<Member, int> SkipOnly = PremixQuery.Compile((Query<Member> q, int skip) => q.OrderBy(m => m.Score).Skip(skip));

    private static readonly PremixQuery<Member, int> NoneAtLeast = PremixQuery.Compile((Query<Member> q, int min) => q.Where(m => m.Score >= min).OrderBy(m => m.Score).Take(0));

    private static readonly PremixQuery<Member, int> OneAtLeast = PremixQuery.Compile((Query<Member> q, int min) => q.Where(m => m.Score >= min).OrderBy(m => m.Score).Take(1));

    private static readonly PremixQuery<Member, int> LastSkipWins = PremixQuery.Compile((Query<Member> q, int skip) => q.OrderBy(m => m.Score).Skip(skip).Skip(1));

    private static readonly PremixQuery<Member, int, int, string> Between =
        PremixQuery.Compile((Query<Member> q, int min, int max, string prefix) => q.Where(m => m.Score >= min && m.Score <= max && m.Name.StartsWith(prefix)).OrderBy(m => m.Id));

    private static readonly PremixQuery<Member, string> WithBadges =
        PremixQuery.Compile((Query<Member> q, string prefix) => q.Where(m => m.Name.StartsWith(prefix)).Include(m => m.Badges).ThenInclude(b => b.Member).OrderBy(m => m.Id));

    private static readonly PremixQuery<Member, long> UntrackedById = PremixQuery.Compile((Query<Member> q, long id) => q.AsNoTracking().Where(m => m.Id == id));

    private static readonly PremixQuery<Member> AllById = PremixQuery.Compile((Query<Member> q) => q.OrderBy(m => m.Id));

    private static readonly PremixQuery<Member> OnlyDeleted = PremixQuery.Compile((Query<Member> q) => q.OnlyDeleted());

    private static readonly PremixQuery<Member> WithDeleted = PremixQuery.Compile((Query<Member> q) => q.WithDeleted().OrderBy(m => m.Id));

    private static readonly PremixProjection<Member, int, MemberRow> RowsFrom =
        PremixQuery.Compile((Query<Member> q, int min) => q.Where(m => m.Score >= min).OrderBy(m => m.Id).Select(m => new MemberRow(m.Id, m.Name)));

    private static readonly PremixProjection<Member, string> Names = PremixQuery.Compile((Query<Member> q) => q.OrderByDescending(m => m.Score).Select(m => m.Name));

    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        // Members 1..6 score 10..60 and hold i badges; member 5 is soft-deleted (so i..4 and 6 score at least 10 * i), member 6 has no email.
        _premix = await CreatePremixWithTablesAsync(new MemberMap(), new BadgeMap());
        await using var uow = _premix.BeginUnitOfWork();
        for (var i = 1; i <= 6; i++)
        {
            var member = new Member
            {
                Name = $"member {i}",
                Email = i == 6 ? null : $"m{i}@example.org",
                Score = i * 10,
                DeletedAt = i == 5 ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null,
            };
            for (var b = 1; b <= i; b++)
            {
                member.Badges.Add(new Badge { Title = $"badge {i}.{b}" });
            }

            uow.Repository<Member>().Add(member);
        }

        await uow.CommitAsync();
    }

    [Test]
    public async Task Every_terminal_operator_returns_what_the_same_uncompiled_query_returns()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>().AsNoTracking();
        var uncompiled = members.Query().Where(m => m.Score >= 20).OrderByDescending(m => m.Name);

        var list = await ScoreAtLeast.ToListAsync(members, 20);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.Select(m => m.Name), Is.EqualTo(new[] { "member 6", "member 4", "member 3", "member 2" }), "member 5 is soft-deleted");
            Assert.That(list.Select(m => m.Name), Is.EqualTo((await uncompiled.ToListAsync()).Select(m => m.Name)));
            Assert.That((await ScoreAtLeast.FirstAsync(members, 20)).Name, Is.EqualTo((await uncompiled.FirstAsync()).Name));
            Assert.That((await ScoreAtLeast.FirstOrDefaultAsync(members, 20))?.Name, Is.EqualTo((await uncompiled.FirstOrDefaultAsync())?.Name));
            Assert.That(await ScoreAtLeast.FirstOrDefaultAsync(members, 1000), Is.Null);
            Assert.That((await ScoreAtLeast.SingleAsync(members, 60)).Name, Is.EqualTo("member 6"));
            Assert.That(await ScoreAtLeast.CountAsync(members, 20), Is.EqualTo(await uncompiled.CountAsync()).And.EqualTo(4));
            Assert.That(await ScoreAtLeast.AnyAsync(members, 60), Is.True);
            Assert.That(await ScoreAtLeast.AnyAsync(members, 61), Is.False);
            Assert.That((await AllById.ToListAsync(members)).Select(m => m.Name), Is.EqualTo((await members.Query().OrderBy(m => m.Id).ToListAsync()).Select(m => m.Name)));
            Assert.That((await Between.ToListAsync(members, 20, 40, "member")).Select(m => m.Score), Is.EqualTo(new[] { 20, 30, 40 }));
        }
    }

    [Test]
    public async Task A_compiled_projection_returns_what_the_same_uncompiled_Select_returns()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        var uncompiled = members.Query().Where(m => m.Score >= 30).OrderBy(m => m.Id).Select(m => new MemberRow(m.Id, m.Name));

        var rows = await RowsFrom.ToListAsync(members, 30);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.Name), Is.EqualTo(new[] { "member 3", "member 4", "member 6" }));
            Assert.That(rows, Is.EqualTo(await uncompiled.ToListAsync()));
            Assert.That(await RowsFrom.FirstOrDefaultAsync(members, 1000), Is.Null);
            Assert.That((await RowsFrom.FirstAsync(members, 40)).Name, Is.EqualTo("member 4"));
            Assert.That(await Names.FirstAsync(members), Is.EqualTo("member 6"));
            Assert.That(RowsFrom.ToSql(members, 1), Is.EqualTo(uncompiled.ToSql()));
        }
    }

    [Test]
    public async Task First_and_Single_throw_as_the_uncompiled_query_does()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => ScoreAtLeast.FirstAsync(members, 1000), Throws.InvalidOperationException.With.Message.Contains("no row"));
            Assert.That(() => ScoreAtLeast.SingleAsync(members, 10), Throws.InvalidOperationException.With.Message.Contains("more than one row"));
        }
    }

    [Test]
    public async Task Compiled_First_reads_one_row_and_Single_two()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        using var queries = uow.RecordQueries();

        var first = await ScoreAtLeast.FirstAsync(members, 20);
        var tooMany = Assert.ThrowsAsync<InvalidOperationException>(() => ScoreAtLeast.SingleAsync(members, 20));
        var single = await ScoreAtLeast.SingleAsync(members, 60);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.Name, single.Name), Is.EqualTo(("member 6", "member 6")));
            Assert.That(tooMany!.Message, Does.Contain("more than one row"));
            Assert.That(queries.Statements.Select(Paging), Is.EqualTo(new[] { "-/1", "-/2", "-/2" }));
        }
    }

    [Test]
    public async Task A_list_after_Single_reads_every_row_no_limit_carried_over()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        using var queries = uow.RecordQueries();

        await ScoreAtLeast.SingleAsync(members, 60);
        var all = await ScoreAtLeast.ToListAsync(members, 10);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(m => m.Score), Is.EqualTo(new[] { 60, 40, 30, 20, 10 }), "ordered by name, descending; member 5 soft-deleted");
            Assert.That(queries.Statements.Select(Paging), Is.EqualTo(new[] { "-/2", "-/-" }));
        }
    }

    [Test]
    public async Task First_and_Single_read_no_more_than_a_computed_Take()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        using var queries = uow.RecordQueries();

        var onlyOfPage = await Page.SingleAsync(members, 1, 1); // Take(1): Single reads that one row, though more follow
        var noneOfEmptyPage = await Page.FirstOrDefaultAsync(members, 0, 0);
        var firstOfPage = await Page.FirstAsync(members, 1, 3);
        var tooManyInPage = Assert.ThrowsAsync<InvalidOperationException>(() => Page.SingleAsync(members, 1, 3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((onlyOfPage.Score, noneOfEmptyPage, firstOfPage.Score), Is.EqualTo((20, (Member?)null, 40)));
            Assert.That(tooManyInPage!.Message, Does.Contain("more than one row"));
            Assert.That(queries.Statements.Select(Paging), Is.EqualTo(new[] { "1/1", "0/0", "3/1", "3/2" }),
                "a page of one row or none no more than its own Take; a larger page one row for First, two for Single");
        }
    }

    // Visible scores, in order: 10, 20, 30, 40, 60 (member 5 is soft-deleted).
    [Test]
    public async Task A_computed_Skip_without_Take_pages_First_Single_and_ToList()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        using var queries = uow.RecordQueries();

        var last = await SkipOnly.SingleAsync(members, 4);
        var tooMany = Assert.ThrowsAsync<InvalidOperationException>(() => SkipOnly.SingleAsync(members, 3));
        var second = await SkipOnly.FirstAsync(members, 1);
        var rest = await SkipOnly.ToListAsync(members, 2);
        var none = await SkipOnly.FirstOrDefaultAsync(members, 5);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((last.Score, second.Score, none), Is.EqualTo((60, 20, (Member?)null)));
            Assert.That(tooMany!.Message, Does.Contain("more than one row"));
            Assert.That(rest.Select(m => m.Score), Is.EqualTo(new[] { 30, 40, 60 }));
            Assert.That(queries.Statements.Select(Paging), Is.EqualTo(new[] { "4/2", "3/2", "1/1", "2/-", "5/1" }));
        }
    }

    [Test]
    public async Task A_constant_Take_of_none_reads_no_row_for_First_and_Single()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        using var queries = uow.RecordQueries();

        var first = await NoneAtLeast.FirstOrDefaultAsync(members, 10);
        var single = Assert.ThrowsAsync<InvalidOperationException>(() => NoneAtLeast.SingleAsync(members, 10));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.Null);
            Assert.That(single!.Message, Does.Contain("no row"));
            Assert.That(queries.Statements.Select(Paging), Is.EqualTo(new[] { "-/0", "-/0" }));
        }
    }

    [Test]
    public async Task A_constant_Take_of_one_makes_Single_read_one_row()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        using var queries = uow.RecordQueries();

        var single = await OneAtLeast.SingleAsync(members, 20);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(single.Score, Is.EqualTo(20), "the first of four rows: Take(1) leaves Single one");
            Assert.That(queries.Statements.Select(Paging), Is.EqualTo(new[] { "-/1" }));
        }
    }

    [Test]
    public async Task Each_call_binds_its_own_value_and_a_null_argument_matches_a_null_column()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();

        var first = await ByEmail.SingleAsync(members, "m1@example.org");
        var second = await ByEmail.SingleAsync(members, "m2@example.org");
        var none = await ByEmail.FirstOrDefaultAsync(members, "nobody@example.org");
        var withoutEmail = await ByEmail.SingleAsync(members, null);
        var againFirst = await ByEmail.SingleAsync(members, "m1@example.org");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.Name, second.Name, none, withoutEmail.Name), Is.EqualTo(("member 1", "member 2", (Member?)null, "member 6")));
            Assert.That(againFirst, Is.SameAs(first), "tracked: the same instance");
            Assert.That(ByEmail.ToSql(members, null), Does.Contain("IS NULL"), "a null argument has a translation of its own");
            Assert.That(ByEmail.ToSql(members, "m1@example.org"), Is.EqualTo(members.Query().Where(m => m.Email == "x").ToSql()));
        }
    }

    [Test]
    public async Task Skip_and_Take_computed_from_the_arguments_page_per_call()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();

        var pages = new List<int[]>();
        for (var page = 0; page < 4; page++)
        {
            pages.Add([.. (await Page.ToListAsync(members, page, 2)).Select(m => m.Score)]);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages, Is.EqualTo(new[] { new[] { 10, 20 }, [30, 40], [60], [] }));
            Assert.That(await Page.CountAsync(members, 0, 3), Is.EqualTo(3), "Count counts the page, as uncompiled");
            Assert.That(Page.ToSql(members, 5, 5), Is.EqualTo(members.Query().OrderBy(m => m.Score).Skip(1).Take(1).ToSql()), "the counts are parameters");
            Assert.That(() => Page.ToListAsync(members, -1, 2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Skip(-2)"));
            Assert.That((await LastSkipWins.FirstAsync(members, 3)).Score, Is.EqualTo(20), "the later constant Skip replaces the computed one, as uncompiled");
        }
    }

    [Test]
    public async Task A_tracking_repository_tracks_what_a_compiled_query_reads_and_the_commit_saves_its_changes()
    {
        long id;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var members = uow.Repository<Member>();
            var loaded = await members.GetAsync(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("members")} WHERE {Q("Name")} = 'member 3'"));
            var read = await ByEmail.SingleAsync(members, "m3@example.org");
            Assert.That(read, Is.SameAs(loaded), "the unit of work's instance");
            id = read.Id;
            read.Score = 33;
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<int>($"SELECT {Q("Score")} FROM {Q("members")} WHERE {Q("Id")} = {id}"), Is.EqualTo(33));
        await ExecuteAsync($"UPDATE {Q("members")} SET {Q("Score")} = 30 WHERE {Q("Id")} = {id}");
    }

    [Test]
    public async Task A_no_tracking_repository_or_AsNoTracking_in_the_lambda_reads_new_instances()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        var tracked = await ByEmail.SingleAsync(members, "m4@example.org");

        var fromUntrackedRepository = await ByEmail.SingleAsync(members.AsNoTracking(), "m4@example.org");
        var fromAsNoTracking = await UntrackedById.SingleAsync(members, tracked.Id);
        fromUntrackedRepository.Score = 999;
        fromAsNoTracking.Score = 999;
        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromUntrackedRepository, Is.Not.SameAs(tracked));
            Assert.That(fromAsNoTracking, Is.Not.SameAs(tracked).And.Not.SameAs(fromUntrackedRepository));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Score")} FROM {Q("members")} WHERE {Q("Id")} = {tracked.Id}"), Is.EqualTo(40), "untracked changes are not saved");
        }
    }

    [Test]
    public async Task Soft_deleted_rows_are_hidden_unless_the_lambda_asks_for_them()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        var visible = await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("members")} WHERE {Q("DeletedAt")} IS NULL");
        var all = await CountRowsAsync("members");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ByEmail.FirstOrDefaultAsync(members, "m5@example.org"), Is.Null);
            Assert.That(await AllById.CountAsync(members), Is.EqualTo(visible).And.EqualTo(5));
            Assert.That(await WithDeleted.CountAsync(members), Is.EqualTo(all).And.EqualTo(6));
            Assert.That((await OnlyDeleted.SingleAsync(members)).Name, Is.EqualTo("member 5"));
        }
    }

    [Test]
    public async Task Include_loads_the_relations_as_the_uncompiled_query_does()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>().AsNoTracking();
        using var queries = _premix.RecordQueries();

        var compiled = await WithBadges.ToListAsync(members, "member");
        var statements = queries.Count();
        var uncompiled = await members.Query().Where(m => m.Name.StartsWith("member")).Include(m => m.Badges).ThenInclude(b => b.Member).OrderBy(m => m.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(compiled.Select(m => m.Badges.Count), Is.EqualTo(new[] { 1, 2, 3, 4, 6 }));
            Assert.That(compiled.Select(m => m.Badges.Count), Is.EqualTo(uncompiled.Select(m => m.Badges.Count)));
            Assert.That(compiled.SelectMany(m => m.Badges).All(b => b.Member is not null && b.Member.Id == b.MemberId), Is.True, "ThenInclude stitched the parent");
            Assert.That(statements, Is.EqualTo(3), "one statement per level");
            Assert.That(WithBadges.ToSql(members, "x"), Is.EqualTo(members.Query().Where(m => m.Name.StartsWith("y")).Include(m => m.Badges).ThenInclude(b => b.Member).OrderBy(m => m.Id).ToSql()));
        }
    }

    [Test]
    public async Task A_captured_variable_is_read_on_every_call_not_frozen_at_the_first()
    {
        var threshold = new Threshold { Min = 50 };
        var query = PremixQuery.Compile((Query<Member> q) => q.Where(m => m.Score >= threshold.Min));
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();

        var before = await query.CountAsync(members);
        threshold.Min = 20;
        var after = await query.CountAsync(members);

        Assert.That((before, after), Is.EqualTo((1L, 4L)));
    }

    [Test]
    public async Task Calls_from_many_threads_at_once_each_get_the_row_of_their_own_argument()
    {
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            await using var uow = _premix.BeginUnitOfWork();
            var members = uow.Repository<Member>().AsNoTracking();
            for (var call = 0; call < 40; call++)
            {
                var i = ((worker + call) % 4) + 1;
                var found = await ByEmail.FirstOrDefaultAsync(members, $"m{i}@example.org");
                var count = await ScoreAtLeast.CountAsync(members, i * 10);
                if (found?.Name != $"member {i}" || count != 6 - i)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));

        Assert.That(failures, Is.Zero);
    }

    [Test]
    public async Task A_compiled_query_runs_in_the_unit_of_work_transaction_and_sees_its_uncommitted_rows()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        await members.Query().Where(m => m.Name == "member 1").UpdateAllAsync(s => s.Set(m => m.Email, "changed@example.org"));

        var found = await ByEmail.FirstOrDefaultAsync(members.AsNoTracking(), "changed@example.org");

        Assert.That(found?.Name, Is.EqualTo("member 1"));
    }

    [Test]
    public void Misuse_gets_an_exception_that_says_what_to_do()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => ByEmail.FirstOrDefaultAsync(null!, "a"), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("repository"));
            Assert.That(() => PremixQuery.Compile((Query<Member> q) => q.AllowUnsafe()),
                Throws.InstanceOf<NotSupportedException>().With.Message.Contains("AllowUnsafe").And.Message.Contains("Where, OrderBy"));
            Assert.That(() => PremixQuery.Compile((Query<Member> q, Query<Member> other) => other.Where(m => m.Id > 0)),
                Throws.ArgumentException.With.Message.Contains("starts from its Query<Member> parameter"));
            Assert.That(() => PremixQuery.Compile((Query<Member> q, int n) => q.Take(n).Where(m => m.Name == q.ToSql())), Throws.InstanceOf<NotSupportedException>().With.Message.Contains("inside an operator's argument"));
            System.Linq.Expressions.Expression<Func<Member, bool>> held = m => m.Id > 0;
            Assert.That(() => PremixQuery.Compile((Query<Member> q) => q.Where(held)), Throws.InstanceOf<NotSupportedException>().With.Message.Contains("held in a variable would be read once"));
        }
    }

    [Test]
    public async Task A_disposed_unit_of_work_is_refused()
    {
        var uow = _premix.BeginUnitOfWork();
        var members = uow.Repository<Member>();
        await uow.DisposeAsync();

        Assert.That(() => ByEmail.FirstOrDefaultAsync(members, "m1@example.org"), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public async Task On_the_recording_fake_a_compiled_query_filters_with_the_call_values()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration(new MemberMap()).AddModelConfiguration(new BadgeMap()));
        await using (var seed = fake.BeginUnitOfWork())
        {
            seed.Repository<Member>().Add(new Member { Name = "a", Email = "a@example.org", Score = 1 });
            seed.Repository<Member>().Add(new Member { Name = "b", Email = "b@example.org", Score = 2 });
            await seed.CommitAsync();
        }

        await using var uow = fake.BeginUnitOfWork();
        var members = uow.Repository<Member>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await ByEmail.SingleAsync(members, "b@example.org")).Name, Is.EqualTo("b"));
            Assert.That((await Page.ToListAsync(members, 1, 1)).Select(m => m.Name), Is.EqualTo(new[] { "b" }));
        }
    }

    [Test]
    public async Task On_the_recording_fake_compiled_First_and_Single_read_the_rows_the_database_would()
    {
        using var fake = await FakeOfThreeAsync();
        await using var uow = fake.BeginUnitOfWork();
        var members = uow.Repository<Member>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await ScoreAtLeast.FirstAsync(members, 20)).Name, Is.EqualTo("m3"), "ordered by name, descending");
            Assert.That((await ScoreAtLeast.SingleAsync(members, 30)).Name, Is.EqualTo("m3"));
            Assert.That(() => ScoreAtLeast.SingleAsync(members, 20), Throws.InvalidOperationException.With.Message.Contains("more than one row"));
            Assert.That((await Page.SingleAsync(members, 1, 1)).Score, Is.EqualTo(20), "a page of one row: Single reads no more");
            Assert.That(await Page.FirstOrDefaultAsync(members, 0, 0), Is.Null, "a page of none: First reads none");
            Assert.That((await RowsFrom.FirstAsync(members, 20)).Name, Is.EqualTo("m2"), "a projection's first row");
        }
    }

    [Test]
    public async Task On_the_recording_fake_a_computed_Skip_without_Take_and_a_constant_Take_limit_First_and_Single()
    {
        using var fake = await FakeOfThreeAsync();
        await using var uow = fake.BeginUnitOfWork();
        var members = uow.Repository<Member>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await SkipOnly.SingleAsync(members, 2)).Score, Is.EqualTo(30), "Skip with no Take: Single of the one row left");
            Assert.That(() => SkipOnly.SingleAsync(members, 1), Throws.InvalidOperationException.With.Message.Contains("more than one row"));
            Assert.That((await SkipOnly.FirstAsync(members, 1)).Score, Is.EqualTo(20));
            Assert.That((await SkipOnly.ToListAsync(members, 1)).Select(m => m.Score), Is.EqualTo(new[] { 20, 30 }));
            Assert.That(await NoneAtLeast.FirstOrDefaultAsync(members, 10), Is.Null, "Take(0): First reads none");
            Assert.That(() => NoneAtLeast.SingleAsync(members, 10), Throws.InvalidOperationException.With.Message.Contains("no row"));
            Assert.That((await OneAtLeast.SingleAsync(members, 10)).Score, Is.EqualTo(10), "Take(1): Single reads one row");
        }
    }

    // The recording fake holding members m1..m3, scoring 10, 20, 30.
    private static async Task<FakePremix> FakeOfThreeAsync()
    {
        var fake = FakePremix.Create(p => p.AddModelConfiguration(new MemberMap()).AddModelConfiguration(new BadgeMap()));
        await using (var seed = fake.BeginUnitOfWork())
        {
            for (var i = 1; i <= 3; i++)
            {
                seed.Repository<Member>().Add(new Member { Name = $"m{i}", Email = $"m{i}@example.org", Score = i * 10 });
            }

            await seed.CommitAsync();
        }

        return fake;
    }

    // A statement's "skip/take" parameters, "-" for one it does not bind.
    private static string Paging(RecordedStatement statement) =>
        $"{Value(statement, "__skip")}/{Value(statement, "__take")}";

    private static string Value(RecordedStatement statement, string name) =>
        statement.Parameters.FirstOrDefault(p => p.Key == name) is { Key: not null } parameter ? $"{parameter.Value}" : "-";

    public sealed class Member
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string? Email { get; set; }

        public int Score { get; set; }

        public DateTime? DeletedAt { get; set; }

        public List<Badge> Badges { get; set; } = [];
    }

    public sealed record MemberRow(long Id, string Name);

    public sealed class Badge
    {
        public long Id { get; set; }

        public long MemberId { get; set; }

        public string Title { get; set; } = "";

        public Member? Member { get; set; }
    }

    private sealed class Threshold
    {
        public int Min { get; set; }
    }

    private sealed class MemberMap : ModelConfiguration<Member>
    {
        public override void Configure(EntityBuilder<Member> e)
        {
            e.ToTable("members");
            e.Property(m => m.Name).HasMaxLength(30);
            e.Property(m => m.Email).HasMaxLength(60).Sensitive();
            e.SoftDelete(m => m.DeletedAt);
            e.HasMany(m => m.Badges).WithForeignKey(b => b.MemberId);
        }
    }

    private sealed class BadgeMap : ModelConfiguration<Badge>
    {
        public override void Configure(EntityBuilder<Badge> e)
        {
            e.ToTable("badges");
            e.Property(b => b.Title).HasMaxLength(30);
            e.BelongsTo(b => b.Member).WithForeignKey(b => b.MemberId);
        }
    }
}
