using System.Data;
using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// 100 customers with their orders (3 each), both directions stitched: every customer's <c>Orders</c> and every order's
/// <c>Customer</c>. Premix sends two queries (the customers, then the orders of all of them); so does the Dapper
/// baseline, which stitches by hand through a dictionary, and so do the two ADO.NET contenders (with and without
/// <c>SequentialAccess</c>, which Dapper passes and Premix does not). EF Core sends one JOIN by default, and two with
/// <c>AsSplitQuery</c>. Every contender reuses one open connection (Premix: a unit of work under <c>HoldConnectionAsync</c>).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class IncludeBenchmarks
{
    private const long MaxId = OrderSql.CustomerCount;

    // The same query compiled once (issue 17 item 1): no expression tree and no shape lookup per call, the floor of Premix().
    private static readonly PremixQuery<CustomerWithOrders, long> WithOrders =
        PremixQuery.Compile((Query<CustomerWithOrders> q, long max) => q.Where(c => c.Id <= max).Include(c => c.Orders));

    private BenchmarkDatabase _database = null!;
    private IUnitOfWork _unitOfWork = null!;
    private ConnectionHold _hold = null!;
    private IRepository<CustomerWithOrders> _repository = null!;
    private IRepository<Order> _orders = null!;
    private DbConnection _dapper = null!;
    private IncludeDbContext _context = null!;
    private string _ordersSql = null!;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await BenchmarkDatabase.CreateAsync(Engine);
        await _database.SeedOrdersAsync();
        _ordersSql = OrderSql.OrdersOf(Engine);
        _unitOfWork = _database.CreatePremix(new CustomerWithOrdersMap(), new OrderMap()).BeginUnitOfWork();
        _hold = await _unitOfWork.HoldConnectionAsync();
        _repository = _unitOfWork.Repository<CustomerWithOrders>().AsNoTracking();
        _orders = _unitOfWork.Repository<Order>().AsNoTracking();
        _dapper = _database.CreateConnection();
        await _dapper.OpenAsync();
        _context = _database.CreateIncludeDbContext();
        await _context.Database.OpenConnectionAsync();

        ResultCheck.SameWithOrders(nameof(Dapper), await Dapper(), OrderSql.CustomerCount);
        ResultCheck.SameWithOrders(nameof(AdoNet), await AdoNet(), OrderSql.CustomerCount);
        ResultCheck.SameWithOrders(nameof(AdoNetSequential), await AdoNetSequential(), OrderSql.CustomerCount);
        ResultCheck.SameWithOrders(nameof(Premix), await Premix(), OrderSql.CustomerCount);
        ResultCheck.SameWithOrders(nameof(PremixCompiled), await PremixCompiled(), OrderSql.CustomerCount);
        ResultCheck.SameWithOrders(nameof(PremixOrdersWithCustomer), (await PremixOrdersWithCustomer()).Select(o => o.Customer!).Distinct(), OrderSql.CustomerCount);
        ResultCheck.SameCustomers(nameof(PremixNoInclude), await PremixNoInclude(), OrderSql.CustomerCount);
        ResultCheck.SameWithOrders(nameof(EfCoreNoTracking), await EfCoreNoTracking(), OrderSql.CustomerCount);
        ResultCheck.SameWithOrders(nameof(EfCoreSplitQuery), await EfCoreSplitQuery(), OrderSql.CustomerCount);
    }

    /// <summary>Two queries, then a dictionary by key: each order goes into its customer's list and points back at it.</summary>
    [Benchmark(Baseline = true)]
    public async Task<List<CustomerWithOrders>> Dapper()
    {
        var customers = (await _dapper.QueryAsync<CustomerWithOrders>(OrderSql.Customers, new { max = MaxId })).AsList();
        var byId = new Dictionary<long, CustomerWithOrders>(customers.Count);
        var ids = new long[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            ids[i] = customers[i].Id;
            byId.Add(customers[i].Id, customers[i]);
        }

        foreach (var order in await _dapper.QueryAsync<Order>(_ordersSql, new { ids }))
        {
            var customer = byId[order.CustomerId];
            customer.Orders.Add(order);
            order.Customer = customer;
        }

        return customers;
    }

    /// <summary>Dapper's two statements and stitching written in ADO.NET, read with the default behaviour, as Premix reads.</summary>
    [Benchmark]
    public Task<List<CustomerWithOrders>> AdoNet() => OrderReader.WithOrdersAsync(_dapper, Engine, MaxId, CommandBehavior.SingleResult);

    /// <summary>The same with <see cref="CommandBehavior.SequentialAccess"/>, as Dapper reads: the difference is that flag alone.</summary>
    [Benchmark]
    public Task<List<CustomerWithOrders>> AdoNetSequential() => OrderReader.WithOrdersAsync(_dapper, Engine, MaxId, CommandBehavior.SingleResult | CommandBehavior.SequentialAccess);

    // A captured value, so Premix and EF Core send it as a parameter, as Dapper does.
    [Benchmark]
    public Task<IReadOnlyList<CustomerWithOrders>> Premix()
    {
        var max = MaxId;
        return _repository.Query().Where(c => c.Id <= max).Include(c => c.Orders).ToListAsync();
    }

    [Benchmark]
    public Task<IReadOnlyList<CustomerWithOrders>> PremixCompiled() => WithOrders.ToListAsync(_repository, MaxId);

    /// <summary>
    /// The other direction (BelongsTo): the orders of the same customers, each with its customer, and each customer's
    /// <c>Orders</c> filled from them (the inverse navigation). Premix only: it measures the loader's BelongsTo path.
    /// </summary>
    [Benchmark]
    public Task<IReadOnlyList<Order>> PremixOrdersWithCustomer()
    {
        var max = MaxId;
        return _orders.Query().Where(o => o.CustomerId <= max).Include(o => o.Customer).ToListAsync();
    }

    /// <summary>Premix() without its Include: the customers' query alone, so Premix() minus this is the loader's cost.</summary>
    [Benchmark]
    public Task<IReadOnlyList<CustomerWithOrders>> PremixNoInclude()
    {
        var max = MaxId;
        return _repository.Query().Where(c => c.Id <= max).ToListAsync();
    }

    [Benchmark]
    public Task<List<CustomerWithOrders>> EfCoreNoTracking()
    {
        var max = MaxId;
        return _context.Customers.AsNoTracking().Where(c => c.Id <= max).Include(c => c.Orders).ToListAsync();
    }

    [Benchmark]
    public Task<List<CustomerWithOrders>> EfCoreSplitQuery()
    {
        var max = MaxId;
        return _context.Customers.AsNoTracking().Where(c => c.Id <= max).Include(c => c.Orders).AsSplitQuery().ToListAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _context.DisposeAsync();
        await _dapper.DisposeAsync();
        await _hold.DisposeAsync();
        await _unitOfWork.DisposeAsync();
        await _database.DisposeAsync();
    }
}
