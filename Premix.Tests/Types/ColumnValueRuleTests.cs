using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Providers.Sqlite;

namespace Premix.Tests.Types;

/// <summary>
/// The column value rules on their own, without a database: what a commit's validation costs, and what the rules
/// derive from a mapping (the SQL-facing behaviour is in <see cref="ColumnValueTests"/>, on every engine).
/// </summary>
public sealed class ColumnValueRuleTests
{
    private static readonly Model Charges = new ModelBuilder().Add(new ChargeMap()).Build();

    // .NET 10 may keep a box that does not escape on the stack, where the check is inlined: the regression shows for sure with
    // DOTNET_JitObjectStackAllocation=0 (48 bytes a call before the fix).
    [Test]
    public void Checking_a_finite_double_or_float_allocates_nothing()
    {
        // SQLite cannot store NaN: its double and float columns have a rule, which reads each value typed.
        var plan = new PlanCompiler(new SqliteDialect()).Compile(Charges.Get(typeof(Charge)));
        var rules = plan.Properties.Where(b => b.Name is nameof(Charge.Rate) or nameof(Charge.Ratio)).Select(b => b.ValueRule!).ToArray();
        var charge = new Charge { Rate = 1.5, Ratio = 2.5f };
        // The least of a few rounds: a round may be charged for the runtime's own work (tiering up) on this thread.
        var allocated = Enumerable.Range(0, 5).Min(_ =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                foreach (var rule in rules)
                {
                    rule.Broken(charge);
                }
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void A_scale_over_28_still_leaves_only_precision_minus_scale_digits_before_the_point()
    {
        var rule = DigitsOf(p => p.HasPrecision(30, 30));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rule.BrokenValue(0.123456789m), Is.Null, "a fraction fits");
            Assert.That(rule.BrokenValue(1m), Is.EqualTo(
                "is 1, with 1 digit before the decimal point; the column keeps 0 (precision 30, scale 30). Declare a larger precision, and widen the column to match."));
            Assert.That(rule.BrokenValue(99.99m), Does.StartWith("is 99.99, with 2 digits before the decimal point; the column keeps 0 (precision 30, scale 30)."));
        }
    }

    [Test]
    public void A_dialect_written_before_StoredValues_existed_still_compiles_and_limits_no_values()
    {
        var plan = new PlanCompiler(new DialectWithoutStoredValues()).Compile(Charges.Get(typeof(Charge)));

        Assert.That(plan.Properties.Where(b => b.Name is nameof(Charge.Rate) or nameof(Charge.Ratio)).Select(b => b.ValueRule), Is.All.Null, "NaN and infinity are the engine's to judge");
        Assert.That(((ISqlDialect)new DialectWithoutStoredValues()).StoredValues, Is.EqualTo(StoredValueLimits.None));
    }

    // The rule of a decimal property mapped by configure, as a plan for SQLite builds it.
    private static DecimalDigits DigitsOf(Action<PropertyBuilder> configure, ISqlDialect? dialect = null)
    {
        var model = new ModelBuilder().Add(new NumberMap(configure)).Build();
        var plan = new PlanCompiler(dialect ?? new SqliteDialect()).Compile(model.Get(typeof(Number)));
        return (DecimalDigits)plan.Properties.Single(b => b.Name == nameof(Number.Value)).ValueRule!;
    }

    public sealed class Number
    {
        public long Id { get; set; }

        public decimal Value { get; set; }
    }

    private sealed class NumberMap(Action<PropertyBuilder> configure) : ModelConfiguration<Number>
    {
        public override void Configure(EntityBuilder<Number> e) => configure(e.Property(x => x.Value));
    }

    // An external dialect: only the members without a default, as one written against an earlier Premix.
    private sealed class DialectWithoutStoredValues : ISqlDialect
    {
        private readonly SqliteDialect _sqlite = new();

        public bool BatchesInsertsReturningKeys => false;

        public bool BatchReportsRowsPerStatement => false;

        public string QuoteIdentifier(string identifier) => _sqlite.QuoteIdentifier(identifier);

        public string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey) => _sqlite.Insert(table, columns, parameters, generatedKey);

        public string Paging(bool skip, bool take) => _sqlite.Paging(skip, take);

        public string ColumnType(PropertyModel property) => _sqlite.ColumnType(property);

        public Func<object, object>? ParameterConversion(PropertyModel property) => null;
    }
}
