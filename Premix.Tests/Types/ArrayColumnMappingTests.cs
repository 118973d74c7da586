using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Array properties (<c>T[]</c>, <c>List&lt;T&gt;</c>) on each engine: PostgreSQL maps them to array columns
/// (<see cref="ArrayColumnTests"/>); SQLite and MySQL/MariaDB have no array types, so the start fails naming each property
/// and offering StoredAsJson(), never storing the values in another shape unasked.
/// </summary>
public sealed class ArrayColumnMappingTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public void Array_properties_start_on_PostgreSQL_and_are_refused_elsewhere_with_StoredAsJson_as_the_fix()
    {
        IPremix Start() => CreatePremix(p => p.AddModelConfiguration(new ArticleMap()));

        if (Engine == Engine.PostgreSql)
        {
            using var premix = Start();
            Assert.That(premix.Model.Entities.Single().Properties.Single(p => p.Name == "Tags").ArrayElementType, Is.EqualTo(typeof(string)));
            return;
        }

        var error = Assert.Throws<MappingException>(() => Start().Dispose())!;
        var engineName = Engine == Engine.Sqlite ? "SQLite" : "MySQL/MariaDB";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain($"Article.Tags: is a String[], which PostgreSQL stores as an array column, but {engineName} has no array types."));
            Assert.That(error.Message, Does.Contain("Article.Scores: is a List<Int32>").And.Contain("Article.Ratings: is a Int32?[]").And.Contain("Article.Notes: is a List<String>"));
            Assert.That(error.Message, Does.Contain("StoredAsJson()"));
        }
    }

    [Test]
    public async Task An_array_property_mapped_StoredAsJson_is_a_JSON_document_on_every_engine()
    {
        using var premix = CreatePremix(p => p.AddModelConfiguration(new JsonArticleMap()));
        await RecreateTablesAsync(premix);
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Article>().Add(new Article { Title = "t", Tags = ["a", "b"], Scores = [1], Ratings = [null, 2], Notes = ["n"] });
            await uow.CommitAsync();
        }

        var stored = await ScalarAsync<string>($"SELECT {Q("Tags")} FROM {Q(ArticleMap.Table)}");
        Assert.That(System.Text.Json.JsonSerializer.Deserialize<string[]>(stored!), Is.EqualTo(new[] { "a", "b" }));
    }

    private sealed class JsonArticleMap : ModelConfiguration<Article>
    {
        public override void Configure(EntityBuilder<Article> e)
        {
            e.ToTable(ArticleMap.Table);
            e.Property(a => a.Tags).StoredAsJson();
            e.Property(a => a.Scores).StoredAsJson();
            e.Property(a => a.Ratings).StoredAsJson();
            e.Property(a => a.Notes).StoredAsJson();
        }
    }
}
