using Premix.Tests.Infrastructure;

namespace Premix.Tests.Raw;

/// <summary>
/// <c>AddRowReader&lt;T&gt;</c>: raw rows fetched as exactly <c>T</c> are built by the application's reader instead of Dapper's
/// mapping by column name (what native AOT applications need); a later registration replaces an earlier one.
/// </summary>
public sealed class RawRowReaderTests(Engine engine) : PremixTest(engine)
{
    [SetUp]
    public async Task CreateTableAsync()
    {
        using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()));
        await RecreateTablesAsync(premix);
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Ada', 3), ('Bob', 5)");
    }

    [Test]
    public async Task FetchAs_FetchOneAs_and_FetchSingleAs_build_the_rows_with_the_registered_reader()
    {
        using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()).AddRowReader(row => new Visitor { Name = "read:" + row.GetString(0), Visits = row.GetInt32(1) * 10 }));
        var sql = $"SELECT {Q("Name")}, {Q("Visits")} FROM {Q("customers")} ORDER BY {Q("Name")}";

        var all = await premix.Raw(sql).FetchAs<Visitor>();
        var one = await premix.Raw(sql).FetchOneAs<Visitor>();
        var single = await premix.Raw($"SELECT {I("Name")}, {I("Visits")} FROM {I("customers")} WHERE {I("Name")} = {"Bob"}").FetchSingleAs<Visitor>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(v => (v.Name, v.Visits)), Is.EqualTo(new[] { ("read:Ada", 30), ("read:Bob", 50) }));
            Assert.That((one!.Name, one.Visits), Is.EqualTo(("read:Ada", 30)));
            Assert.That((single.Name, single.Visits), Is.EqualTo(("read:Bob", 50)));
        }
    }

    [Test]
    public async Task A_second_reader_for_the_same_type_replaces_the_first()
    {
        using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap())
            .AddRowReader(row => new Visitor { Name = "first:" + row.GetString(0) })
            .AddRowReader(row => new Visitor { Name = "second:" + row.GetString(0) }));

        var rows = await premix.Raw($"SELECT {I("Name")} FROM {I("customers")} ORDER BY {I("Name")}").FetchAs<Visitor>();

        Assert.That(rows.Select(v => v.Name), Is.EqualTo(new[] { "second:Ada", "second:Bob" }));
    }

    [Test]
    public async Task A_reader_registered_for_a_base_class_is_not_used_for_a_derived_one()
    {
        using var premix = CreatePremix(p => p.AddModelConfiguration(new CustomerMap()).AddRowReader(row => new Visitor { Name = "base:" + row.GetString(0) }));

        var rows = await premix.Raw($"SELECT {I("Name")} AS Name, {I("Visits")} AS Visits FROM {I("customers")} ORDER BY {I("Name")}").FetchAs<FrequentVisitor>();

        Assert.That(rows.Select(v => v.Name), Is.EqualTo(new[] { "Ada", "Bob" }), "the lookup is by the exact type; Dapper maps FrequentVisitor by column name");
    }

    [Test]
    public void Registering_no_reader_is_refused_naming_the_argument()
    {
        var error = Assert.Throws<ArgumentNullException>(() => CreatePremix(p => p.AddModelConfiguration(new CustomerMap()).AddRowReader<Visitor>(null!)));

        Assert.That(error!.ParamName, Is.EqualTo("read"));
    }

    public class Visitor
    {
        public string Name { get; set; } = "";

        public int Visits { get; set; }
    }

    public sealed class FrequentVisitor : Visitor;
}
