using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Raw;

/// <summary>Raw SQL maps onto any class or record, values always travel as parameters, strict mode reports stray columns.</summary>
public sealed class RawQueryTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new CustomerMap());
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var (name, visits) in new[] { ("Ada", 3), ("Bob", 5), ("Cy", 0) })
        {
            uow.Repository<Customer>().Add(new Customer { Name = name, Visits = visits });
        }

        await uow.CommitAsync();
    }

    [Test]
    public async Task FetchAs_maps_rows_onto_a_positional_record_through_its_constructor()
    {
        // COUNT(*) is a 64-bit integer on every engine, so it matches the long parameter exactly (docs/raw-sql.md).
        var rows = await _premix.Raw($"SELECT {I("Name")} AS Name, COUNT(*) AS Matches FROM {I("customers")} WHERE {I("Visits")} > {1} GROUP BY {I("Name")} ORDER BY {I("Name")}")
            .FetchAs<NameCount>();

        Assert.That(rows, Is.EqualTo(new[] { new NameCount("Ada", 1), new NameCount("Bob", 1) }));
    }

    [Test]
    public async Task FetchAs_maps_onto_a_record_with_init_properties_converting_numeric_types()
    {
        var verbatim = $"SELECT {Q("Name")} AS Name, {Q("Visits")} * 2 AS Doubled FROM {Q("customers")} WHERE {Q("Visits")} > @min ORDER BY {Q("Name")}";
        var rows = await _premix.Raw(verbatim, new { min = 1 })
            .FetchAs<VisitReport>();

        Assert.That(rows, Is.EqualTo(new[] { new VisitReport { Name = "Ada", Doubled = 6 }, new VisitReport { Name = "Bob", Doubled = 10 } }));
    }

    [Test]
    public async Task FetchAs_maps_onto_a_class_with_settable_properties_and_ignores_unmatched_columns()
    {
        var rows = await _premix.Raw($"SELECT {I("Name")} AS Name, 1 AS Unrelated FROM {I("customers")} ORDER BY {I("Name")}").FetchAs<NameOnly>();

        Assert.That(rows.Select(r => r.Name), Is.EqualTo(new[] { "Ada", "Bob", "Cy" }));
    }

    [Test]
    public void Strict_mode_names_every_column_that_fits_nothing()
    {
        var query = _premix.Raw($"SELECT {I("Name")} AS Name, 1 AS unrelated, 2 AS other FROM {I("customers")}").Strict();

        var error = Assert.ThrowsAsync<RawMappingException>(() => query.FetchAs<NameOnly>());

        Assert.That(error!.UnmatchedColumns, Is.EqualTo(new[] { "unrelated", "other" }));
        Assert.That(error.Message, Does.Contain("'unrelated', 'other'").And.Contain("NameOnly"));
    }

    [Test]
    public async Task Strict_mode_maps_normally_when_every_column_fits()
    {
        var rows = await _premix.Raw($"SELECT {I("Name")} AS Name FROM {I("customers")} ORDER BY {I("Name")}").Strict().FetchAs<NameOnly>();

        Assert.That(rows, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task FetchOneAs_returns_null_when_there_is_no_row()
    {
        var none = await _premix.Raw($"SELECT {I("Name")} AS Name FROM {I("customers")} WHERE {I("Name")} = {"Nobody"}").FetchOneAs<NameOnly>();
        var one = await _premix.Raw($"SELECT {I("Name")} AS Name FROM {I("customers")} WHERE {I("Name")} = {"Bob"}").FetchOneAs<NameOnly>();

        Assert.That(none, Is.Null);
        Assert.That(one!.Name, Is.EqualTo("Bob"));
    }

    [Test]
    public void FetchSingleAs_refuses_none_and_many_rows_with_a_message_saying_what_to_use()
    {
        var none = Assert.ThrowsAsync<PremixException>(() => _premix.Raw($"SELECT {I("Name")} AS Name FROM {I("customers")} WHERE 1 = 0").FetchSingleAs<NameOnly>());
        var many = Assert.ThrowsAsync<PremixException>(() => _premix.Raw($"SELECT {I("Name")} AS Name FROM {I("customers")}").FetchSingleAs<NameOnly>());

        Assert.That(none!.Message, Does.Contain("returned none").And.Contain("FetchOneAs"));
        Assert.That(many!.Message, Does.Contain("returned more than one"));
    }

    [Test]
    public async Task ScalarAs_and_ExecuteAsync_return_the_value_and_the_affected_rows()
    {
        var total = await _premix.Raw($"SELECT SUM({I("Visits")}) FROM {I("customers")}").ScalarAs<int>();
        var affected = await _premix.Raw($"UPDATE {I("customers")} SET {I("Visits")} = {I("Visits")} + 1 WHERE {I("Visits")} > {0}").ExecuteAsync();

        Assert.That(total, Is.EqualTo(8));
        Assert.That(affected, Is.EqualTo(2));
        Assert.That(await ScalarAsync<int>($"SELECT SUM({Q("Visits")}) FROM {Q("customers")}"), Is.EqualTo(10));
    }

    [Test]
    public async Task Hostile_values_travel_as_parameters_and_change_nothing_else()
    {
        const string Hostile = "x'); DROP TABLE customers; -- \\ \" ` 🚀";

        var update = $"UPDATE {Q("customers")} SET {Q("Name")} = @hostile WHERE {Q("Name")} = @name";
        var affected = await _premix.Raw(update, new { hostile = Hostile[..20], name = "Cy" }).ExecuteAsync();
        var matched = await _premix.Raw($"SELECT COUNT(*) FROM {I("customers")} WHERE {I("Name")} = {Hostile}").ScalarAs<long>();

        Assert.That(affected, Is.EqualTo(1));
        Assert.That(matched, Is.Zero);
        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(3));
        Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")} WHERE {Q("Visits")} = 0"), Is.EqualTo(Hostile[..20]));
    }

    [Test]
    public void A_failing_raw_statement_raises_a_premix_exception_keeping_the_driver_error()
    {
        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => _premix.Raw("SELECT * FROM no_such_table").FetchAs<NameOnly>());

        Assert.That(error!.Operation, Is.EqualTo("Raw"));
        Assert.That(error.Sql, Is.EqualTo("SELECT * FROM no_such_table"));
        Assert.That(error.InnerException, Is.InstanceOf<System.Data.Common.DbException>());
    }

    [Test]
    public async Task Raw_in_a_unit_of_work_uses_its_connection()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var names = await uow.Raw($"SELECT {I("Name")} AS Name FROM {I("customers")} ORDER BY {I("Name")}").FetchAs<NameOnly>();

        Assert.That(names, Has.Count.EqualTo(3));
    }

    public sealed record NameCount(string Name, long Matches);

    public sealed record VisitReport
    {
        public string Name { get; init; } = "";

        public long Doubled { get; init; }
    }

    public sealed class NameOnly
    {
        public string Name { get; set; } = "";
    }
}
