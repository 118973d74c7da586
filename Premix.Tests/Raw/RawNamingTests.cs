using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Raw;

/// <summary>
/// Raw SQL maps columns as the model names them: with snake_case, <c>SELECT *</c> fills a mapped entity and any other
/// class or record (<c>payment_id</c> fills <c>PaymentId</c>); a column renamed with <c>HasColumnName</c> fills its
/// property. Strict mode still reports what fits nothing.
/// </summary>
public sealed class RawNamingTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new PaymentMap()).AddModelConfiguration(new PayerMap()));
        await RecreateTablesAsync(_premix);
        await using var connection = await OpenConnectionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO payment (payment_id, customer_name, amount_paid) VALUES (7, 'Ada', 12.50);
            INSERT INTO payer (id, full_name) VALUES (1, 'Ada Lovelace');
            """;
        await insert.ExecuteNonQueryAsync();
    }

    [TearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task Select_star_fills_every_property_of_a_mapped_entity_under_snake_case()
    {
        var payment = await _premix.Raw("SELECT * FROM payment").ReadOnly().Strict().FetchSingleAs<Payment>();

        Assert.That((payment.PaymentId, payment.CustomerName, payment.AmountPaid), Is.EqualTo((7L, "Ada", 12.50m)));
    }

    [Test]
    public async Task Snake_case_columns_fill_an_unmapped_class_and_a_positional_record()
    {
        var row = await _premix.Raw("SELECT payment_id, amount_paid FROM payment").FetchSingleAs<PaymentRow>();
        var record = await _premix.Raw("SELECT payment_id, customer_name FROM payment").FetchSingleAs<PaymentRecord>();

        Assert.That((row.PaymentId, row.AmountPaid), Is.EqualTo((7L, 12.50m)));
        Assert.That(record, Is.EqualTo(new PaymentRecord(7, "Ada")));
    }

    [Test]
    public async Task A_column_named_by_HasColumnName_fills_its_property()
    {
        var payer = await _premix.Raw("SELECT * FROM payer").Strict().FetchSingleAs<Payer>();

        Assert.That((payer.Id, payer.Name), Is.EqualTo((1L, "Ada Lovelace")));
    }

    [Test]
    public void Strict_mode_reports_a_column_that_fits_nothing_under_either_name()
    {
        var error = Assert.ThrowsAsync<RawMappingException>(() => _premix.Raw("SELECT payment_id, 1 AS stray_column FROM payment").Strict().FetchAs<PaymentRow>());

        Assert.That(error!.UnmatchedColumns, Is.EqualTo(new[] { "stray_column" }));
    }

    public sealed class Payment
    {
        public long PaymentId { get; set; }

        public string CustomerName { get; set; } = "";

        public decimal AmountPaid { get; set; }
    }

    public sealed class Payer
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";
    }

    public sealed class PaymentRow
    {
        public long PaymentId { get; set; }

        public decimal AmountPaid { get; set; }
    }

    public sealed record PaymentRecord(long PaymentId, string CustomerName);

    private sealed class PaymentMap : ModelConfiguration<Payment>
    {
        public override void Configure(EntityBuilder<Payment> e)
        {
            e.HasKey(p => p.PaymentId).IsClientAssigned();
            e.Property(p => p.AmountPaid).HasPrecision(10, 2);
        }
    }

    private sealed class PayerMap : ModelConfiguration<Payer>
    {
        public override void Configure(EntityBuilder<Payer> e)
        {
            e.HasKey(p => p.Id).IsClientAssigned();
            e.Property(p => p.Name).HasColumnName("full_name");
        }
    }
}
