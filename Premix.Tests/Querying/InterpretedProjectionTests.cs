using System.Linq.Expressions;
using Premix.Mapping;
using Premix.Querying;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Querying;

/// <summary>
/// The Select reader used where no reader can be compiled (native AOT, dynamic code off; docs/aot.md): each row read whole by
/// the entity's reader from the plan's select list, the selector evaluated over it. Run here under the JIT, on every
/// engine, over nested value objects (<see cref="TenantMap"/>); the rows are written with plain SQL. The native binary runs
/// it in NativeAotQueryTests.
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
        var computed = Assert.Throws<NotSupportedException>(() => InterpretedProjection.Reader(_premix.GetPlan<Tenant>(), Selector(t => t.Name + suffix)));
        var unmapped = Assert.Throws<NotSupportedException>(() => InterpretedProjection.Reader(_premix.GetPlan<Tenant>(), Selector(t => t.Home.Entrance!.Code!.Length)));

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
        Expression<Func<Product, Converted>> selector = p => new Converted(p.Name, (int)p.Price, (long)p.Price, (double)p.Price, (int)p.Category, (byte?)p.Stock);

        var interpreted = await ReadAsync(premix, selector, "Name");
        var compiled = await CompiledAsync(premix, selector);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(interpreted, Is.EqualTo(new[]
            {
                new Converted("kite", 19, 19L, 19.9d, (int)Category.Toys, (byte)44),
                new Converted("saw", 2, 2L, 2.7d, (int)Category.Tools, null),
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
        var refused = Assert.Throws<NotSupportedException>(() => InterpretedProjection.Reader(_premix.GetPlan<Tenant>(), Selector(t => new Named { Name = t.Name })));

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
    private static async Task<IReadOnlyList<TResult>> CompiledAsync<TResult>(IPremix premix, Expression<Func<Product, TResult>> selector)
    {
        await using var uow = premix.BeginUnitOfWork();
        return await uow.Repository<Product>().Query().OrderBy(p => p.Name).Select(selector).ToListAsync();
    }

    private Task<List<TResult>> ReadAsync<TResult>(Expression<Func<Tenant, TResult>> selector) => ReadAsync(_premix, selector, "name");

    // The plan's select list, read through the interpreted reader, ordered by the column named.
    private async Task<List<TResult>> ReadAsync<TEntity, TResult>(IPremix premix, Expression<Func<TEntity, TResult>> selector, string orderBy)
        where TEntity : class
    {
        var plan = premix.GetPlan<TEntity>();
        var read = InterpretedProjection.Reader(plan, selector);
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {plan.SelectList} FROM {plan.TableSql} ORDER BY {Q(orderBy)}";
        await using var reader = await command.ExecuteReaderAsync();
        var results = new List<TResult>();
        while (await reader.ReadAsync())
        {
            results.Add((TResult)read(reader));
        }

        return results;
    }

    public sealed record Converted(string Name, int Whole, long Wide, double Real, int Number, byte? Low);

    public struct Named
    {
        public string Name { get; set; }
    }
}
