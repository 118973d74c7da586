using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// A value object's members its base class declares are configured by the map like its own (<c>Ignore(v =&gt; v.Hidden)</c>,
/// <c>Property(v =&gt; v.Code).HasColumnName(...)</c>), on every engine: the lambda names the base class's property, which
/// the model build once failed to match with the value object's, so the ignored member still got a column and the
/// column name was lost. The table and the row are read by plain SQL.
/// </summary>
public sealed class InheritedValueObjectMemberTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new JarMap()));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task An_inherited_member_of_a_value_object_that_the_map_ignores_has_no_column_and_one_it_renames_uses_the_new_name()
    {
        var jar = new Jar { Label = new JarLabel { Text = "jam", Code = "J1", Hidden = "secret" } };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Jar>().Add(jar);
            await uow.CommitAsync();
        }

        Jar loaded;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            loaded = await uow.Repository<Jar>().GetAsync(jar.Id);
        }

        await using var connection = await OpenConnectionAsync();
        var row = (IDictionary<string, object>)await connection.QuerySingleAsync($"SELECT * FROM {Q(JarMap.Table)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Keys, Is.EquivalentTo(new[] { "id", "label_text", "label_serial" }), "no column for the ignored Hidden; Code's column renamed");
            Assert.That((row["label_text"], row["label_serial"]), Is.EqualTo(((object)"jam", (object)"J1")));
            Assert.That((loaded.Label.Text, loaded.Label.Code, loaded.Label.Hidden), Is.EqualTo(("jam", "J1", (string?)null)), "the ignored member is neither written nor read");
        }
    }

    public class JarLabelBase
    {
        public string? Hidden { get; set; }

        public string Code { get; set; } = "";
    }

    public sealed class JarLabel : JarLabelBase
    {
        public string Text { get; set; } = "";
    }

    public sealed class Jar
    {
        public long Id { get; set; }

        public JarLabel Label { get; set; } = new();
    }

    private sealed class JarMap : ModelConfiguration<Jar>
    {
        public const string Table = "owned_jars";

        public override void Configure(EntityBuilder<Jar> e)
        {
            e.ToTable(Table);
            e.Owns(j => j.Label, l =>
            {
                l.Ignore(v => v.Hidden);
                l.Property(v => v.Code).HasColumnName("label_serial");
            });
        }
    }
}
