using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// What a table made elsewhere has beyond the mapping: columns declared unmapped (<c>HasUnmappedColumn</c>) and foreign
/// keys no relation uses are kept by diff and sync (through a SQLite table rebuild too), and ON DELETE SET NULL on a NOT
/// NULL column is the mapping's NO ACTION. Tables are made and checked with plain SQL on each engine.
/// </summary>
public sealed class UnmappedSchemaTests(Engine engine) : PremixTest(engine)
{
    [SetUp]
    public async Task DropTablesAsync()
    {
        foreach (var table in new[] { "um_children", "um_parents" })
        {
            await ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
        }
    }

    [Test]
    public async Task A_column_declared_unmapped_keeps_its_rows_through_a_sync_that_alters_its_table()
    {
        await CreateParentsAsync();
        await ExecuteAsync($"INSERT INTO {Q("um_parents")} ({Q("Id")}, {Q("Name")}, {Q("Legacy")}) VALUES (1, 'Ada', 'kept')");
        var undeclared = CreatePremix(p => p.AddModelConfiguration(new ParentMap(declareLegacy: false)));
        var declared = CreatePremix(p => p.AddModelConfiguration(new ParentMap(declareLegacy: true)));

        var withoutDeclaration = await undeclared.DiffAsync();
        var applied = await declared.SyncAsync(); // Name becomes NOT NULL: ALTER, or a table rebuild on SQLite
        var after = await declared.DiffAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withoutDeclaration.ToString(), Does.Contain("drop column um_parents.Legacy"), "a column nothing declares is a difference");
            Assert.That(applied.ToString(), Does.Contain("um_parents.Name").And.Not.Contain("Legacy"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Legacy")} FROM {Q("um_parents")} WHERE {Q("Id")} = 1"), Is.EqualTo("kept"));
            Assert.That(after.Operations, Is.Empty);
        }
    }

    [Test]
    public async Task An_insert_leaves_a_column_declared_unmapped_to_its_default()
    {
        await CreateParentsAsync();
        var premix = CreatePremix(p => p.AddModelConfiguration(new ParentMap(declareLegacy: true)));

        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<UmParent>().Add(new UmParent { Name = "Grace" });
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT {Q("Legacy")} FROM {Q("um_parents")} WHERE {Q("Name")} = 'Grace'"), Is.EqualTo("none"));
    }

    [Test]
    public void Declaring_a_mapped_column_unmapped_fails_at_startup_naming_the_property_and_the_fix()
    {
        var error = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new ParentDeclaringNameUnmappedMap())));

        Assert.That(error!.Message, Does.Contain("Name").And.Contain("maps the column Name, which HasUnmappedColumn(\"Name\") declares unmapped").And.Contain("Ignore(Name)"));
    }

    [Test]
    public async Task A_foreign_key_no_relation_uses_is_listed_and_kept_through_a_sync_that_alters_its_table_and_dropped_only_when_asked()
    {
        await CreateParentsAsync();
        await CreateChildrenAsync("NO ACTION", nullable: false);
        await ExecuteAsync($"INSERT INTO {Q("um_parents")} ({Q("Id")}, {Q("Name")}) VALUES (1, 'Ada')");
        await ExecuteAsync($"INSERT INTO {Q("um_children")} ({Q("Id")}, {Q("ParentId")}, {Q("Note")}) VALUES (1, 1, 'first')");
        var premix = CreatePremix(p => p.AddModelConfiguration(new ParentMap(declareLegacy: true)).AddModelConfiguration(new ChildWithoutRelationMap()));

        var diff = await premix.DiffAsync();
        var applied = await premix.SyncAsync(); // Note and Name become NOT NULL: ALTERs, or table rebuilds on SQLite
        var keysAfterSync = await ForeignKeyCountAsync();
        var dropped = await premix.SyncAsync(new SyncOptions { DropUnmappedForeignKeys = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.UnmappedForeignKeys.Select(k => k.Description), Is.EqualTo(new[] { $"foreign key {diff.UnmappedForeignKeys[0].ForeignKey.Name} on um_children (ParentId) -> um_parents is not in the mapping; left alone" }));
            Assert.That(applied.ToString(), Does.Contain("um_children.Note").And.Not.Contain("drop foreign key"));
            Assert.That(keysAfterSync, Is.EqualTo(1), "the foreign key is still in the database after the sync");
            Assert.That(dropped.ToString(), Does.Contain("drop foreign key").Or.Contain("rebuild table um_children"));
            Assert.That(await ForeignKeyCountAsync(), Is.Zero, "dropped when asked");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Note")} FROM {Q("um_children")} WHERE {Q("Id")} = 1"), Is.EqualTo("first"));
        }
    }

    [Test]
    public async Task On_delete_set_null_on_a_not_null_column_is_the_mappings_no_action_on_engines_that_allow_it_and_MariaDB_refuses_it()
    {
        await CreateParentsAsync(nameNotNull: true);
        if (Engine == Engine.MySql)
        {
            Assert.That(async () => await CreateChildrenAsync("SET NULL", nullable: false), Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("Foreign key constraint is incorrectly formed"));
            return;
        }

        await CreateChildrenAsync("SET NULL", nullable: false);
        var noAction = CreatePremix(p => p.AddModelConfiguration(new ParentMap(declareLegacy: true)).AddModelConfiguration(new ChildMap(ReferentialAction.NoAction)));
        var cascade = CreatePremix(p => p.AddModelConfiguration(new ParentMap(declareLegacy: true)).AddModelConfiguration(new ChildMap(ReferentialAction.Cascade)));

        var same = await noAction.DiffAsync();
        var different = await cascade.DiffAsync();

        Assert.That(same.Operations.Select(o => o.Description), Is.Empty, "a delete fails either way");
        Assert.That(different.ToString(), Does.Contain("foreign key").Or.Contain("rebuild table um_children"));
    }

    private async Task CreateParentsAsync(bool nameNotNull = false)
    {
        var (key, text) = Types;
        await ExecuteAsync(
            $"CREATE TABLE {Q("um_parents")} ({Q("Id")} {key}, {Q("Name")} {text(20)}{(nameNotNull ? " NOT NULL" : " NULL")}, {Q("Legacy")} {text(30)} NULL DEFAULT 'none')");
    }

    private async Task CreateChildrenAsync(string onDelete, bool nullable)
    {
        var (key, text) = Types;
        var integer = Engine == Engine.Sqlite ? "INTEGER" : "bigint";
        await ExecuteAsync(
            $"CREATE TABLE {Q("um_children")} ({Q("Id")} {key}, {Q("ParentId")} {integer} {(nullable ? "NULL" : "NOT NULL")}, {Q("Note")} {text(100)} NULL, "
            + $"CONSTRAINT {Q("fk_um_children_parent")} FOREIGN KEY ({Q("ParentId")}) REFERENCES {Q("um_parents")} ({Q("Id")}) ON DELETE {onDelete})");
        await ExecuteAsync($"CREATE INDEX {Q("ix_um_children_ParentId")} ON {Q("um_children")} ({Q("ParentId")})");
    }

    private (string Key, Func<int, string> Text) Types => Engine switch
    {
        Engine.PostgreSql => ("bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", n => $"varchar({n})"),
        Engine.MySql => ("bigint AUTO_INCREMENT PRIMARY KEY", n => $"varchar({n})"),
        _ => ("INTEGER PRIMARY KEY", _ => "TEXT"),
    };

    private async Task<long> ForeignKeyCountAsync()
    {
        var sql = Engine switch
        {
            Engine.PostgreSql => "SELECT COUNT(*) FROM information_schema.table_constraints WHERE table_schema = current_schema() AND table_name = 'um_children' AND constraint_type = 'FOREIGN KEY'",
            Engine.MySql => "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'um_children' AND CONSTRAINT_TYPE = 'FOREIGN KEY'",
            _ => "SELECT COUNT(*) FROM pragma_foreign_key_list('um_children')",
        };
        return await ScalarAsync<long>(sql);
    }

    public sealed class UmParent
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";
    }

    public sealed class UmChild
    {
        public long Id { get; set; }

        public long ParentId { get; set; }

        public string? Note { get; set; }
    }

    private sealed class ParentMap(bool declareLegacy) : ModelConfiguration<UmParent>
    {
        public override void Configure(EntityBuilder<UmParent> e)
        {
            e.ToTable("um_parents");
            e.Property(p => p.Name).HasMaxLength(20).IsRequired();
            if (declareLegacy)
            {
                e.HasUnmappedColumn("Legacy");
            }
        }
    }

    private sealed class ParentDeclaringNameUnmappedMap : ModelConfiguration<UmParent>
    {
        public override void Configure(EntityBuilder<UmParent> e)
        {
            e.ToTable("um_parents");
            e.HasUnmappedColumn("Name");
        }
    }

    private sealed class ChildWithoutRelationMap : ModelConfiguration<UmChild>
    {
        public override void Configure(EntityBuilder<UmChild> e)
        {
            e.ToTable("um_children");
            e.Property(c => c.Note).HasMaxLength(100).IsRequired();
            e.HasIndex(c => c.ParentId).HasName("ix_um_children_ParentId");
        }
    }

    private sealed class ChildMap(ReferentialAction onDelete) : ModelConfiguration<UmChild>
    {
        public override void Configure(EntityBuilder<UmChild> e)
        {
            e.ToTable("um_children");
            e.Property(c => c.Note).HasMaxLength(100);
            e.HasIndex(c => c.ParentId).HasName("ix_um_children_ParentId");
            e.BelongsTo<UmParent>().WithForeignKey(c => c.ParentId).OnDelete(onDelete);
        }
    }
}
