using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>Inserts, updates and deletes of rows with a composite key in one commit, and their identity in a unit of work.</summary>
public sealed class CompositeKeyCommitTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTableAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new StockMap());
        await ExecuteAsync($"INSERT INTO {Q("stock")} ({Q("Depot")}, {Q("Sku")}, {Q("Quantity")}) VALUES (1, 'tea', 10), (1, 'cup', 20), (2, 'tea', 30)");
    }

    [Test]
    public async Task One_commit_inserts_updates_and_deletes_rows_by_every_part_of_their_key()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var stock = uow.Repository<Stock>();
            var teaAtOne = await stock.GetAsync((1, "tea"));
            var teaAtTwo = await stock.GetAsync((2, "tea"));
            teaAtOne.Quantity = 11;            // (1, tea) changes; (2, tea) shares Sku, (1, cup) shares Depot: neither may change
            stock.Remove(teaAtTwo);
            stock.Add(new Stock { Depot = 2, Sku = "cup", Quantity = 5 });
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(int Depot, string Sku, int Quantity)>(
            $"SELECT {Q("Depot")}, {Q("Sku")}, {Q("Quantity")} FROM {Q("stock")} ORDER BY {Q("Depot")}, {Q("Sku")}")).ToList();
        Assert.That(rows, Is.EqualTo(new[] { (1, "cup", 20), (1, "tea", 11), (2, "cup", 5) }));
    }

    [Test]
    public async Task Loading_one_composite_key_twice_gives_the_same_instance_whatever_form_the_key_takes()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var stock = uow.Repository<Stock>();

        var byTuple = await stock.GetAsync((1, "cup"));
        var byObject = await stock.GetAsync(new { Depot = 1, Sku = "cup" });
        var listed = (await stock.Query().Where(s => s.Depot == 1 && s.Sku == "cup").ToListAsync()).Single();
        var other = await stock.GetAsync((2, "tea"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byObject, Is.SameAs(byTuple));
            Assert.That(listed, Is.SameAs(byTuple));
            Assert.That(other, Is.Not.SameAs(byTuple));
        }
    }

    [Test]
    public async Task A_composite_key_added_and_found_in_one_unit_of_work_is_the_added_instance()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var stock = uow.Repository<Stock>();
        var added = new Stock { Depot = 3, Sku = "pot", Quantity = 1 };
        stock.Add(added);
        await uow.CommitAsync();

        var found = await stock.FindAsync((3, "pot"));

        Assert.That(found, Is.SameAs(added));
    }

    public sealed class Stock
    {
        public int Depot { get; set; }

        public string Sku { get; set; } = "";

        public int Quantity { get; set; }
    }

    private sealed class StockMap : ModelConfiguration<Stock>
    {
        public override void Configure(EntityBuilder<Stock> e)
        {
            e.ToTable("stock");
            e.HasKey(s => new { s.Depot, s.Sku });
            e.Property(s => s.Sku).HasMaxLength(20);
        }
    }
}
