using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations;

/// <summary>
/// Which unmapped CHECK the diff takes for a polymorphic navigation's check from before its targets changed (and drops),
/// and which it leaves alone: only one named after the table's key columns that says "exactly one of them is set", in the
/// forms the engines read back. A check a person wrote under a similar name is kept.
/// </summary>
public sealed class StaleCheckRecognitionTests(Engine engine) : ProviderTest(engine)
{
    [TestCase("num_nonnulls(article_id, photo_id) = 1", true)]
    [TestCase("(`article_id` is not null) + (`photo_id` is not null) = 1", true)]
    [TestCase("((article_id IS NOT NULL) + (photo_id IS NOT NULL)) = 1", true)]
    [TestCase("article_id IS NOT NULL OR photo_id IS NOT NULL", false)]
    [TestCase("num_nonnulls(article_id, rating) = 1", false)]
    public void An_unmapped_check_named_after_key_columns_is_dropped_only_when_it_says_exactly_one_of_them_is_set(string definition, bool dropped)
    {
        var desired = Reviews([new CheckSchema("ck_reviews_article_id_photo_id_clip_id", ["article_id", "photo_id", "clip_id"])]);
        var actual = Reviews([new CheckSchema("ck_reviews_article_id_photo_id", ["article_id", "photo_id"]) { Definition = definition }]);

        var operations = SchemaDiffer.Diff(new DatabaseSchema([desired]), new DatabaseSchema([actual]), Provider.SchemaSupport()!.Schema);

        // SQLite drops a check by rebuilding the table, which carries the drop among its changes.
        var drops = operations.SelectMany(o => o is RebuildTable rebuild ? rebuild.Changes : [o]).OfType<DropCheck>();
        Assert.That(drops.Select(d => d.Check.Name), Is.EqualTo(dropped ? new[] { "ck_reviews_article_id_photo_id" } : []));
    }

    private static TableSchema Reviews(IReadOnlyList<CheckSchema> checks) => new(
        null,
        "reviews",
        [.. new[] { "id", "article_id", "photo_id", "clip_id", "rating" }.Select(c => new ColumnSchema(c, "integer", c != "id", null, false))],
        ["id"],
        [],
        []) { Checks = checks };
}
