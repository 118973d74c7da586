using Premix.Execution;

namespace Premix.Tests.Execution;

/// <summary>
/// Premix's Dapper handlers, arm by arm, without a database: each shape a supported driver returns (SQLite text and blobs,
/// MySQL DATETIME and TIME, a driver's own type, another number) parses into the registered type itself. Dapper casts what
/// a handler returns to that type (<c>TypeHandlerCache&lt;T&gt;.Parse</c>), so an arm returning another type, which the
/// handler's <c>Func&lt;object, object&gt;</c> lets compile, would fail every read of that shape.
/// </summary>
public sealed class ReadConversionsTests
{
    private static readonly Guid Id = new("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return Case(typeof(Guid), "0f8fad5b-d9cb-469f-a165-70867728950e", Id);
        yield return Case(typeof(Guid), Id.ToByteArray(), Id);
        yield return Case(typeof(Guid), Id, Id);
        yield return Case(typeof(DateTimeOffset), "2026-01-02 03:04:05 +01:00", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)));
        yield return Case(typeof(DateTimeOffset), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        yield return Case(typeof(DateTimeOffset), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));
        yield return Case(typeof(DateOnly), "2026-01-02", new DateOnly(2026, 1, 2));
        yield return Case(typeof(DateOnly), new DateTime(2026, 1, 2), new DateOnly(2026, 1, 2));
        yield return Case(typeof(DateOnly), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 2));
        yield return Case(typeof(TimeOnly), "03:04:05.5", new TimeOnly(3, 4, 5, 500));
        yield return Case(typeof(TimeOnly), new TimeSpan(0, 3, 4, 5, 500), new TimeOnly(3, 4, 5, 500));
        yield return Case(typeof(TimeOnly), new TimeOnly(3, 4, 5), new TimeOnly(3, 4, 5));
        yield return Case(typeof(TimeSpan), "1.03:04:05", new TimeSpan(1, 3, 4, 5));
        yield return Case(typeof(TimeSpan), new TimeSpan(1, 3, 4, 5), new TimeSpan(1, 3, 4, 5));
        yield return Case(typeof(decimal), "12.5", 12.5m);
        yield return Case(typeof(decimal), "1.25E1", 12.5m);
        yield return Case(typeof(decimal), 12.5d, 12.5m);
        yield return Case(typeof(decimal), 12L, 12m);
        yield return Case(typeof(decimal), 12.5m, 12.5m);
    }

    [TestCaseSource(nameof(Shapes))]
    public void A_shape_a_driver_returns_parses_into_the_registered_type(Type type, object read, object expected)
    {
        var parsed = Handler(type).Parse(type, read);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.TypeOf(type));
            Assert.That(parsed, Is.EqualTo(expected));
        }
    }

    [Test]
    public void Every_handled_type_has_a_case_here()
    {
        Assert.That(ReadConversions.Handlers.Select(h => h.Type), Is.EquivalentTo(Shapes().Select(c => (Type)c.Arguments[0]!).Distinct()));
    }

    private static Dapper.SqlMapper.ITypeHandler Handler(Type type) => ReadConversions.Handlers.Single(h => h.Type == type).Handler;

    private static TestCaseData Case(Type type, object read, object expected) =>
        new TestCaseData(type, read, expected).SetArgDisplayNames(type.Name, $"{read.GetType().Name} {read}");
}
