using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Repositories;

/// <summary>Get and find by a composite key: a value tuple of the key's types in HasKey order, or an object naming its parts.</summary>
public sealed class CompositeKeyLookupTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;
    private CapturingLoggerProvider _logs = null!;

    [SetUp]
    public async Task CreateTableAsync()
    {
        _logs = new CapturingLoggerProvider();
        _premix = await CreatePremixWithTablesAsync(LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)), new OrderLineMap());
        await ExecuteAsync($"INSERT INTO {Q("order_lines")} ({Q("OrderId")}, {Q("LineNo")}, {Q("Sku")}) VALUES (7, 2, 'tea'), (7, 3, 'cup'), (8, 2, 'pot')");
    }

    [TearDown]
    public void DisposeLogs() => _logs.Dispose();

    [Test]
    public async Task A_tuple_of_the_key_types_gets_and_finds_the_row_with_those_parts()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var lines = uow.Repository<OrderLine>();

        var got = await lines.GetAsync((7L, 3));
        var found = await lines.FindAsync((8L, 2));
        var synchronous = lines.Get((7L, 2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(got.Sku, Is.EqualTo("cup"));
            Assert.That(found?.Sku, Is.EqualTo("pot"));
            Assert.That(synchronous.Sku, Is.EqualTo("tea"));
        }
    }

    [Test]
    public async Task Reads_by_composite_key_repeated_on_a_held_connection_bind_both_parts_of_each_key()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var lines = uow.Repository<OrderLine>().AsNoTracking();
        var found = new List<string?>();

        // The statement's command is kept on the held connection and its two parameters set again at every read.
        foreach (var key in new[] { (7L, 3), (8L, 2), (7L, 2), (2L, 7), (7L, 3) })
        {
            found.Add((await lines.FindAsync(key))?.Sku);
        }

        found.Add(lines.Find((8L, 2))?.Sku);
        Assert.That(found, Is.EqualTo(new[] { "cup", "pot", "tea", null, "cup", "pot" }));
    }

    [Test]
    public async Task A_missing_tuple_key_finds_null_and_get_throws_EntityNotFoundException()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var lines = uow.Repository<OrderLine>();

        var missing = await lines.FindAsync((2L, 7)); // the parts of (7, 2) swapped
        var error = Assert.ThrowsAsync<EntityNotFoundException>(() => lines.GetAsync((7L, 9)));

        Assert.That(missing, Is.Null);
        Assert.That(error!.Message, Does.Contain("No OrderLine with key (7, 9)"));
    }

    [Test]
    public async Task A_tuple_of_other_types_is_refused_naming_the_key_types_before_any_sql_runs()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var lines = uow.Repository<OrderLine>();
        var before = Statements();

        var narrowed = Assert.ThrowsAsync<ArgumentException>(() => lines.GetAsync((7, 2)));
        var swapped = Assert.ThrowsAsync<ArgumentException>(() => lines.FindAsync((2, 7L)));
        var tooShort = Assert.Throws<ArgumentException>(() => lines.Find(ValueTuple.Create(7L)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(narrowed!.Message, Does.Contain("OrderLine has a composite key (OrderId: Int64, LineNo: Int32)"));
            Assert.That(narrowed.Message, Does.Contain("element types (Int64, Int32) in that order, but a tuple (Int32, Int32) was passed"));
            Assert.That(swapped!.Message, Does.Contain("but a tuple (Int32, Int64) was passed"));
            Assert.That(tooShort!.Message, Does.Contain("but a tuple (Int64) was passed"));
            Assert.That(Statements(), Is.EqualTo(before));
        }
    }

    [Test]
    public async Task A_tuple_for_a_single_key_is_refused_naming_the_key()
    {
        var premix = await CreatePremixWithTablesAsync(new OrderLineMap(), new ProductMap());
        await using var uow = premix.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<ArgumentException>(() => uow.Repository<Product>().GetAsync((1L, 2)));

        Assert.That(error!.Message, Does.Contain("Product has a single key (Id: Int64), but a tuple (Int64, Int32) was passed"));
    }

    [Test]
    public async Task An_object_naming_the_key_parts_still_finds_the_row()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var line = await uow.Repository<OrderLine>().GetAsync(new { LineNo = 2, OrderId = 8 });

        Assert.That(line.Sku, Is.EqualTo("pot"));
    }

    private List<string> Statements() => _logs.Entries.Where(e => e.Id == PremixEventId.CommandExecuted).Select(e => e.Message).ToList();

    // With dynamic code off (native AOT) an object key's properties are not read (KeyArgument): the refusal the caller sees
    // there, which a JIT process cannot reach, names the key's parts, the detected switch and the tuple to pass instead.
    [Test]
    public void The_native_AOT_refusal_of_an_object_key_names_the_key_parts_the_switch_and_the_tuple_to_pass()
    {
        var refusal = global::Premix.Repositories.KeyArgument.NotUnderNativeAot(new { OrderId = 7L, LineNo = 2 }.GetType(), _premix.GetPlan<OrderLine>());

        Assert.That(refusal.Message, Does.StartWith("OrderLine has a composite key (OrderId: Int64, LineNo: Int32), passed as a <>f__AnonymousType")
            .And.Contain("RuntimeFeature.IsDynamicCodeSupported is false").And.EndWith("Fix: Pass a value tuple of the key's types in HasKey order (OrderId: Int64, LineNo: Int32)."));
    }

    // A trimmed application takes the same refusal (UnreferencedCode.IsAvailable is false there: the trimmer removes the
    // reading by name), so the message names that case too, not only dynamic code off.
    [Test]
    public void The_refusal_of_an_object_key_names_the_trimmed_application_as_a_case_where_it_is_refused()
    {
        var refusal = global::Premix.Repositories.KeyArgument.NotUnderNativeAot(new { OrderId = 7L, LineNo = 2 }.GetType(), _premix.GetPlan<OrderLine>());

        Assert.That(refusal.Message, Does.Contain("or in a trimmed application (PublishTrimmed, which can remove them)"));
    }

    public sealed class OrderLine
    {
        public long OrderId { get; set; }

        public int LineNo { get; set; }

        public string Sku { get; set; } = "";
    }

    public sealed class Product
    {
        public long Id { get; set; }
    }

    private sealed class OrderLineMap : ModelConfiguration<OrderLine>
    {
        public override void Configure(EntityBuilder<OrderLine> e)
        {
            e.ToTable("order_lines");
            e.HasKey(l => new { l.OrderId, l.LineNo });
            e.Property(l => l.Sku).HasMaxLength(20);
        }
    }

    private sealed class ProductMap : ModelConfiguration<Product>
    {
        public override void Configure(EntityBuilder<Product> e) => e.ToTable("tuple_products");
    }
}
