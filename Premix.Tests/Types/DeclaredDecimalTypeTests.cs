using System.Globalization;
using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// A decimal on a column type named without digits (<c>HasColumnType("decimal")</c>) keeps what its engine gives that
/// type: MySQL and MariaDB make it DECIMAL(10,0) and would drop the fraction with only a note, so the value is refused
/// before SQL there; PostgreSQL's bare numeric and SQLite keep any decimal. Rounding needs the column's digits: on a type
/// whose digits Premix cannot tell, it is a mapping problem at startup, not a silent guess (docs/types.md).
/// </summary>
public sealed class DeclaredDecimalTypeTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_bare_decimal_column_keeps_a_fraction_on_SQLite_and_PostgreSQL_and_refuses_it_before_SQL_on_MariaDB_where_it_is_decimal_10_0()
    {
        var premix = await CreatePremixWithTablesAsync(new BareMap());
        var price = new Bare { Price = 1.5m };

        if (Engine == Engine.MySql)
        {
            var error = Assert.ThrowsAsync<ValidationException>(() => AddAsync(premix, price))!;
            Assert.That(error.Failures.Single().ToString(), Does.StartWith(
                "Bare (new, position 1 in the commit).Price: is 1.5, with 1 decimal place; the column keeps 0 (column type decimal, which MySQL/MariaDB keeps as decimal(10,0))."));
            Assert.That(await CountRowsAsync(BareMap.Table), Is.Zero, "nothing was written");
            return;
        }

        await AddAsync(premix, price);
        await using var connection = await OpenConnectionAsync();
        var stored = await connection.ExecuteScalarAsync<object>($"SELECT {Q("Price")} FROM {Q(BareMap.Table)}");
        Assert.That(Convert.ToDecimal(stored, CultureInfo.InvariantCulture), Is.EqualTo(1.5m), "kept exactly");
    }

    [TestCase("money")]
    [TestCase("numeric")]
    public void Rounding_on_a_column_type_whose_digits_are_unknown_is_a_mapping_problem_at_startup(string columnType)
    {
        // A bare numeric is DECIMAL(10,0) on MySQL and MariaDB: its digits are known there, and Rounding rounds to them.
        if (columnType == "numeric" && Engine == Engine.MySql)
        {
            Assert.That(() => CreatePremix(p => p.AddModelConfiguration(new RoundedMap(columnType))), Throws.Nothing);
            return;
        }

        var error = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new RoundedMap(columnType))))!;

        Assert.That(error.Problems.Select(p => (p.Entity, p.Property)), Is.EqualTo(new[] { ("Bare", "Price") }));
        Assert.That(error.Problems.Single().Problem, Does.Contain($"has Rounding, but Premix cannot tell the digits of its column type {columnType}"));
    }

    private static async Task AddAsync(IPremix premix, Bare bare)
    {
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Bare>().Add(bare);
        await uow.CommitAsync();
    }

    public sealed class Bare
    {
        public long Id { get; set; }

        public decimal Price { get; set; }
    }

    private sealed class BareMap : ModelConfiguration<Bare>
    {
        public const string Table = "bare_prices";

        public override void Configure(EntityBuilder<Bare> e)
        {
            e.ToTable(Table);
            e.Property(x => x.Price).HasColumnType("decimal");
        }
    }

    private sealed class RoundedMap(string columnType) : ModelConfiguration<Bare>
    {
        public override void Configure(EntityBuilder<Bare> e) => e.Property(x => x.Price).HasColumnType(columnType).Rounding(MidpointRounding.ToEven);
    }
}
