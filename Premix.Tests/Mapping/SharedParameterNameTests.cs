using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>
/// Two properties bound under parameter names the drivers cannot tell apart fail the start, each on its own column: names
/// that differ only by case (MySqlConnector refused the second at the first commit; Npgsql, matching names ignoring case,
/// wrote the first's value into both columns), and a value object's member bound as a property's name (Money.Amount is
/// Money_Amount).
/// </summary>
public sealed class SharedParameterNameTests
{
    [Test]
    public void Properties_whose_names_differ_only_by_case_are_refused_at_start_with_the_fix()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new TwinMap()).Build());

        Assert.That(error!.Problems.Single().ToString(), Is.EqualTo(
            "Twin.Code: is bound as statement parameter 'Code', which drivers cannot tell from another property's (Code and CODE): they match parameter names ignoring case, and a value object's member Money.Amount is bound as Money_Amount. Fix: Rename one of the properties."));
    }

    [Test]
    public void A_value_objects_member_bound_under_a_propertys_name_is_refused_at_start()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new PricedMap()).Build());

        Assert.That(error!.Problems.Select(p => p.ToString()), Has.One.Contains("statement parameter 'Money_Amount'").And.Contain("Money.Amount and Money_Amount"));
    }

    private sealed class Twin
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

#pragma warning disable CA1707, IDE1006 // the point of the test: a second property named like the first but for case
        public string CODE { get; set; } = "";
#pragma warning restore CA1707, IDE1006
    }

    private sealed class TwinMap : ModelConfiguration<Twin>
    {
        public override void Configure(EntityBuilder<Twin> e)
        {
            e.ToTable("twins");
            e.Property(t => t.Code).HasColumnName("code_a");
            e.Property(t => t.CODE).HasColumnName("code_b");
        }
    }

    private sealed class Money
    {
        public decimal Amount { get; set; }
    }

    private sealed class Priced
    {
        public long Id { get; set; }

        public Money Money { get; set; } = new();

#pragma warning disable CA1707 // the point of the test: a property named as the value object's member is bound
        public decimal Money_Amount { get; set; }
#pragma warning restore CA1707
    }

    private sealed class PricedMap : ModelConfiguration<Priced>
    {
        public override void Configure(EntityBuilder<Priced> e)
        {
            e.ToTable("priced");
            e.Owns(p => p.Money);
            e.Property(p => p.Money_Amount).HasColumnName("money_amount_copy");
        }
    }
}
