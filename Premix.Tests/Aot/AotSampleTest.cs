using Dapper;
using System.Text.Json;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Aot;

/// <summary>
/// A fixture driving one build of the AOT sample over HTTP on the fixture's database: the sample's tables (authors,
/// books, sales, sale_lines, line_notes) created by Premix in this JIT process from the sample's own mapping classes, then the sample started on
/// them with its provider, connection string and the fixture's own arguments; the app is killed after the fixture.
/// </summary>
public abstract class AotSampleTest(Engine engine, AotSampleBuild build) : PremixTest(engine)
{
    /// <summary>The sample's JSON (camelCase, as minimal APIs write it).</summary>
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The engines the sample has generated models for (samples/Premix.AotSample/Generated).</summary>
    public static IEnumerable<Engine> AotEngines { get; } = [Engine.Sqlite, Engine.PostgreSql, Engine.MySql];

    /// <summary>The sample's builds on each engine it ships generated models for (samples/Premix.AotSample/Generated).</summary>
    public static IEnumerable<TestFixtureData> EnginesAndBuilds { get; } =
        [.. AotEngines.SelectMany(engine => Enum.GetValues<AotSampleBuild>().Select(build => new TestFixtureData(engine, build)))];

    /// <summary>The build this fixture runs.</summary>
    protected AotSampleBuild Build => build;

    /// <summary>The running sample.</summary>
    private protected NativeAotApp App { get; private set; } = null!;

    /// <summary>A client on <see cref="App"/>.</summary>
    protected HttpClient Client => App.Client;

    /// <summary>Drops and creates the sample's tables, empty; the sample names its columns in snake_case (UseNamingConvention).</summary>
    protected async Task RecreateSampleTablesAsync()
    {
        await using var premix = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase)
            .AddModelConfiguration(new AotShop.AuthorMap()).AddModelConfiguration(new AotShop.BookMap()).AddModelConfiguration(new AotShop.SaleMap())
            .AddModelConfiguration(new AotShop.SaleLineMap()).AddModelConfiguration(new AotShop.LineNoteMap()));
        await RecreateTablesAsync(premix);
    }

    /// <summary>Starts the sample on the fixture's database with <paramref name="arguments"/> besides its provider and connection string.</summary>
    protected async Task StartSampleAsync(params string[] arguments)
    {
        App = await NativeAotApp.StartAsync(build, [$"--Premix:shop:Provider={NativeAotApp.ProviderName(Engine)}", $"--ConnectionStrings:shop={ConnectionString}", .. arguments]);
    }

    [OneTimeTearDown]
    public async Task StopTheSampleAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>The keys plain SQL selects.</summary>
    protected async Task<List<long>> IdsAsync(string sql, object args)
    {
        await using var connection = await OpenConnectionAsync();
        return [.. await connection.QueryAsync<long>(sql, args)];
    }
}
