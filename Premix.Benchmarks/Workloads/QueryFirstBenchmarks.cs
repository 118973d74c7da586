using System.Data;
using System.Linq.Expressions;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;
using Premix.Querying;

namespace Premix.Benchmarks.Workloads;

/// <summary>
/// A repeated filtered query, first row: the customer with a given email (not indexed, so the same scan for every
/// contender), the email changing on every call and cycling through all 1000 customers (the interleaved probe starts every
/// contender's block of a round at the same email: <see cref="IInterleavedBlocks"/>). Every contender reuses one open
/// connection (Premix: a unit of work under <c>HoldConnectionAsync</c>).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class QueryFirstBenchmarks : IInterleavedBlocks
{
    // The same query compiled once (issue 17 item 1): no expression tree and no shape lookup per call.
    private static readonly PremixQuery<Customer, string> ByEmail = PremixQuery.Compile((Query<Customer> q, string email) => q.Where(c => c.Email == email));

    private readonly string[] _emails = Enumerable.Range(1, CustomerSql.RowCount).Select(id => BenchmarkDatabase.Expected(id).Email).ToArray();
    private OpenConnections _open = null!;
    private int _next;
    private readonly Captured _captured = new();
    private Expression<Func<Customer, bool>>? _builtOnce;
    private PreparedByEmail? _prepared;

    [ParamsSource(typeof(AvailableEngines), nameof(AvailableEngines.All))]
    public Engine Engine { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _open = await OpenConnections.CreateAsync(Engine);
        ResultCheck.Same(nameof(Dapper), await NextAt(CustomerSql.KnownKey, Dapper), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(Premix), await NextAt(CustomerSql.KnownKey, Premix), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(AdoNet), await NextAt(CustomerSql.KnownKey, AdoNet), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(AdoNetTyped), await NextAt(CustomerSql.KnownKey, AdoNetTyped), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(AdoNetAsDapper), await NextAt(CustomerSql.KnownKey, AdoNetAsDapper), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(AdoNetPrepared), await NextAt(CustomerSql.KnownKey, AdoNetPrepared), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(EfCoreNoTracking), await NextAt(CustomerSql.KnownKey, EfCoreNoTracking), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(Premix), await NextAt(CustomerSql.RowCount, Premix), CustomerSql.RowCount);
        ResultCheck.Same(nameof(PremixCompiled), await NextAt(CustomerSql.KnownKey, PremixCompiled), CustomerSql.KnownKey);
        ResultCheck.Same(nameof(PremixCompiled), await NextAt(CustomerSql.RowCount, PremixCompiled), CustomerSql.RowCount);
        _next = 0;
    }

    [Benchmark(Baseline = true)]
    public Task<Customer?> Dapper() =>
        _open.Dapper.QueryFirstOrDefaultAsync<Customer>(CustomerSql.FirstByEmail, new { email = NextEmail(), take = 1 });

    // The repository is AsNoTracking, so its queries are too: Query().AsNoTracking() on a tracking repository.
    [Benchmark]
    public Task<Customer?> Premix()
    {
        var email = NextEmail();
        return _open.Repository.Query().Where(c => c.Email == email).FirstOrDefaultAsync();
    }

    [Benchmark]
    public Task<Customer?> PremixCompiled() => ByEmail.FirstOrDefaultAsync(_open.Repository, NextEmail());

    [Benchmark]
    public Task<Customer?> AdoNet() => CustomerReader.FirstByEmailAsync(_open.Ado, NextEmail());

    [Benchmark]
    public Task<Customer?> EfCoreNoTracking()
    {
        var email = NextEmail();
        return _open.Context.Customers.AsNoTracking().Where(c => c.Email == email).FirstOrDefaultAsync();
    }

    // Probes (no [Benchmark]: BenchmarkDotNet never runs them). The ADO.NET baseline with the behavior Premix's first-row read
    // asks for (SingleResult | SingleRow), to tell the driver's cost of that flag from Premix's own.
    public Task<Customer?> AdoNetSingleRow() => CustomerReader.FirstByEmailAsync(_open.Ado, NextEmail(), CommandBehavior.SingleResult | CommandBehavior.SingleRow);

    // Probes (no [Benchmark]): the ADO.NET baseline with its parameters typed as Dapper types them, and then also reading as
    // Dapper reads (column names and types, boxed values, drained results), to tell the driver's cost of each from a mapper's own.
    public Task<Customer?> AdoNetTyped() => CustomerReader.FirstByEmailTypedAsync(_open.Ado, NextEmail());

    public Task<Customer?> AdoNetAsDapper() => CustomerReader.FirstByEmailAsDapperAsync(_open.Ado, NextEmail());

    // Probe (no [Benchmark]): the ADO.NET baseline with one command prepared once and re-bound per call, to tell what
    // preparing the statement would save every contender (SQLite's parse, the server's parse, the row description). On a
    // connection of its own: see PreparedByEmail.
    public Task<Customer?> AdoNetPrepared() => (_prepared ??= PreparedByEmail.Create(_open.Database)).FirstAsync(NextEmail());

    // Probes for --bytes (no [Benchmark]: BenchmarkDotNet never runs them), the parts of Premix()'s call:
    // `--bytes QueryFirstBenchmarks Sqlite 2000 2 CallerTree PremixWhereOnly PremixPrepareOnly PremixTreeBuiltOnce Premix PremixCompiled`.

    /// <summary>The caller's part alone: the expression tree the C# compiler builds for <c>c =&gt; c.Email == email</c>.</summary>
    public Task CallerTree()
    {
        var email = NextEmail();
        Expression<Func<Customer, bool>> tree = c => c.Email == email;
        GC.KeepAlive(tree);
        return Task.CompletedTask;
    }

    /// <summary><c>Query().Where(tree)</c> on a tree built once (its captured email changed per call): the query objects.</summary>
    public Task PremixWhereOnly()
    {
        GC.KeepAlive(_open.Repository.Query().Where(TreeBuiltOnce()));
        return Task.CompletedTask;
    }

    /// <summary>As <see cref="PremixWhereOnly"/>, then the command (slots, values, key, lookup, parameters) without running it.</summary>
    public Task PremixPrepareOnly()
    {
        var query = _open.Repository.Query().Where(TreeBuiltOnce());
        GC.KeepAlive(query.Prepare(QueryOperation.Rows, take: 1).Command);
        return Task.CompletedTask;
    }

    /// <summary>The whole call on a tree built once: <see cref="Premix"/> without the caller's tree.</summary>
    public Task<Customer?> PremixTreeBuiltOnce() => _open.Repository.Query().Where(TreeBuiltOnce()).FirstOrDefaultAsync();

    private Expression<Func<Customer, bool>> TreeBuiltOnce()
    {
        _captured.Email = NextEmail();
        return _builtOnce ??= Built(_captured);

        static Expression<Func<Customer, bool>> Built(Captured captured) => c => c.Email == captured.Email;
    }

    private sealed class Captured
    {
        public string Email = string.Empty;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _prepared?.Dispose();
        await _open.DisposeAsync();
    }

    /// <summary>
    /// The interleaved probe's block of a round starts at the same email for every contender, so their blocks scan the same
    /// depths (the scan stops at the row); the start moves on by a block every round, so the rounds go through all 1000.
    /// </summary>
    void IInterleavedBlocks.StartBlock(int round, int calls) => _next = (int)((long)round * calls % _emails.Length);

    private string NextEmail()
    {
        var email = _emails[_next];
        _next = _next + 1 == _emails.Length ? 0 : _next + 1;
        return email;
    }

    private Task<Customer?> NextAt(long key, Func<Task<Customer?>> contender)
    {
        _next = (int)key - 1;
        return contender();
    }
}
