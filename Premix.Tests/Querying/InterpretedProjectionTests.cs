using System.Data;
using System.Data.Common;
using System.Linq.Expressions;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Querying;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Querying;

/// <summary>
/// The Select reader used where no reader can be compiled (native AOT, dynamic code off; docs/aot.md): the select list
/// holds the columns the selector reads, as the compiled one does, each read by ordinal, and the selector is evaluated over
/// those values. Run here under the JIT (<c>Projection.Interpreted</c>, what <c>Projection.Compile</c> returns with dynamic
/// code off), on every engine, over nested value objects (<see cref="TenantMap"/>), converted properties
/// (<see cref="AccountMap"/>) and <see cref="Product"/>, each compared with the compiled reader (the query API under the
/// JIT); the rows are written with plain SQL. The native binary runs it in NativeAotQueryTests.
/// </summary>
public sealed class InterpretedProjectionTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new TenantMap()));
        await RecreateTablesAsync(_premix);
        await ExecuteAsync(
            $"INSERT INTO {Q(TenantMap.Table)} ({Q("name")}, {Q("home_street")}, {Q("home_geo_lat")}, {Q("home_geo_lng")}, {Q("office_name")}, {Q("office_geo_lat")}, {Q("office_geo_lng")}) " +
            "VALUES ('Ada', 'Main 1', 1, 2, 'HQ', 3, 4)");
        await ExecuteAsync($"INSERT INTO {Q(TenantMap.Table)} ({Q("name")}, {Q("home_street")}) VALUES ('Bob', 'Side 2')");
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task The_select_list_holds_the_selected_columns_only_as_the_compiled_one_does()
    {
        using var premix = await ProductsAsync();
        var plan = premix.GetPlan<Product>();
        await using var uow = premix.BeginUnitOfWork();
        var products = uow.Repository<Product>().Query();
        Expression<Func<Product, decimal>> price = p => p.Price;
        Expression<Func<Product, PriceTag>> tag = p => new PriceTag(p.Name, p.Price, p.Category);
        Expression<Func<Tenant, object>> office = t => new { t.Name, t.Office, t.Home.Geo!.Lat };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Projection.Interpreted(plan, Provider.Dialect, price).SelectList, Is.EqualTo(Q("Price")), "one column");
            Assert.That(products.Select(price).ToSql(), Does.StartWith($"SELECT {Q("Price")} FROM {Q("products")}"));
            Assert.That(Projection.Interpreted(plan, Provider.Dialect, tag).SelectList, Is.EqualTo($"{Q("Name")}, {Q("Price")}, {Q("Category")}"));
            Assert.That(products.Select(tag).ToSql(), Does.StartWith($"SELECT {Q("Name")}, {Q("Price")}, {Q("Category")} FROM {Q("products")}"));
            Assert.That(Projection.Interpreted(_premix.GetPlan<Tenant>(), Provider.Dialect, office).SelectList,
                Is.EqualTo($"{Q("name")}, {Q("office_name")}, {Q("office_geo_lat")}, {Q("office_geo_lng")}, {Q("home_geo_lat")}"), "a whole value object: its columns");
            Assert.That(Projection.Interpreted(_premix.GetPlan<Tenant>(), Provider.Dialect, office).SelectList,
                Is.EqualTo(Projection.Compile(_premix.GetPlan<Tenant>(), Provider.Dialect, office).SelectList));
        }
    }

    [Test]
    public async Task A_null_or_an_unknown_label_in_an_unselected_required_column_is_not_read()
    {
        // A table the database leaves nullable, read through ProductMap: Price (decimal) and Category (an enum stored as
        // text) are required there; reading the whole entity fails on either row.
        using var premix = CreatePremix(p => p.AddModelConfiguration(new ProductMap()));
        var key = Engine == Engine.Sqlite ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY";
        var flag = Engine == Engine.Sqlite ? "INTEGER" : "BOOLEAN";
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("products")}");
        await ExecuteAsync(
            $"CREATE TABLE {Q("products")} ({Q("Id")} {key}, {Q("Name")} VARCHAR(100) NOT NULL, {Q("Price")} DECIMAL(10,2) NULL, {Q("Stock")} INT NULL, " +
            $"{Q("Category")} VARCHAR(20) NULL, {Q("Discontinued")} {flag} NULL, {Q("Secret")} VARCHAR(50) NULL)");
        await ExecuteAsync(
            $"INSERT INTO {Q("products")} ({Q("Id")}, {Q("Name")}, {Q("Price")}, {Q("Stock")}, {Q("Category")}) VALUES (1, 'kite', NULL, 3, NULL), (2, 'saw', 2.5, NULL, 'Garden')");
        Expression<Func<Product, Stocked>> selector = p => new Stocked(p.Name, p.Stock);

        var interpreted = await ReadAsync(premix, selector, "Name");
        var compiled = await CompiledAsync(premix, selector);
        var nullPrice = Assert.CatchAsync<Exception>(() => WholeAsync(premix, 1));
        var unknownLabel = Assert.CatchAsync<ArgumentException>(() => WholeAsync(premix, 2));

        using (Assert.EnterMultipleScope())
        {
            // The whole entity cannot be read from these rows: the driver refuses the NULL decimal (its own exception, which
            // Premix wraps where it is a cast failure), and Enum.Parse the label.
            Assert.That((nullPrice!.InnerException ?? nullPrice).Message, Does.Contain("null").IgnoreCase, nullPrice.ToString());
            Assert.That(nullPrice, Is.Not.InstanceOf<ArgumentException>().And.Not.InstanceOf<NotSupportedException>());
            Assert.That(unknownLabel!.Message, Does.Contain("'Garden'"));
            Assert.That(interpreted, Is.EqualTo(new[] { new Stocked("kite", 3), new Stocked("saw", null) }));
            Assert.That(interpreted, Is.EqualTo(compiled));
        }
    }

    private static async Task WholeAsync(IPremix premix, long id)
    {
        await using var uow = premix.BeginUnitOfWork();
        await uow.Repository<Product>().Query().Where(p => p.Id == id).ToListAsync();
    }

    [Test]
    public async Task An_anonymous_type_a_member_init_a_constructor_and_a_struct_read_what_the_compiled_reader_reads()
    {
        var anonymous = await BothAsync(t => new { t.Name, t.Office, Lat = (decimal?)t.Home.Geo!.Lat, t.Home.Street });
        var initialised = await BothAsync(t => new Dwelling { Street = t.Home.Street, Geo = t.Office!.Geo });
        var constructed = await BothAsync(t => new Workplace(t.Name, t.Home.Geo!));
        var structs = await BothAsync(t => new Spot(t.Home.Street, (decimal?)t.Office!.Geo.Lng));
        var column = await BothAsync(t => (decimal?)t.Office!.Geo.Lat);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(anonymous.Interpreted, Is.EqualTo(new[]
            {
                new { Name = "Ada", Office = (Workplace?)new Workplace("HQ", new Coordinates(3m, 4m)), Lat = (decimal?)1m, Street = "Main 1" },
                new { Name = "Bob", Office = (Workplace?)null, Lat = (decimal?)null, Street = "Side 2" },
            }));
            Assert.That(anonymous.Interpreted, Is.EqualTo(anonymous.Compiled));
            Assert.That(initialised.Interpreted.Select(d => (d.Street, d.Geo)), Is.EqualTo(new[] { ("Main 1", new Coordinates(3m, 4m)), ("Side 2", (Coordinates?)null) }));
            Assert.That(initialised.Interpreted.Select(d => (d.Street, d.Geo)), Is.EqualTo(initialised.Compiled.Select(d => (d.Street, d.Geo))));
            Assert.That(constructed.Interpreted, Is.EqualTo(new[] { new Workplace("Ada", new Coordinates(1m, 2m)), new Workplace("Bob", null!) }));
            Assert.That(constructed.Interpreted, Is.EqualTo(constructed.Compiled));
            Assert.That(structs.Interpreted, Is.EqualTo(new[] { new Spot("Main 1", 4m), new Spot("Side 2", null) }));
            Assert.That(structs.Interpreted, Is.EqualTo(structs.Compiled));
            Assert.That(column.Interpreted, Is.EqualTo(new decimal?[] { 3m, null }), "a struct member of a null value object read as T?");
            Assert.That(column.Interpreted, Is.EqualTo(column.Compiled));
        }
    }

    [Test]
    public async Task Converted_values_read_what_the_compiled_reader_reads_and_a_member_of_one_is_refused_alike()
    {
        using var premix = CreatePremix(p => AccountMap.Registry(p.AddModelConfiguration(new AccountMap()).AddModelConfiguration(new InvoiceMap())));
        await RecreateTablesAsync(premix);
        var seen = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified); // SeenAt's converter (ValueConverters.DateTimeKind) stamps the kind it reads
        await ExecuteAsync(
            $"INSERT INTO {Q(AccountMap.Table)} ({Q("Name")}, {Q("Email")}, {Q("Website")}, {Q("Tier")}, {Q("SeenAt")}, {Q("Code")}) VALUES " +
            "('Ada', 'ada@example.com', 'https://example.com/ada', 3, @seen, 'A-1'), ('Bob', NULL, NULL, 1, @seen, NULL)",
            new { seen });
        Expression<Func<Account, Converted>> selector = a => new Converted(a.Id, a.Email, a.Website, a.Tier, a.SeenAt, a.Code);
        Expression<Func<Account, string>> member = a => a.Email!.Address;

        var interpreted = await ReadAsync(premix, selector, "Name");
        var compiled = await CompiledAsync(premix, selector, a => a.Name);
        var refused = Assert.Throws<NotSupportedException>(() => Projection.Interpreted(premix.GetPlan<Account>(), Provider.Dialect, member));
        var compiledRefused = Assert.Throws<NotSupportedException>(() => Projection.Compile(premix.GetPlan<Account>(), Provider.Dialect, member));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(interpreted.Select(c => (c.Email, c.Website, c.Tier, c.SeenAt, c.SeenAt.Kind, c.Code)), Is.EqualTo(new[]
            {
                ((EmailAddress?)new EmailAddress("ada@example.com"), (Uri?)new Uri("https://example.com/ada"), Tier.Gold, seen, DateTimeKind.Utc, (Sku?)new Sku("A-1")),
                (null, null, Tier.Bronze, seen, DateTimeKind.Utc, null),
            }));
            Assert.That(interpreted.Select(c => c.Id.Value), Is.EqualTo(compiled.Select(c => c.Id.Value)).And.All.GreaterThan(0L));
            Assert.That(interpreted, Is.EqualTo(compiled));
            Assert.That(refused!.Message, Does.Contain("Account.Email.Address is not a mapped column"));
            Assert.That(refused.Message, Is.EqualTo(compiledRefused!.Message));
        }
    }

    [Test]
    public async Task A_utc_and_a_wall_clock_DateTime_and_enums_stored_as_numbers_read_what_the_compiled_reader_reads()
    {
        using var premix = await CreatePremixWithTablesAsync(new ShiftMap());
        var starts = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var doors = new DateTime(2026, 1, 2, 2, 30, 0, DateTimeKind.Unspecified);
        await ExecuteAsync(
            $"INSERT INTO {Q(ShiftMap.Table)} ({Q("Name")}, {Q("StartsAt")}, {Q("DoorsOpen")}, {Q("Level")}, {Q("Shade")}) VALUES " +
            "('early', @starts, @doors, 200, -3), ('late', @starts, @doors, 1, NULL)",
            new { starts, doors });
        Expression<Func<Shift, Timed>> selector = s => new Timed(s.Name, s.StartsAt, s.DoorsOpen, s.Level, s.Shade);

        var interpreted = await ReadAsync(premix, selector, "Name");
        var compiled = await CompiledAsync(premix, selector, s => s.Name);

        using (Assert.EnterMultipleScope())
        {
            // StartsAt is StoredAsUtc: UTC whatever kind the driver gives (none on SQLite and MariaDB); DoorsOpen is wall-clock time.
            Assert.That(interpreted.Select(t => (t.Name, t.StartsAt, t.StartsAt.Kind, t.DoorsOpen, t.DoorsOpen.Kind, t.Level, t.Shade)), Is.EqualTo(new[]
            {
                ("early", starts, DateTimeKind.Utc, doors, DateTimeKind.Unspecified, Level.High, (Shade?)Shade.Light),
                ("late", starts, DateTimeKind.Utc, doors, DateTimeKind.Unspecified, Level.Low, null),
            }));
            Assert.That(interpreted.Select(t => (t, t.StartsAt.Kind, t.DoorsOpen.Kind)), Is.EqualTo(compiled.Select(t => (t, t.StartsAt.Kind, t.DoorsOpen.Kind))));
        }
    }

    [Test]
    public async Task A_class_a_record_an_anonymous_type_and_a_single_column_are_built_from_the_entity_s_columns()
    {
        var classes = await ReadAsync(t => new Dwelling { Street = t.Home.Street, Geo = t.Home.Geo });
        var records = await ReadAsync(t => new Workplace(t.Name, t.Office!.Geo));
        var anonymous = await ReadAsync(t => new { t.Name, t.Office, Lng = (decimal?)t.Home.Geo!.Lng, Id = (long?)t.Id });
        var names = await ReadAsync(t => t.Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(classes.Select(d => (d.Street, d.Geo)), Is.EqualTo(new[] { ("Main 1", new Coordinates(1m, 2m)), ("Side 2", (Coordinates?)null) }));
            Assert.That(records, Is.EqualTo(new[] { new Workplace("Ada", new Coordinates(3m, 4m)), new Workplace("Bob", null!) }), "a nested value object of a null one is null");
            Assert.That(anonymous.Select(a => (a.Name, a.Office, a.Lng, a.Id is > 0)), Is.EqualTo(new[]
            {
                ("Ada", new Workplace("HQ", new Coordinates(3m, 4m)), (decimal?)2m, true),
                ("Bob", (Workplace?)null, (decimal?)null, true),
            }));
            Assert.That(names, Is.EqualTo(new[] { "Ada", "Bob" }));
        }
    }

    [Test]
    public void A_struct_member_of_a_null_value_object_is_refused_as_the_compiled_reader_refuses_it()
    {
        var missing = Assert.ThrowsAsync<InvalidOperationException>(() => ReadAsync(t => new { t.Home.Geo!.Lng }));

        Assert.That(missing!.Message, Does.Contain("Tenant.Home.Geo.Lng as a Decimal, but a row holds NULL there").And.Contain("((Decimal?)x.Home.Geo.Lng)"));
    }

    [Test]
    public void A_computed_or_captured_value_is_refused_naming_the_selector_before_any_row_is_read()
    {
        var suffix = "!";
        var computed = Assert.Throws<NotSupportedException>(() => InterpretedProjection.Of(_premix.GetPlan<Tenant>(), Provider.Dialect, Selector(t => t.Name + suffix)));
        var unmapped = Assert.Throws<NotSupportedException>(() => InterpretedProjection.Of(_premix.GetPlan<Tenant>(), Provider.Dialect, Selector(t => t.Home.Entrance!.Code!.Length)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(computed!.Message, Does.Contain("may only build an object from mapped columns of Tenant").And.Contain("Compute it after the query, or write the SQL with Raw(...)"));
            Assert.That(unmapped!.Message, Does.Contain("Tenant.Home.Entrance.Code.Length is not a mapped column"));
        }
    }

    [Test]
    public async Task Conversions_read_what_the_compiled_reader_reads_a_fraction_truncated_an_integer_wrapped()
    {
        using var premix = await ProductsAsync();
        Expression<Func<Product, Casted>> selector = p => new Casted(p.Name, (int)p.Price, (long)p.Price, (double)p.Price, (int)p.Category, (byte?)p.Stock);

        var interpreted = await ReadAsync(premix, selector, "Name");
        var compiled = await CompiledAsync(premix, selector);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(interpreted, Is.EqualTo(new[]
            {
                new Casted("kite", 19, 19L, 19.9d, (int)Category.Toys, (byte)44),
                new Casted("saw", 2, 2L, 2.7d, (int)Category.Tools, null),
            }), "decimal's explicit operator truncates; 300 wraps to 44 in an unchecked byte");
            Assert.That(interpreted, Is.EqualTo(compiled));
        }
    }

    [Test]
    public async Task A_null_converted_to_a_non_nullable_type_is_refused_as_the_compiled_reader_refuses_it()
    {
        using var premix = await ProductsAsync();
        Expression<Func<Product, int>> selector = p => (int)p.Stock!; // the compiler's check off: the row's NULL is what is tested

        var interpreted = Assert.ThrowsAsync<InvalidOperationException>(() => ReadAsync(premix, selector, "Name"));
        Assert.ThrowsAsync<InvalidOperationException>(() => CompiledAsync(premix, selector));

        Assert.That(interpreted!.Message, Does.Contain("converts 'p.Stock' to Int32, but a row holds NULL there").And.Contain("Convert it to Int32? to get null instead"));
    }

    [Test]
    public void A_struct_made_without_a_constructor_is_refused_naming_the_fix()
    {
        var refused = Assert.Throws<NotSupportedException>(() => InterpretedProjection.Of(_premix.GetPlan<Tenant>(), Provider.Dialect, Selector(t => new Named { Name = t.Name })));

        Assert.That(refused!.Message, Does.Contain("makes a Named without a constructor").And.Contain("RuntimeFeature.IsDynamicCodeSupported is false")
            .And.Contain("give Named a constructor and use new Named(x.A, …), or make Named a class"));
    }

    private static Expression<Func<Tenant, TResult>> Selector<TResult>(Expression<Func<Tenant, TResult>> selector) => selector;

    // Two products written with plain SQL: kite (19.90, stock 300, Toys) and saw (2.70, no stock, Tools).
    private async Task<IPremix> ProductsAsync()
    {
        var premix = await CreatePremixWithTablesAsync(new ProductMap());
        const string Insert = "INSERT INTO {0} ({1}, {2}, {3}, {4}, {5}) VALUES (@name, @price, @stock, @category, @discontinued)";
        foreach (var (name, price, stock, category) in new[] { ("kite", 19.90m, (int?)300, "Toys"), ("saw", 2.70m, null, "Tools") })
        {
            await ExecuteAsync(
                string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, Q("products"), Q("Name"), Q("Price"), Q("Stock"), Q("Category"), Q("Discontinued")),
                new { name, price, stock, category, discontinued = false });
        }

        return premix;
    }

    // The same rows through the query API: under the JIT, the compiled reader.
    private static async Task<IReadOnlyList<TResult>> CompiledAsync<TResult>(IPremix premix, Expression<Func<Product, TResult>> selector) =>
        await CompiledAsync(premix, selector, p => p.Name);

    private static async Task<IReadOnlyList<TResult>> CompiledAsync<TEntity, TResult>(IPremix premix, Expression<Func<TEntity, TResult>> selector, Expression<Func<TEntity, string>> orderBy)
        where TEntity : class
    {
        await using var uow = premix.BeginUnitOfWork();
        return await uow.Repository<TEntity>().Query().OrderBy(orderBy).Select(selector).ToListAsync();
    }

    // A selector over the tenants, read by both readers.
    private async Task<(List<TResult> Interpreted, IReadOnlyList<TResult> Compiled)> BothAsync<TResult>(Expression<Func<Tenant, TResult>> selector) =>
        (await ReadAsync(selector), await CompiledAsync(_premix, selector, t => t.Name));

    private Task<List<TResult>> ReadAsync<TResult>(Expression<Func<Tenant, TResult>> selector) => ReadAsync(_premix, selector, "name");

    private async Task<List<TResult>> ReadAsync<TEntity, TResult>(IPremix premix, Expression<Func<TEntity, TResult>> selector, string orderBy)
        where TEntity : class
    {
        await using var connection = await OpenConnectionAsync();
        return await InterpretedAsync(connection, Provider.Dialect, premix.GetPlan<TEntity>(), selector, orderBy);
    }

    /// <summary>The interpreted projection's own select list, read through its reader, ordered by the column named.</summary>
    internal static async Task<List<TResult>> InterpretedAsync<TEntity, TResult>(DbConnection connection, ISqlDialect dialect, EntityPlan plan, Expression<Func<TEntity, TResult>> selector, string orderBy)
    {
        var projection = Projection.Interpreted(plan, dialect, selector);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {projection.SelectList} FROM {plan.TableSql} ORDER BY {dialect.QuoteIdentifier(orderBy)}";
        // As the executor runs it.
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleResult);
        var read = projection.Rows.Open(reader, command.CommandText);
        var results = new List<TResult>();
        while (await reader.ReadAsync())
        {
            results.Add((TResult)read(reader));
        }

        return results;
    }

    public sealed record Timed(string Name, DateTime StartsAt, DateTime DoorsOpen, Level Level, Shade? Shade);

    /// <summary>A number stored as itself (the default): a byte.</summary>
    public enum Level : byte
    {
        Low = 1,
        High = 200,
    }

    /// <summary>A number stored as itself (the default): a short, negative here.</summary>
    public enum Shade : short
    {
        Light = -3,
        Dark = 7,
    }

    /// <summary>A UTC instant, a wall-clock time and two enums stored as numbers, none converted.</summary>
    public sealed class Shift
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public DateTime StartsAt { get; set; }

        public DateTime DoorsOpen { get; set; }

        public Level Level { get; set; }

        public Shade? Shade { get; set; }
    }

    private sealed class ShiftMap : ModelConfiguration<Shift>
    {
        public const string Table = "ip_shifts";

        public override void Configure(EntityBuilder<Shift> e)
        {
            e.ToTable(Table);
            e.Property(s => s.Name).HasMaxLength(40);
            e.Property(s => s.StartsAt).StoredAsUtc();
        }
    }

    public sealed record Casted(string Name, int Whole, long Wide, double Real, int Number, byte? Low);

    public sealed record Converted(AccountId Id, EmailAddress? Email, Uri? Website, Tier Tier, DateTime SeenAt, Sku? Code);

    public sealed record PriceTag(string Name, decimal Price, Category Category);

    public sealed record Stocked(string Name, int? Stock);

    public readonly record struct Spot(string Street, decimal? Lng);

    public struct Named
    {
        public string Name { get; set; }
    }
}
