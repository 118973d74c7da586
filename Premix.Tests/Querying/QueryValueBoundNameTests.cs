using System.Data.Common;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A translated query's values and paging are bound under the dialect's names (<c>ISqlDialect.ParameterName</c>: <c>p0</c>
/// and <c>__take</c> on Npgsql and MySqlConnector, which would otherwise cut the <c>@</c> off into a new string per call;
/// <c>@p0</c> on SQLite), and every placeholder the statement's text holds has its parameter. The names are read from the
/// driver's own command after the query's parameters were added to it.
/// </summary>
public sealed partial class QueryValueBoundNameTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task CreateAsync() => _premix = await CreatePremixWithTablesAsync(new MeterMap(), new LabelMap());

    [Test]
    public async Task Slot_values_paging_and_a_list_are_bound_under_the_dialects_names()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var meters = uow.Repository<Meter>().AsNoTracking();
        var level = 3;
        var names = new List<string> { "a", "b", "c" };
        var compiled = new QueryTemplate<Meter, ValueTuple<int>>((Expression<Func<Query<Meter>, int, Query<Meter>>>)((q, min) => q.Where(m => m.Level >= min)), [Placeholder<int>.Read()]);

        await AssertBoundAsync(meters.Query().Where(m => m.Level == level && names.Contains(m.Name!)).OrderBy(m => m.Id).Skip(1).Take(2), QueryOperation.Rows, slotsNamedByDialect: true);
        await AssertBoundAsync(compiled.Bind(meters, new(2)), QueryOperation.Rows, slotsNamedByDialect: true, take: 1);
    }

    [Test]
    public async Task A_query_of_more_than_64_values_binds_them_under_the_dialects_names()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var g = Expression.Parameter(typeof(Meter), "m");
        var level = Expression.Property(g, nameof(Meter.Level));
        var body = Enumerable.Range(0, 65).Select(i => (Expression)Expression.Equal(level, Expression.Constant(100 + i))).Aggregate(Expression.OrElse);
        var query = uow.Repository<Meter>().AsNoTracking().Query().Where(Expression.Lambda<Func<Meter, bool>>(body, g));

        var bound = await AssertBoundAsync(query, QueryOperation.Rows, slotsNamedByDialect: true);

        Assert.That(bound, Does.Contain(Provider.Dialect.ParameterName("p64")), "slot 64, past the names made once per dialect");
    }

    [Test]
    public async Task A_soft_delete_bulk_delete_binds_every_placeholder_its_text_holds()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var text = "old";

        // The marker's value is added by name (@__deleted): the statement's values may then keep their placeholders' names.
        await AssertBoundAsync(uow.Repository<Label>().Query().Where(l => l.Text == text), QueryOperation.Delete, slotsNamedByDialect: false);
    }

    // Adds the query's parameters to a command of the engine's driver; asserts that each placeholder of its text (after a list
    // rewrote it) has a parameter, and with slotsNamedByDialect that slots and paging are named as the dialect names them.
    private async Task<List<string>> AssertBoundAsync<T>(Query<T> query, QueryOperation operation, bool slotsNamedByDialect, int? take = null)
        where T : class
    {
        var (command, _) = query.Prepare(operation, take);
        await using var connection = await OpenConnectionAsync();
        await using DbCommand db = connection.CreateCommand();
        db.CommandText = command.Sql;
        command.Parameters!.AddTo(db);
        var bound = db.Parameters.Cast<DbParameter>().Select(p => p.ParameterName).ToList();
        var trimmed = bound.Select(n => n.TrimStart('@', ':', '?')).ToHashSet(StringComparer.Ordinal);
        var placeholders = PlaceholderPattern().Matches(db.CommandText).Select(m => m.Groups[1].Value).Distinct().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(placeholders, Is.Not.Empty, db.CommandText);
            foreach (var placeholder in placeholders)
            {
                Assert.That(trimmed, Does.Contain(placeholder), $"@{placeholder} of {db.CommandText} has a parameter (bound: {string.Join(", ", bound)})");
                if (slotsNamedByDialect && SlotOrPaging().IsMatch(placeholder))
                {
                    Assert.That(bound, Does.Contain(Provider.Dialect.ParameterName(placeholder)), $"@{placeholder} bound under the dialect's name (bound: {string.Join(", ", bound)})");
                }
            }
        }

        return bound;
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^(p[0-9]+|__skip|__take)$")]
    private static partial Regex SlotOrPaging();

    public sealed class Meter
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public int Level { get; set; }
    }

    public sealed class Label
    {
        public long Id { get; set; }

        public string Text { get; set; } = "";

        public DateTime? DeletedAt { get; set; }
    }

    private sealed class MeterMap : ModelConfiguration<Meter>
    {
        public override void Configure(EntityBuilder<Meter> e)
        {
            e.ToTable("bound_meters");
            e.HasKey(x => x.Id).IsClientAssigned();
            e.Property(x => x.Name).HasMaxLength(20);
        }
    }

    private sealed class LabelMap : ModelConfiguration<Label>
    {
        public override void Configure(EntityBuilder<Label> e)
        {
            e.ToTable("bound_labels");
            e.Property(l => l.Text).HasMaxLength(20);
            e.SoftDelete(l => l.DeletedAt);
        }
    }
}
