using Premix.Providers.PostgreSql;

namespace Premix.Tests.Providers;

/// <summary>
/// The positional form of a statement Premix wrote for PostgreSQL (<c>@name</c> as <c>$n</c>, the parameter's place among
/// those bound), which Npgsql sends without parsing; a text it cannot read exactly as Npgsql's parser would stays named
/// (<see langword="null"/>), for Npgsql to read as before. The statements themselves run on PostgreSQL in
/// <see cref="Execution.PositionalPlaceholderTests"/>.
/// </summary>
public sealed class PostgreSqlPositionalTextTests
{
    [Test]
    public void Each_placeholder_becomes_the_place_of_its_parameter_in_binding_order_not_in_text_order()
    {
        var text = PostgreSqlPositionalText.Of("""UPDATE "t" SET "a" = @A, "b" = @B WHERE "id" = @Id AND "v" = @V""", ["Id", "V", "A", "B"]);

        Assert.That(text, Is.EqualTo("""UPDATE "t" SET "a" = $3, "b" = $4 WHERE "id" = $1 AND "v" = $2"""));
    }

    [Test]
    public void A_placeholder_used_twice_takes_the_same_place_and_a_name_that_begins_another_is_not_mistaken_for_it()
    {
        var text = PostgreSqlPositionalText.Of("""SELECT * FROM "t" WHERE "a" = @p1 OR "b" = @p10 OR "c" = @p1 LIMIT @__take""", ["p1", "p10", "@__take"]);

        Assert.That(text, Is.EqualTo("""SELECT * FROM "t" WHERE "a" = $1 OR "b" = $2 OR "c" = $1 LIMIT $3"""));
    }

    [Test]
    public void At_signs_in_literals_quoted_identifiers_and_operators_and_double_colon_casts_are_left_as_they_are()
    {
        var text = PostgreSqlPositionalText.Of(
            """SELECT "at@sign" FROM "t" WHERE "r" @> @p0 AND "q" <@ @p1 AND "d" @@ @p2 AND "n" = 'a@p0''s @p1' AND "x"::text = @p3""",
            ["p0", "p1", "p2", "p3"]);

        Assert.That(text, Is.EqualTo("""SELECT "at@sign" FROM "t" WHERE "r" @> $1 AND "q" <@ $2 AND "d" @@ $3 AND "n" = 'a@p0''s @p1' AND "x"::text = $4"""));
    }

    [TestCase("SELECT @p0::int, e'x', 'a'\n'b', \"j\" ->> 'k', \"j\" #> @p1, \"n\"-@p0", new[] { "p0", "p1" }, "SELECT $1::int, e'x', 'a'\n'b', \"j\" ->> 'k', \"j\" #> $2, \"n\"-$1", TestName = "A cast right after a placeholder, E strings without a backslash, concatenated literals, JSON operators and a minus")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @a.b AND "b" = @a""", new[] { "a.b", "a" }, """SELECT * FROM "t" WHERE "a" = $1 AND "b" = $2""", TestName = "A dot continues a placeholder's name, as Npgsql reads it")]
    [TestCase("""SELECT * FROM "t" WHERE "code" = @Code AND "CODE" = @CODE""", new[] { "Code", "CODE" }, """SELECT * FROM "t" WHERE "code" = $1 AND "CODE" = $2""", TestName = "Two names that differ only by case each bind their own placeholder")]
    public void Placeholders_are_read_where_Npgsql_reads_them(string sql, string[] names, string expected)
    {
        Assert.That(PostgreSqlPositionalText.Of(sql, names), Is.EqualTo(expected));
    }

    [TestCase("""SELECT "a"[1:2] FROM "t" WHERE "b" = @p0""", new[] { "p0" }, TestName = "An array slice, which Npgsql would read as a colon placeholder, keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @p0 AND "b" = @p1""", new[] { "p0" }, TestName = "A placeholder that names no parameter keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @p0""", new[] { "p0", "p1" }, TestName = "A parameter no placeholder uses keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @p0""", new[] { "p0", "@p0" }, TestName = "Two parameters of one name keep the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @P0""", new[] { "p0" }, TestName = "A name that matches only ignoring case keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @p0 AND "b" = :p1""", new[] { "p0", "p1" }, TestName = "A colon placeholder keeps the text named")]
    [TestCase("""SELECT * FROM "cost$" WHERE "a" = @p0""", new[] { "p0" }, TestName = "A dollar sign keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @p0 AND "b" = E'\'' """, new[] { "p0" }, TestName = "A backslash keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @p0; SELECT 1""", new[] { "p0" }, TestName = "A semicolon keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = @p0 -- @p1""", new[] { "p0", "p1" }, TestName = "A line comment keeps the text named")]
    [TestCase("""SELECT * FROM "t" /* @p1 */ WHERE "a" = @p0""", new[] { "p0", "p1" }, TestName = "A block comment keeps the text named")]
    [TestCase("""SELECT * FROM "t" WHERE "a" = 'open @p0""", new[] { "p0" }, TestName = "An unclosed quote keeps the text named")]
    [TestCase("""SELECT 1""", new string[0], TestName = "A statement without parameters keeps its text")]
    public void A_text_the_rewrite_cannot_read_as_Npgsql_would_stays_named(string sql, string[] names)
    {
        Assert.That(PostgreSqlPositionalText.Of(sql, names), Is.Null);
    }
}
