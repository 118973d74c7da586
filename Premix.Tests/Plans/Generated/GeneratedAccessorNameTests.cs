using System.Data;
using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Two properties whose names C# identifiers spell alike (A_B and AéB: the accent becomes '_') each get their own
/// UnsafeAccessor in the generated code, so neither column is written into the other property. Needs no database: the
/// generated row reader reads a DataTable's row.
/// </summary>
public sealed class GeneratedAccessorNameTests
{
    [Test]
    public void Private_setters_of_properties_whose_names_spell_alike_as_identifiers_each_set_their_own_property()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new LookalikeMap()));
        var code = GeneratedModels.Compile(premix, "Lookalikes").Entities.Single();
        var plan = ((PremixDatabase)premix).Runtime.Plans[typeof(Lookalike)];
        var table = new DataTable();
        var values = new Dictionary<string, object> { [nameof(Lookalike.Id)] = 5L, [nameof(Lookalike.A_B)] = "plain", [nameof(Lookalike.AéB)] = "accented" };
        foreach (var binding in plan.Properties)
        {
            table.Columns.Add(binding.Property.Column, values[binding.Property.Name].GetType());
        }

        table.Rows.Add([.. plan.Properties.Select(b => values[b.Property.Name])]);
        using var rows = table.CreateDataReader();
        rows.Read();

        var read = (Lookalike)code.Code.ReadRow(rows);
        var assigned = new Lookalike();
        code.Code.Assign(read, assigned);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((read.Id, read.A_B, read.AéB), Is.EqualTo((5L, "plain", "accented")));
            Assert.That((assigned.A_B, assigned.AéB), Is.EqualTo(("plain", "accented")));
        }
    }

    public sealed class Lookalike
    {
        public long Id { get; set; }

        public string A_B { get; private set; } = "";

        public string AéB { get; private set; } = "";
    }

    public sealed class LookalikeMap : ModelConfiguration<Lookalike>
    {
        public override void Configure(EntityBuilder<Lookalike> e)
        {
            e.ToTable("lookalikes");
            e.HasKey(l => l.Id);
            e.Property(l => l.A_B);
            e.Property(l => l.AéB);
        }
    }
}
