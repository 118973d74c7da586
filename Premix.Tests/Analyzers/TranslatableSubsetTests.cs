using System.Linq.Expressions;
using Premix.Analyzers.Querying;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Analyzers;

/// <summary>
/// Keeps PMX1003 and the translator together: every method the analyzer accepts in a Where (<see cref="TranslatableSubset"/>)
/// has a sample here that calls exactly that method, and the sample runs on each engine and finds the rows it should
/// (arranged through plain SQL). An entry added to the analyzer without a translated sample fails here.
/// </summary>
public sealed class TranslatableSubsetTests(Engine engine) : PremixTest(engine)
{
    private static readonly string Prefix = "ha";
    private static readonly string Suffix = "aw";
    private static readonly string Part = "it";
    private static readonly List<string> NameList = ["saw", "kite"];
    private static readonly long[] IdArray = [1, 3];
    private static readonly int?[] StockArray = [0, 4]; // int? is not IEquatable<int?>: C# binds the overload with a comparer

    /// <summary>One Where per entry, and the names of the rows it must find among hammer (id 1, stock 10), saw (2, 0) and kite (3, 4).</summary>
    private static readonly Dictionary<string, (Expression<Func<Product, bool>> Where, string[] Expected)> Samples = new()
    {
        ["string.StartsWith"] = (p => p.Name.StartsWith(Prefix), ["hammer"]),
        ["string.EndsWith"] = (p => p.Name.EndsWith(Suffix), ["saw"]),
        ["string.Contains"] = (p => p.Name.Contains(Part), ["kite"]),
        ["collection.Contains"] = (p => NameList.Contains(p.Name), ["kite", "saw"]),
        ["Enumerable.Contains"] = (p => Enumerable.Contains(NameList, p.Name), ["kite", "saw"]),
        ["MemoryExtensions.Contains"] = (p => IdArray.Contains(p.Id), ["hammer", "kite"]),
        ["MemoryExtensions.Contains(comparer)"] = (p => StockArray.Contains(p.Stock), ["kite", "saw"]),
    };

    /// <summary>Entries an engine of its own translates, proven by their own fixture.</summary>
    private static readonly string[] EngineSpecific = [TranslatableSubsetPostgreSqlTests.Entry];

    private IPremix _premix = null!;

    public static IEnumerable<string> SampleNames => Samples.Keys;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ProductMap());
        foreach (var (name, stock) in new[] { ("hammer", 10), ("saw", 0), ("kite", 4) })
        {
            await ExecuteAsync($"INSERT INTO {Q("products")} ({Q("Name")}, {Q("Price")}, {Q("Stock")}, {Q("Category")}, {Q("Discontinued")}) VALUES (@name, 1, @stock, 'Tools', @no)", new { name, stock, no = false });
        }
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public void Every_method_the_analyzer_accepts_has_a_sample() =>
        Assert.That(Samples.Keys.Concat(EngineSpecific).Order(), Is.EqualTo(TranslatableSubset.WhereMethods.Select(m => m.Name).Order()));

    [TestCaseSource(nameof(SampleNames))]
    public async Task Each_method_the_analyzer_accepts_is_translated_and_finds_its_rows(string entry)
    {
        var (where, expected) = Samples[entry];
        AssertCalls(where, TranslatableSubset.WhereMethods.Single(m => m.Name == entry));

        await using var uow = _premix.BeginUnitOfWork();
        var rows = await uow.Repository<Product>().Query().Where(where).ToListAsync();

        Assert.That(rows.Select(r => r.Name).Order(), Is.EqualTo(expected));
    }

    /// <summary>The sample's one method call is the analyzer's entry: its declaring type, name, static-ness and parameters.</summary>
    internal static void AssertCalls(LambdaExpression sample, TranslatableMethod entry)
    {
        var method = ((MethodCallExpression)sample.Body).Method;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(method.Name, Is.EqualTo(entry.Method));
            Assert.That(method.IsStatic, Is.EqualTo(entry.IsStatic));
            Assert.That(method.GetParameters(), Has.Length.EqualTo(entry.ParameterCount));
            Assert.That(entry.ContainingType is null ? typeof(System.Collections.IEnumerable).IsAssignableFrom(method.DeclaringType) : method.DeclaringType!.FullName == entry.ContainingType, $"{method.DeclaringType} is not {entry.ContainingType ?? "a collection"}");
            Assert.That(entry.ParameterType is null || method.GetParameters().All(p => p.ParameterType.FullName == entry.ParameterType), $"{method} does not take {entry.ParameterType}");
        }
    }
}
