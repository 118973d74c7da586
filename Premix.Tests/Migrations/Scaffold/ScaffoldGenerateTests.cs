using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// What <see cref="Scaffolder.Generate"/> writes for small hand-built schemas, with each engine's own spelling of
/// column types (as its introspection reports them).
/// </summary>
public sealed class ScaffoldGenerateTests(Engine engine) : ProviderTest(engine)
{
    private SchemaDialect Dialect => Provider.SchemaSupport()!.Schema;

    private string Int => Engine switch { Engine.Sqlite => "INTEGER", Engine.PostgreSql => "integer", _ => "int(11)" };

    private string IntType => Engine == Engine.Sqlite ? "long" : "int";

    private string Text(int length) => Engine switch { Engine.Sqlite => $"NVARCHAR({length})", Engine.PostgreSql => $"character varying({length})", _ => $"varchar({length})" };

    [Test]
    public void Column_types_become_the_clr_types_of_the_engine_and_are_declared_where_Premix_would_create_another_type()
    {
        var types = Engine switch
        {
            Engine.Sqlite => new (string Store, string Clr, string Mapping)[]
            {
                ("INTEGER", "long", ""), ("NVARCHAR(160)", "string", ".HasMaxLength(160)"), ("TEXT", "string", ""),
                ("NUMERIC(10,2)", "decimal", ".HasPrecision(10, 2).HasColumnType(\"NUMERIC(10,2)\")"), ("DATETIME", "DateTime", ".HasColumnType(\"DATETIME\")"), ("REAL", "double", ""),
                ("BLOB", "byte[]", ""), ("BOOLEAN", "bool", ".HasColumnType(\"BOOLEAN\")"), ("DATE", "DateOnly", ".HasColumnType(\"DATE\")"), ("UUID", "Guid", ".HasColumnType(\"UUID\")"),
                ("DOUBLE PRECISION", "double", ""), ("VARCHAR", "string", ""), ("BIGINT", "long", ""),
            },
            Engine.PostgreSql => new (string Store, string Clr, string Mapping)[]
            {
                ("integer", "int", ""), ("bigint", "long", ""), ("smallint", "short", ""), ("boolean", "bool", ""),
                ("character varying(40)", "string", ".HasMaxLength(40)"), ("varchar(12)", "string", ".HasMaxLength(12)"), ("text", "string", ""),
                ("numeric(10,2)", "decimal", ".HasPrecision(10, 2)"), ("real", "float", ""), ("double precision", "double", ""),
                ("timestamp without time zone", "DateTime", ""), ("timestamp(6) without time zone", "DateTime", ""),
                ("timestamp with time zone", "DateTimeOffset", ""), ("timestamptz", "DateTimeOffset", ""), ("date", "DateOnly", ""),
                ("time(6) without time zone", "TimeOnly", ""), ("interval", "TimeSpan", ""), ("uuid", "Guid", ""), ("bytea", "byte[]", ""),
            },
            _ => new (string Store, string Clr, string Mapping)[]
            {
                ("tinyint(1)", "bool", ""), ("tinyint(3) unsigned", "byte", ""), ("smallint(6)", "short", ""), ("int(11)", "int", ""),
                ("int", "int", ""), ("bigint(20)", "long", ""), ("int(10) unsigned", "long", ".HasColumnType(\"int(10) unsigned\")"), ("decimal(10,2)", "decimal", ".HasPrecision(10, 2)"),
                ("double", "double", ""), ("varchar(160)", "string", ".HasMaxLength(160)"), ("longtext", "string", ""), ("char(36)", "Guid", ""),
                ("datetime", "DateTime", ".HasColumnType(\"datetime\")"), ("datetime(6)", "DateTime", ""), ("date", "DateOnly", ""), ("time(6)", "TimeSpan", ""),
                ("varbinary(16)", "byte[]", ".HasMaxLength(16)"), ("longblob", "byte[]", ""),
                ("enum('G','PG-13')", "string", ".HasColumnType(\"enum('G','PG-13')\")"), ("set('a','b c')", "string", ".HasColumnType(\"set('a','b c')\")"),
                ("year(4)", "int", ".HasColumnType(\"year(4)\")"),
            },
        };
        var columns = types.Select((t, i) => Column($"c{i}", t.Store)).Prepend(Column("id", Int)).ToList();

        var (entity, map) = GenerateOne(Table("sample", columns, ["id"]));

        Assert.Multiple(() =>
        {
            for (var i = 0; i < types.Length; i++)
            {
                Assert.That(entity, Does.Contain($"public {types[i].Clr} C{i} {{ get; set; }}"), types[i].Store);
                Assert.That(map, Does.Contain($"e.Property(x => x.C{i}).HasColumnName(\"c{i}\"){(types[i].Clr is "string" or "byte[]" ? ".IsRequired()" : "")}{types[i].Mapping};"), types[i].Store);
            }
        });
    }

    [Test]
    public void Nullable_columns_become_nullable_properties_and_not_null_text_is_required()
    {
        var (entity, map) = GenerateOne(Table("person", [Column("id", Int), Column("name", Text(50)), Column("nick", Text(20), nullable: true), Column("age", Int, nullable: true)], ["id"]));

        Assert.That(entity, Does.Contain("public string Name { get; set; } = string.Empty;"));
        Assert.That(entity, Does.Contain("public string? Nick { get; set; }\n"));
        Assert.That(entity, Does.Contain($"public {IntType}? Age {{ get; set; }}"));
        Assert.That(map, Does.Contain("e.Property(x => x.Name).HasColumnName(\"name\").IsRequired().HasMaxLength(50);"));
        Assert.That(map, Does.Contain("e.Property(x => x.Nick).HasColumnName(\"nick\").HasMaxLength(20);"));
    }

    [Test]
    public void Composite_key_is_declared_as_an_anonymous_object()
    {
        var (_, map) = GenerateOne(Table("order_line", [Column("order_id", Int), Column("line_no", Int), Column("qty", Int)], ["order_id", "line_no"]));

        Assert.That(map, Does.Contain("e.HasKey(x => new { x.OrderId, x.LineNo });"));
    }

    [Test]
    public void Generated_integer_key_follows_the_convention_and_a_plain_one_is_client_assigned()
    {
        var files = Generate(
            Table("generated", [Column("id", Int, identity: true)], ["id"]),
            Table("assigned", [Column("id", Int)], ["id"]),
            Table("coded", [Column("code", Text(10))], ["code"]));

        Assert.That(files["GeneratedMap.cs"], Does.Contain("e.HasKey(x => x.Id);"));
        Assert.That(files["AssignedMap.cs"], Does.Contain("e.HasKey(x => x.Id).IsClientAssigned();"));
        Assert.That(files["CodedMap.cs"], Does.Contain("e.HasKey(x => x.Code);"));
    }

    [Test]
    public void Two_foreign_keys_to_one_table_get_distinct_navigations_on_both_sides()
    {
        var files = Generate(
            Table("airport", [Column("id", Int)], ["id"]),
            Table("flight", [Column("id", Int), Column("from_airport_id", Int), Column("to_airport_id", Int)], ["id"],
                foreignKeys: [ForeignKey("fk_from", "from_airport_id", "airport"), ForeignKey("fk_to", "to_airport_id", "airport")]));

        Assert.That(files["Flight.cs"], Does.Contain("public Airport? FromAirport { get; set; }"));
        Assert.That(files["Flight.cs"], Does.Contain("public Airport? ToAirport { get; set; }"));
        Assert.That(files["FlightMap.cs"], Does.Contain("e.BelongsTo(x => x.FromAirport).WithForeignKey(x => x.FromAirportId);"));
        Assert.That(files["FlightMap.cs"], Does.Contain("e.BelongsTo(x => x.ToAirport).WithForeignKey(x => x.ToAirportId);"));
        Assert.That(files["Airport.cs"], Does.Contain("public List<Flight> FromAirportFlights { get; set; } = [];"));
        Assert.That(files["Airport.cs"], Does.Contain("public List<Flight> ToAirportFlights { get; set; } = [];"));
        Assert.That(files["AirportMap.cs"], Does.Contain("e.HasMany(x => x.FromAirportFlights).WithForeignKey(x => x.FromAirportId);"));
        Assert.That(files["AirportMap.cs"], Does.Contain("e.HasMany(x => x.ToAirportFlights).WithForeignKey(x => x.ToAirportId);"));
    }

    [Test]
    public void Self_reference_gets_a_reference_and_a_collection_named_apart_from_the_class()
    {
        var (entity, map) = GenerateOne(Table("employee", [Column("id", Int), Column("reports_to", Int, nullable: true)], ["id"],
            foreignKeys: [ForeignKey("fk_boss", "reports_to", "employee", ReferentialAction.SetNull)]));

        Assert.That(entity, Does.Contain("public Employee? ReportsToEmployee { get; set; }"));
        Assert.That(entity, Does.Contain("public List<Employee> Employees { get; set; } = [];"));
        Assert.That(map, Does.Contain("e.BelongsTo(x => x.ReportsToEmployee).WithForeignKey(x => x.ReportsTo).OnDelete(ReferentialAction.SetNull);"));
        Assert.That(map, Does.Contain("e.HasMany(x => x.Employees).WithForeignKey(x => x.ReportsTo).OnDelete(ReferentialAction.SetNull);"));
    }

    [Test]
    public void Keyword_and_odd_names_become_pascal_case_members_that_keep_their_column_names()
    {
        var (entity, map) = GenerateOne(Table("order", [Column("id", Int), Column("class", Int), Column("order", Int), Column("ORDER_DATE", Int), Column("2nd value", Int)], ["id"]));

        Assert.That(entity, Does.Contain("public sealed class Order\n"));
        Assert.That(entity, Does.Contain($"public {IntType} Class {{ get; set; }}"));
        Assert.That(entity, Does.Contain($"public {IntType} OrderValue {{ get; set; }}"), "a member cannot share its class's name");
        Assert.That(entity, Does.Contain($"public {IntType} OrderDate {{ get; set; }}"));
        Assert.That(entity, Does.Contain($"public {IntType} _2ndValue {{ get; set; }}"));
        Assert.That(map, Does.Contain("e.ToTable(\"order\");"));
        Assert.That(map, Does.Contain("e.Property(x => x.Class).HasColumnName(\"class\");"));
        Assert.That(map, Does.Contain("e.Property(x => x.OrderValue).HasColumnName(\"order\");"));
        Assert.That(map, Does.Contain("e.Property(x => x._2ndValue).HasColumnName(\"2nd value\");"));
    }

    [Test]
    public void Tables_whose_names_give_the_same_class_get_numbered_classes()
    {
        var files = Generate(Table("invoice_line", [Column("id", Int)], ["id"]), Table("InvoiceLine", [Column("id", Int)], ["id"]));

        Assert.That(files.Keys, Is.EquivalentTo(new[] { "InvoiceLine.cs", "InvoiceLineMap.cs", "InvoiceLine2.cs", "InvoiceLine2Map.cs" }));
    }

    [Test]
    public void Indexes_keep_their_names_and_uniqueness()
    {
        var (_, map) = GenerateOne(Table("person", [Column("id", Int), Column("email", Text(60)), Column("last", Text(20)), Column("first", Text(20))], ["id"],
            indexes: [new IndexSchema("ux_email", ["email"], true), new IndexSchema("ix_name", ["last", "first"], false)]));

        Assert.That(map, Does.Contain("e.HasIndex(x => x.Email).IsUnique().HasName(\"ux_email\");"));
        Assert.That(map, Does.Contain("e.HasIndex(x => new { x.Last, x.First }).HasName(\"ix_name\");"));
    }

    [Test]
    public void Defaults_are_written_as_sql()
    {
        var (_, map) = GenerateOne(Table("item", [Column("id", Int), Column("status", Text(10), defaultSql: "'new'"), Column("qty", Int, defaultSql: "0")], ["id"]));

        Assert.That(map, Does.Contain("e.Property(x => x.Status).HasColumnName(\"status\").IsRequired().HasMaxLength(10).HasDefaultValueSql(\"'new'\");"));
        Assert.That(map, Does.Contain("e.Property(x => x.Qty).HasColumnName(\"qty\").HasDefaultValueSql(\"0\");"));
    }

    [Test]
    public void A_column_without_a_clr_type_is_left_out_with_a_comment_and_declared_unmapped()
    {
        var unsupported = Engine switch { Engine.Sqlite => "", Engine.PostgreSql => "jsonb", _ => "point" };

        var (entity, map) = GenerateOne(Table("doc", [Column("id", Int), Column("body", unsupported, nullable: true)], ["id"]));

        Assert.That(entity, Does.Contain(Engine == Engine.Sqlite
            ? "// The column body is left out: it declares no type, so it may hold any value."
            : $"// The column body ({unsupported}) is left out: Premix has no CLR type for {unsupported}."));
        Assert.That(entity, Does.Not.Contain(" Body "));
        Assert.That(map, Does.Contain("e.HasUnmappedColumn(\"body\");").And.Not.Contain("Body"));
    }

    [Test]
    public void A_table_without_a_key_gets_a_class_with_the_select_that_reads_it_and_no_map()
    {
        var files = Generate(Table("log", [Column("line", Text(100)), Column("logged_at", Int, nullable: true)], []));

        Assert.That(files.Keys, Is.EquivalentTo(new[] { "Log.cs" }));
        Assert.That(files["Log.cs"], Does.Contain("// The table log has no primary key, which Premix needs: the class is generated, but no map; read it with Raw(Log.SelectSql).ReadOnly().FetchAs<Log>()."));
        Assert.That(files["Log.cs"], Does.Contain($"public const string SelectSql = \"SELECT {Lit(Q("line"))} AS {Lit(Q("Line"))}, {Lit(Q("logged_at"))} AS {Lit(Q("LoggedAt"))} FROM {Lit(Q("log"))}\";"));
        Assert.That(files["Log.cs"], Does.Contain("public string Line { get; set; } = string.Empty;"));
    }

    [Test]
    public void A_view_gets_a_read_only_class_with_the_select_that_reads_it_and_no_map()
    {
        var schema = new DatabaseSchema([Table("customer", [Column("id", Int)], ["id"])])
        {
            Views = [Table("customer_list", [Column("ID", Int), Column("zip code", Text(10))], [])],
        };

        var files = Scaffolder.Generate(schema, Dialect, new ScaffoldOptions()).ToDictionary(f => f.FileName, f => f.Content);

        Assert.That(files.Keys, Is.EquivalentTo(new[] { "Customer.cs", "CustomerMap.cs", "CustomerList.cs" }));
        Assert.That(files["CustomerList.cs"], Does.Contain("/// <summary>A row of the view <c>customer_list</c> (read-only).</summary>"));
        Assert.That(files["CustomerList.cs"], Does.Contain("// The view customer_list is read-only: the class has no map; read it with Raw(CustomerList.SelectSql).ReadOnly().FetchAs<CustomerList>()."));
        Assert.That(files["CustomerList.cs"], Does.Contain($"public {IntType}? Id {{ get; set; }}"), "a view promises nothing about NULL");
        Assert.That(files["CustomerList.cs"], Does.Contain($"SELECT {Lit(Q("ID"))} AS {Lit(Q("Id"))}, {Lit(Q("zip code"))} AS {Lit(Q("ZipCode"))} FROM {Lit(Q("customer_list"))}"));
    }

    [Test]
    public void Classes_are_named_in_the_singular_unless_table_names_are_kept()
    {
        var tables = new[] { "projects", "order_items", "categories", "addresses", "status", "people", "boxes", "staff", "payment_p2007_01" }
            .Select(name => Table(name, [Column("id", Int)], ["id"])).ToArray();

        var singular = Scaffolder.Generate(new DatabaseSchema(tables), Dialect, new ScaffoldOptions()).Select(f => f.FileName).Where(f => !f.EndsWith("Map.cs", StringComparison.Ordinal));
        var kept = Scaffolder.Generate(new DatabaseSchema(tables), Dialect, new ScaffoldOptions { KeepTableNames = true }).Select(f => f.FileName).Where(f => !f.EndsWith("Map.cs", StringComparison.Ordinal));

        Assert.That(singular, Is.EquivalentTo(new[] { "Project.cs", "OrderItem.cs", "Category.cs", "Address.cs", "Status.cs", "Person.cs", "Box.cs", "Staff.cs", "PaymentP200701.cs" }));
        Assert.That(kept, Is.EquivalentTo(new[] { "Projects.cs", "OrderItems.cs", "Categories.cs", "Addresses.cs", "Status.cs", "People.cs", "Boxes.cs", "Staff.cs", "PaymentP200701.cs" }));
    }

    [Test]
    public void A_cycle_of_required_parents_is_broken_at_one_foreign_key_which_stays_a_plain_property_without_navigations()
    {
        var files = Generate(
            Table("store", [Column("id", Int), Column("manager_id", Int)], ["id"], foreignKeys: [ForeignKey("fk_store_manager", "manager_id", "staff")]),
            Table("staff", [Column("id", Int), Column("store_id", Int)], ["id"], foreignKeys: [ForeignKey("fk_staff_store", "store_id", "store")]));

        Assert.That(files["StoreMap.cs"], Does.Contain("// The foreign key fk_store_manager is not mapped as a relation: it closes a cycle of required parents (store -> staff -> store), for which no insert order exists. ManagerId stays a plain property, without navigations: set it once both rows exist."));
        Assert.That(files["StoreMap.cs"], Does.Not.Contain("BelongsTo"));
        Assert.That(files["Store.cs"], Does.Contain($"public {IntType} ManagerId {{ get; set; }}").And.Not.Contain("Manager?"));
        Assert.That(files["Staff.cs"], Does.Contain("public Store? Store { get; set; }").And.Not.Contain("List<Store>"));
        Assert.That(files["StaffMap.cs"], Does.Contain("e.BelongsTo(x => x.Store).WithForeignKey(x => x.StoreId);").And.Not.Contain("HasMany"));
    }

    [Test]
    public void A_cycle_is_broken_at_an_optional_foreign_key_when_it_has_one()
    {
        var files = Generate(
            Table("store", [Column("id", Int), Column("manager_id", Int)], ["id"], foreignKeys: [ForeignKey("fk_store_manager", "manager_id", "staff")]),
            Table("staff", [Column("id", Int), Column("store_id", Int, nullable: true)], ["id"], foreignKeys: [ForeignKey("fk_staff_store", "store_id", "store")]));

        Assert.That(files["StaffMap.cs"], Does.Contain("// The foreign key fk_staff_store is not mapped as a relation: it closes a cycle of required parents"));
        Assert.That(files["StoreMap.cs"], Does.Contain("e.BelongsTo(x => x.Manager).WithForeignKey(x => x.ManagerId);"));
    }

    [Test]
    public void Set_null_on_a_required_foreign_key_is_mapped_without_on_delete_saying_why()
    {
        var files = Generate(
            Table("rental", [Column("id", Int)], ["id"]),
            Table("payment", [Column("id", Int), Column("rental_id", Int)], ["id"], foreignKeys: [ForeignKey("fk_payment_rental", "rental_id", "rental", ReferentialAction.SetNull)]));

        Assert.That(files["PaymentMap.cs"], Does.Contain("// The foreign key fk_payment_rental deletes with SET NULL, but its column rental_id is NOT NULL (such a delete fails): it is mapped without OnDelete."));
        Assert.That(files["PaymentMap.cs"], Does.Contain("e.BelongsTo(x => x.Rental).WithForeignKey(x => x.RentalId);"));
    }

    [Test]
    public void An_index_the_engine_defines_beyond_its_columns_is_left_out_with_its_definition()
    {
        var (_, map) = GenerateOne(Table("film", [Column("id", Int), Column("title", Text(100))], ["id"],
            indexes: [new IndexSchema("ix_title", ["title"], false), new IndexSchema("ft_title", ["title"], false) { Definition = "CREATE FULLTEXT INDEX ft_title ON film (title)" }]));

        Assert.That(map, Does.Contain("e.HasIndex(x => x.Title).HasName(\"ix_title\");"));
        Assert.That(map, Does.Contain("// The index ft_title is left out: HasIndex declares plain indexes, and the database defines this one as CREATE FULLTEXT INDEX ft_title ON film (title). It stays in the database; a diff leaves it alone."));
    }

    [Test]
    public void A_domain_is_read_as_its_base_type_and_named_in_the_comment()
    {
        var (entity, _) = GenerateOne(Table("film", [Column("id", Int), Column("release_year", Int, nullable: true) with { Domain = "year" }], ["id"]));

        Assert.That(entity, Does.Contain($"/// <summary>The column <c>release_year</c>: <c>{Int}</c> (the domain <c>year</c>).</summary>\n    public {IntType}? ReleaseYear {{ get; set; }}"));
    }

    [Test]
    public void Only_the_named_tables_are_scaffolded_and_a_key_to_one_left_out_stays_a_plain_property()
    {
        var schema = new DatabaseSchema(
        [
            Table("airport", [Column("id", Int)], ["id"]),
            Table("flight", [Column("id", Int), Column("airport_id", Int)], ["id"], foreignKeys: [ForeignKey("fk_airport", "airport_id", "airport")]),
        ]);

        var files = Scaffolder.Generate(schema, Dialect, new ScaffoldOptions { Tables = ["FLIGHT"] }).ToDictionary(f => f.FileName, f => f.Content);

        Assert.That(files.Keys, Is.EquivalentTo(new[] { "Flight.cs", "FlightMap.cs" }));
        Assert.That(files["Flight.cs"], Does.Contain($"public {IntType} AirportId {{ get; set; }}"));
        Assert.That(files["Flight.cs"], Does.Not.Contain("Airport?"));
        Assert.That(files["FlightMap.cs"], Does.Contain("// The foreign key fk_airport is not mapped as a relation: the table airport is not scaffolded."));
    }

    [Test]
    public void A_composite_foreign_key_becomes_a_relation_with_its_properties_in_the_order_of_the_principal_key()
    {
        // The constraint lists the key's columns in another order than the primary key: each is paired by the constraint.
        var files = Generate(
            Table("order_line", [Column("order_id", Int), Column("line_no", Int)], ["order_id", "line_no"]),
            Table("shipment", [Column("id", Int), Column("line_no", Int), Column("order_id", Int)], ["id"],
                foreignKeys: [new ForeignKeySchema("fk_line", ["line_no", "order_id"], null, "order_line", ["line_no", "order_id"], ReferentialAction.Cascade)]));

        Assert.That(files["ShipmentMap.cs"], Does.Contain("e.BelongsTo(x => x.OrderLine).WithForeignKey(x => new { x.OrderId, x.LineNo }).OnDelete(ReferentialAction.Cascade);"));
        Assert.That(files["OrderLineMap.cs"], Does.Contain("e.HasMany(x => x.Shipments).WithForeignKey(x => new { x.OrderId, x.LineNo }).OnDelete(ReferentialAction.Cascade);"));
        Assert.That(files["Shipment.cs"], Does.Contain("that <see cref=\"OrderId\"/> and <see cref=\"LineNo\"/> refer to, when loaded."));
    }

    [Test]
    public void A_composite_foreign_key_to_part_of_a_key_stays_plain_properties_with_a_comment()
    {
        var files = Generate(
            Table("order_line", [Column("order_id", Int), Column("line_no", Int), Column("batch", Int)], ["order_id", "line_no", "batch"]),
            Table("shipment", [Column("id", Int), Column("order_id", Int), Column("line_no", Int)], ["id"],
                foreignKeys: [new ForeignKeySchema("fk_line", ["order_id", "line_no"], null, "order_line", ["order_id", "line_no"], ReferentialAction.NoAction)]));

        Assert.That(files["ShipmentMap.cs"], Does.Contain("// The foreign key fk_line is not mapped as a relation: it references order_id, line_no, not the key of OrderLine."));
        Assert.That(files["ShipmentMap.cs"], Does.Not.Contain("BelongsTo"));
        Assert.That(files["OrderLineMap.cs"], Does.Not.Contain("HasMany"));
    }

    [Test]
    public void The_history_table_of_versioned_migrations_is_not_scaffolded_and_a_schema_is_named()
    {
        var schema = new DatabaseSchema([Table("premix_migrations", [Column("version", Int)], ["version"]), new TableSchema("sales", "invoice", [Column("id", Int)], ["id"], [], [])]);

        var files = Scaffolder.Generate(schema, Dialect, new ScaffoldOptions()).ToDictionary(f => f.FileName, f => f.Content);

        Assert.That(files.Keys, Is.EquivalentTo(new[] { "Invoice.cs", "InvoiceMap.cs" }));
        Assert.That(files["InvoiceMap.cs"], Does.Contain("e.ToTable(\"invoice\", \"sales\");"));
        Assert.That(files["Invoice.cs"], Does.Contain("namespace Scaffolded;"));
    }

    [Test]
    public void The_namespace_must_be_a_csharp_namespace()
    {
        var schema = new DatabaseSchema([Table("a", [Column("id", Int)], ["id"])]);

        Assert.That(() => Scaffolder.Generate(schema, Dialect, new ScaffoldOptions { Namespace = "My Data" }), Throws.ArgumentException.With.Message.Contains("'My Data' is not a C# namespace"));
    }

    private string Q(string identifier) => Provider.Dialect.QuoteIdentifier(identifier);

    // How a quoted identifier appears inside the C# literal of the generated code.
    private static string Lit(string text) => text.Replace("\"", "\\\"", StringComparison.Ordinal);

    private Dictionary<string, string> Generate(params TableSchema[] tables) =>
        Scaffolder.Generate(new DatabaseSchema(tables), Dialect, new ScaffoldOptions { Namespace = "Shop.Data" }).ToDictionary(f => f.FileName, f => f.Content);

    private (string Entity, string Map) GenerateOne(TableSchema table)
    {
        var files = Scaffolder.Generate(new DatabaseSchema([table]), Dialect, new ScaffoldOptions { Namespace = "Shop.Data" });
        Assert.That(files, Has.Count.EqualTo(2));
        return (files[0].Content, files[1].Content);
    }

    private static ColumnSchema Column(string name, string type, bool nullable = false, string? defaultSql = null, bool identity = false) =>
        new(name, type, nullable, defaultSql, identity);

    private static ForeignKeySchema ForeignKey(string name, string column, string principal, ReferentialAction onDelete = ReferentialAction.NoAction) =>
        new(name, [column], null, principal, ["id"], onDelete);

    private static TableSchema Table(string name, IReadOnlyList<ColumnSchema> columns, IReadOnlyList<string> key, IReadOnlyList<IndexSchema>? indexes = null, IReadOnlyList<ForeignKeySchema>? foreignKeys = null) =>
        new(null, name, columns, key, indexes ?? [], foreignKeys ?? []);
}
