using Premix.Mapping;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// A tenant column in shared tables (<c>UseTenants(t =&gt; t.TenantColumn())</c>, <c>HasTenantColumn</c>): two tenants'
/// rows in one table, arranged and checked with plain SQL; whatever one tenant's unit of work reads or writes, the other's
/// rows stay out of it and unchanged.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(Engines))]
public sealed class TenantColumnTests(Engine engine) : ProviderTest(engine)
{
    private const string Acme = "acme";
    private const string Globex = "globex";

    private IPremix? _premix;

    private IPremix Premix => _premix ?? throw new InvalidOperationException("Premix exists from OneTimeSetUp on.");

    [OneTimeSetUp]
    public async Task CreateTablesAsync()
    {
        await TenantSql.ExecuteAsync(Engine, ConnectionString, SharedTables.Create(Engine));
        _premix = Create(p => p.UseTenants(t => t.TenantColumn()));
    }

    [OneTimeTearDown]
    public async Task DisposePremixAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
        }
    }

    [SetUp]
    public Task SeedAsync() => TenantSql.ExecuteAsync(Engine, ConnectionString, SharedTables.Seed(Engine));

    [Test]
    public async Task Lists_counts_queries_and_get_by_key_see_only_the_current_tenants_rows()
    {
        using var _ = PremixTenant.Begin(Acme);
        await using var uow = Premix.BeginUnitOfWork();
        var orders = uow.Repository<SharedOrder>();

        Assert.Multiple(async () =>
        {
            Assert.That((await orders.ListAsync()).Select(o => o.Id), Is.EquivalentTo(new[] { 1L, 2L }));
            Assert.That(await orders.CountAsync(), Is.EqualTo(2));
            Assert.That((await orders.Query().Where(o => o.Code == "A1").ToListAsync()).Select(o => o.Id), Is.EqualTo(new[] { 1L }));
            Assert.That(await orders.Query().Where(o => o.Total > 0).CountAsync(), Is.EqualTo(2));
            Assert.That(await orders.Query().Where(o => o.Code == "G2").AnyAsync(), Is.False);
            Assert.That(await orders.FindAsync(3L), Is.Null, "globex's order by its key");
            Assert.That(await orders.FindAsync(1L), Is.Not.Null);
        });
    }

    [Test]
    public async Task Include_loads_only_the_current_tenants_children()
    {
        using var _ = PremixTenant.Begin(Acme);
        await using var uow = Premix.BeginUnitOfWork();
        var order = await uow.Repository<SharedOrder>().Query().Where(o => o.Id == 1).Include(o => o.Lines).SingleAsync();
        Assert.That(order.Lines.Select(l => l.Id), Is.EqualTo(new[] { 1L }), "line 5 is globex's, on acme's order");
    }

    [Test]
    public async Task A_compiled_query_is_filtered_by_the_tenant_of_each_call()
    {
        var byCode = PremixQuery.Compile((Query<SharedOrder> q, string code) => q.Where(o => o.Code == code));
        var totals = new List<int>();
        foreach (var tenant in new[] { Acme, Globex })
        {
            using var _ = PremixTenant.Begin(tenant);
            await using var uow = Premix.BeginUnitOfWork();
            totals.AddRange((await byCode.ToListAsync(uow.Repository<SharedOrder>(), "A1")).Select(o => o.Total));
        }

        Assert.That(totals, Is.EqualTo(new[] { 101, 203 }));
    }

    [Test]
    public async Task One_sql_text_serves_every_tenant_with_the_tenant_a_parameter()
    {
        var texts = new List<string>();
        foreach (var tenant in new[] { Acme, Globex })
        {
            using var _ = PremixTenant.Begin(tenant);
            await using var uow = Premix.BeginUnitOfWork();
            texts.Add(uow.Repository<SharedOrder>().Query().Where(o => o.Code == "A1").ToSql());
        }

        Assert.That(texts[0], Is.EqualTo(texts[1]));
        Assert.That(texts[0], Does.Not.Contain(Acme).And.Not.Contain(Globex));

        // The writes' statements are compiled once for every tenant: the tenant is their parameter too.
        var plan = Premix.GetPlan<SharedOrder>();
        Assert.That(new[] { plan.Update.Sql, plan.Delete.Sql }, Has.All.Contains("= @TenantId").And.All.Not.Contain(Acme));
    }

    [Test]
    public async Task Bulk_updates_and_deletes_touch_only_the_current_tenants_rows()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var updated = await uow.Repository<SharedOrder>().Query().Where(o => o.Code == "A1").UpdateAllAsync(s => s.Set(o => o.Total, 0));
            var deleted = await uow.Repository<SharedLine>().Query().Where(l => l.Quantity > 0).DeleteAllAsync();
            await uow.CommitAsync();
            Assert.That((updated, deleted), Is.EqualTo((1, 2)));
        }

        Assert.That(await RowsAsync("SELECT id, total FROM shared_orders ORDER BY id"), Is.EqualTo(new[] { "1:0", "2:102", "3:203", "4:204" }));
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT id FROM shared_lines ORDER BY id"), Is.EqualTo(new[] { "3", "4", "5" }));
    }

    [Test]
    public async Task An_insert_gets_the_current_tenant_and_updates_and_deletes_reach_its_rows()
    {
        using (PremixTenant.Begin(Globex))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var orders = uow.Repository<SharedOrder>();
            orders.Add(new SharedOrder { Code = "G10", Total = 210 });
            (await orders.GetAsync(3L)).Total = 300;
            orders.Remove(await orders.GetAsync(4L));
            await uow.CommitAsync();
        }

        Assert.That(await RowsAsync("SELECT code, total, tenant_id FROM shared_orders ORDER BY id"), Is.EqualTo(new[] { "A1:101:acme", "A2:102:acme", "A1:300:globex", "G10:210:globex" }));
    }

    [Test]
    public async Task An_insert_carrying_another_tenant_is_refused_and_nothing_is_written()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            uow.Repository<SharedOrder>().Add(new SharedOrder { Id = 10, Code = "OK", Total = 1 });
            uow.Repository<SharedOrder>().Add(new SharedOrder { Id = 11, TenantId = Globex, Code = "X", Total = 1 });
            Assert.That(() => uow.CommitAsync(), Throws.TypeOf<TenantMismatchException>().With.Message.Contains("carries another tenant").And.Message.Not.Contain(Globex));
        }

        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT COUNT(*) FROM shared_orders"), Is.EqualTo(new[] { "4" }));
    }

    [Test]
    public async Task An_update_or_delete_of_another_tenants_row_by_a_guessed_key_changes_nothing()
    {
        using (PremixTenant.Begin(Acme))
        {
            // The key of globex's order, claimed as acme's: the WHERE matches acme's rows only, so no row.
            await using (var uow = Premix.BeginUnitOfWork())
            {
                uow.Repository<SharedOrder>().Update(new SharedOrder { Id = 3, TenantId = Acme, Code = "A1", Total = -1 });
                Assert.That(() => uow.CommitAsync(), Throws.TypeOf<ConcurrencyException>());
            }

            await using (var uow = Premix.BeginUnitOfWork())
            {
                uow.Repository<SharedOrder>().HardDelete(new SharedOrder { Id = 4, TenantId = Acme, Code = "G2" });
                Assert.That(() => uow.CommitAsync(), Throws.TypeOf<ConcurrencyException>());
            }

            // The key of globex's order with globex's tenant: refused before any SQL.
            await using (var uow = Premix.BeginUnitOfWork())
            {
                uow.Repository<SharedOrder>().Update(new SharedOrder { Id = 3, TenantId = Globex, Code = "A1", Total = -1 });
                Assert.That(() => uow.CommitAsync(), Throws.TypeOf<TenantMismatchException>());
            }
        }

        Assert.That(await RowsAsync("SELECT id, total, tenant_id FROM shared_orders ORDER BY id"), Is.EqualTo(new[] { "1:101:acme", "2:102:acme", "3:203:globex", "4:204:globex" }));
    }

    [Test]
    public async Task A_loaded_row_moved_to_another_tenant_is_refused()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var order = await uow.Repository<SharedOrder>().GetAsync(1L);
            order.TenantId = Globex;
            order.Total = 0;
            Assert.That(() => uow.CommitAsync(), Throws.TypeOf<TenantMismatchException>());
        }

        Assert.That(await RowsAsync("SELECT id, total, tenant_id FROM shared_orders WHERE id = 1"), Is.EqualTo(new[] { "1:101:acme" }));
    }

    [Test]
    public async Task A_bulk_update_cannot_move_rows_to_another_tenant()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            Assert.That(() => uow.Repository<SharedOrder>().Query().Where(o => o.Total > 0).UpdateAllAsync(s => s.Set(o => o.TenantId, Globex)), Throws.TypeOf<NotSupportedException>().With.Message.Contains("tenant column"));
        }

        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT COUNT(*) FROM shared_orders WHERE tenant_id = 'acme'"), Is.EqualTo(new[] { "2" }));
    }

    [Test]
    public async Task An_upsert_on_a_target_with_the_tenant_column_stays_in_the_tenant_and_one_without_it_is_refused()
    {
        using (PremixTenant.Begin(Globex))
        {
            await using (var uow = Premix.BeginUnitOfWork())
            {
                // Code A1 exists in both tenants: the conflict is globex's row, not acme's.
                uow.Repository<SharedOrder>().Upsert(new SharedOrder { Id = 20, TenantId = Globex, Code = "A1", Total = 999 }, on: o => new { o.TenantId, o.Code });
                if (Engine == Engine.MySql)
                {
                    // ON DUPLICATE KEY meets any unique key, whatever the target: shared tables are not upserted there.
                    Assert.That(() => uow.CommitAsync(), Throws.TypeOf<NotSupportedException>().With.Message.Contains("any unique key"));
                }
                else
                {
                    await uow.CommitAsync();
                }
            }

            await using (var uow = Premix.BeginUnitOfWork())
            {
                // "theme" is acme's setting: an upsert on the name alone would overwrite it.
                uow.Repository<SharedSetting>().Upsert(new SharedSetting { Name = "theme", Value = "light" });
                Assert.That(() => uow.CommitAsync(), Engine == Engine.MySql ? Throws.TypeOf<NotSupportedException>() : Throws.TypeOf<InvalidOperationException>().With.Message.Contains("conflict target without its tenant column"));
            }
        }

        var globexTotal = Engine == Engine.MySql ? "203" : "999";
        Assert.That(await RowsAsync("SELECT id, total, tenant_id FROM shared_orders ORDER BY id"), Is.EqualTo(new[] { "1:101:acme", "2:102:acme", $"3:{globexTotal}:globex", "4:204:globex" }));
        Assert.That(await RowsAsync("SELECT name, value, tenant_id FROM shared_settings"), Is.EqualTo(new[] { "theme:dark:acme" }));
    }

    [Test]
    public async Task An_upsert_or_insert_or_ignore_meeting_another_tenants_row_by_an_assigned_key_leaves_that_row_untouched()
    {
        // g-1 is globex's tag: the target (TenantId, Code) does not conflict, the primary key does.
        using (PremixTenant.Begin(Acme))
        {
            await using (var uow = Premix.BeginUnitOfWork())
            {
                uow.Repository<SharedTag>().Upsert(new SharedTag { Id = "g-1", Code = "NEW", Total = 1 }, on: t => new { t.TenantId, t.Code });
                Assert.That(() => uow.CommitAsync(), Engine == Engine.MySql ? Throws.TypeOf<NotSupportedException>().With.Message.Contains("any unique key") : Throws.Exception);
            }

            await using (var uow = Premix.BeginUnitOfWork())
            {
                uow.Repository<SharedTag>().InsertOrIgnore(new SharedTag { Id = "g-1", Code = "NEW", Total = 1 }, on: t => new { t.TenantId, t.Code });
                Assert.That(() => uow.CommitAsync(), Engine == Engine.MySql ? Throws.TypeOf<NotSupportedException>().With.Message.Contains("any unique key") : Throws.Exception);
            }
        }

        Assert.That(await RowsAsync("SELECT id, tenant_id, code, total FROM shared_tags"), Is.EqualTo(new[] { "g-1:globex:G:7" }));
    }

    [Test]
    public async Task An_insert_or_ignore_on_a_target_with_the_tenant_column_ignores_only_a_conflict_in_the_tenant()
    {
        // G exists for globex only: acme's first tag is inserted, its second (the same code in acme) left out.
        // MariaDB refuses both (ON DUPLICATE KEY meets any unique key), and nothing is written.
        foreach (var (id, total) in new[] { ("a-1", 1), ("a-2", 2) })
        {
            using var _ = PremixTenant.Begin(Acme);
            await using var uow = Premix.BeginUnitOfWork();
            uow.Repository<SharedTag>().InsertOrIgnore(new SharedTag { Id = id, Code = "G", Total = total }, on: t => new { t.TenantId, t.Code });
            if (Engine == Engine.MySql)
            {
                Assert.That(() => uow.CommitAsync(), Throws.TypeOf<NotSupportedException>());
            }
            else
            {
                await uow.CommitAsync();
            }
        }

        var expected = Engine == Engine.MySql ? new[] { "g-1:globex:G:7" } : new[] { "a-1:acme:G:1", "g-1:globex:G:7" };
        Assert.That(await RowsAsync("SELECT id, tenant_id, code, total FROM shared_tags ORDER BY id"), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_key_containing_the_tenant_column_updates_and_softly_deletes_the_tenants_row_only()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using (var uow = Premix.BeginUnitOfWork())
            {
                (await uow.Repository<SharedNote>().Query().Where(n => n.Id == 1).SingleAsync()).Text = "a2";
                await uow.CommitAsync();
            }

            await using (var uow = Premix.BeginUnitOfWork())
            {
                var notes = uow.Repository<SharedNote>();
                notes.Remove(await notes.Query().Where(n => n.Id == 1).SingleAsync());
                await uow.CommitAsync();
            }
        }

        Assert.That(await RowsAsync("SELECT tenant_id, id, text FROM shared_notes ORDER BY tenant_id"), Is.EqualTo(new[] { "acme:1:a2", "globex:1:g" }));
        Assert.That(await RowsAsync("SELECT tenant_id FROM shared_notes WHERE deleted = FALSE"), Is.EqualTo(new[] { "globex" }));
    }

    [Test]
    public async Task The_refresh_after_a_bulk_statement_does_not_read_another_tenants_row_into_a_tracked_entity()
    {
        using var _ = PremixTenant.Begin(Acme);
        await using var uow = Premix.BeginUnitOfWork();
        var foreignOrder = await uow.Repository<SharedOrder>().Query().AcrossTenants().Where(o => o.Id == 3).SingleAsync();
        var foreignNote = await uow.Repository<SharedNote>().Query().AcrossTenants().Where(n => n.TenantId == Globex).SingleAsync();
        await TenantSql.ExecuteAsync(Engine, ConnectionString, "UPDATE shared_orders SET total = 555 WHERE id = 3; UPDATE shared_notes SET text = 'changed' WHERE tenant_id = 'globex';");

        // Bulk statements that match no row: each refreshes the tracked entities of its type.
        await uow.Repository<SharedOrder>().Query().Where(o => o.Id == -1).UpdateAllAsync(s => s.Set(o => o.Total, 0));
        await uow.Repository<SharedNote>().Query().Where(n => n.Id == -1).UpdateAllAsync(s => s.Set(n => n.Text, "x"));

        Assert.That((foreignOrder.Total, foreignNote.Text), Is.EqualTo((203, "g")), "globex's rows as they are now must not reach acme's unit of work");
    }

    [Test]
    public async Task An_update_or_delete_of_an_entity_without_a_tenant_gets_the_current_tenant()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using (var uow = Premix.BeginUnitOfWork())
            {
                uow.Repository<SharedOrder>().Update(new SharedOrder { Id = 2, Code = "A2", Total = 7 });
                uow.Repository<SharedOrder>().Remove(new SharedOrder { Id = 1 });
                await uow.CommitAsync();
            }

            // globex's row by its key, without a tenant: stamped acme's, so it matches no row.
            await using (var uow = Premix.BeginUnitOfWork())
            {
                uow.Repository<SharedOrder>().Remove(new SharedOrder { Id = 3 });
                Assert.That(() => uow.CommitAsync(), Throws.TypeOf<ConcurrencyException>());
            }
        }

        Assert.That(await RowsAsync("SELECT id, total, tenant_id FROM shared_orders ORDER BY id"), Is.EqualTo(new[] { "2:7:acme", "3:203:globex", "4:204:globex" }));
    }

    [Test]
    public async Task Streams_projections_first_single_and_hard_deletes_see_only_the_tenants_rows()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var orders = uow.Repository<SharedOrder>();
            var streamed = new List<long>();
            await foreach (var order in orders.Query().Where(o => o.Code == "A1").AsAsyncEnumerable())
            {
                streamed.Add(order.Id);
            }

            Assert.Multiple(async () =>
            {
                Assert.That(streamed, Is.EqualTo(new[] { 1L }));
                Assert.That(await orders.Query().Where(o => o.Code == "A1").Select(o => o.Total).ToListAsync(), Is.EqualTo(new[] { 101 }));
                Assert.That((await orders.Query().Where(o => o.Code == "A1").FirstAsync()).Id, Is.EqualTo(1L));
                Assert.That(() => orders.Query().Where(o => o.Code == "G2").SingleAsync(), Throws.InvalidOperationException);
                Assert.That(await uow.Repository<SharedNote>().Query().Where(n => n.Id == 1).HardDeleteAllAsync(), Is.EqualTo(1));
            });
            await uow.CommitAsync();
        }

        Assert.That(await RowsAsync("SELECT tenant_id FROM shared_notes"), Is.EqualTo(new[] { "globex" }));
    }

    [Test]
    public async Task The_tenant_filter_is_lifted_only_by_AcrossTenants()
    {
        using var _ = PremixTenant.Begin(Acme);
        await using var uow = Premix.BeginUnitOfWork();
        var orders = uow.Repository<SharedOrder>();
        Assert.Multiple(async () =>
        {
            Assert.That(() => orders.Query().IgnoreQueryFilter("tenant"), Throws.InvalidOperationException.With.Message.Contains("AcrossTenants()"));
            Assert.That(await orders.Query().IgnoreQueryFilters().CountAsync(), Is.EqualTo(2));
            Assert.That(await orders.Query().AcrossTenants().CountAsync(), Is.EqualTo(4));
        });
    }

    [Test]
    public void Work_without_a_tenant_fails_before_any_sql()
    {
        Assert.That(() => Premix.BeginUnitOfWork(), Throws.TypeOf<TenantRequiredException>());
    }

    [Test]
    public async Task A_shared_table_without_tenant_column_tenancy_fails_closed_before_any_sql()
    {
        // The mapping declares tenant columns, the configuration no tenants: no statement may run unfiltered.
        await using var untenanted = Create(_ => { });
        await using var uow = untenanted.BeginUnitOfWork();
        Assert.Multiple(() =>
        {
            Assert.That(() => uow.Repository<SharedOrder>().ListAsync(), Throws.TypeOf<TenantRequiredException>());
            Assert.That(() => uow.Repository<SharedOrder>().FindAsync(1L), Throws.TypeOf<TenantRequiredException>());
            uow.Repository<SharedOrder>().Add(new SharedOrder { Id = 10, Code = "N", Total = 1 });
            Assert.That(() => uow.CommitAsync(), Throws.TypeOf<TenantRequiredException>());
        });
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT COUNT(*) FROM shared_orders"), Is.EqualTo(new[] { "4" }));
    }

    [Test]
    public void A_query_filter_named_tenant_is_a_mapping_problem()
    {
        Assert.That(
            () => PremixFactory.Create(p => p.Use(Engine, ConnectionString).AddModelConfiguration<ReservedNameMap>().UseTenants(t => t.TenantColumn())),
            Throws.TypeOf<MappingException>().With.Message.Contains("\"tenant\" is the name of the tenant column's filter"));
    }

    [Test]
    public void An_unmapped_tenant_property_is_a_mapping_problem()
    {
        Assert.That(
            () => PremixFactory.Create(p => p.Use(Engine, ConnectionString).AddModelConfiguration<IgnoredTenantMap>().UseTenants(t => t.TenantColumn())),
            Throws.TypeOf<MappingException>().With.Message.Contains("TenantId"));
    }

    private IPremix Create(Action<PremixOptionsBuilder> tenancy) => PremixFactory.Create(p =>
    {
        p.Use(Engine, ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
            .AddModelConfiguration<SharedOrderMap>().AddModelConfiguration<SharedLineMap>().AddModelConfiguration<SharedSettingMap>()
            .AddModelConfiguration<SharedTagMap>().AddModelConfiguration<SharedNoteMap>();
        tenancy(p);
    });

    // Each row as its columns joined by ':'.
    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = TenantSql.Connection(Engine, ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(":", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}

/// <summary>Declares its own filter under the tenant column's reserved name.</summary>
public sealed class ReservedNameMap : ModelConfiguration<SharedSetting>
{
    public override void Configure(EntityBuilder<SharedSetting> e)
    {
        e.ToTable("shared_settings");
        e.HasKey(s => s.Name);
        e.HasQueryFilter("tenant", s => s.TenantId == "acme");
    }
}

/// <summary>Names an ignored property as its tenant column.</summary>
public sealed class IgnoredTenantMap : ModelConfiguration<SharedSetting>
{
    public override void Configure(EntityBuilder<SharedSetting> e)
    {
        e.ToTable("shared_settings");
        e.HasKey(s => s.Name);
        e.Ignore(s => s.TenantId);
        e.HasTenantColumn(s => s.TenantId);
    }
}
