using Premix.Mapping;
using Premix.Plans;
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
}
