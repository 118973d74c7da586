using Npgsql;
using Premix.Execution;
using Premix.Providers.PostgreSql;

namespace Premix.Tests.Execution;

/// <summary>
/// When a command Premix wrote goes positional (<c>PositionalTexts</c>, PostgreSQL's dialect): only when its parameters
/// carry the names, in the order, that its text's cached form was worked out from; otherwise it goes named, its parameters
/// untouched, for Npgsql to read as before. No server: the commands are only bound.
/// </summary>
public sealed class PositionalTextsTests
{
    private static readonly PositionalTexts Texts = PositionalTexts.For(new PostgreSqlDialect());

    [Test]
    public void A_text_bound_again_with_the_same_names_in_the_same_order_goes_positional_each_time_and_its_names_are_cleared()
    {
        var sql = Text("""SELECT * FROM "t" WHERE "a" = @a AND "b" = @b""");

        var first = Command(sql, "a", "b");
        var second = Command(sql, "a", "b");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Texts.Bind(sql, first.Parameters), Is.EqualTo("""SELECT * FROM "t" WHERE "a" = $1 AND "b" = $2"""));
            Assert.That(Texts.Bind(sql, second.Parameters), Is.EqualTo("""SELECT * FROM "t" WHERE "a" = $1 AND "b" = $2"""));
            Assert.That(Names(second), Is.EqualTo(new[] { "", "" }), "bound by position");
        }
    }

    [Test]
    public void The_same_text_with_its_names_in_another_order_or_another_count_goes_named_with_its_parameters_untouched()
    {
        var sql = Text("""SELECT * FROM "t" WHERE "a" = @a AND "b" = @b""");
        Texts.Bind(sql, Command(sql, "a", "b").Parameters);

        var reordered = Command(sql, "b", "a");
        var fewer = Command(sql, "a");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Texts.Bind(sql, reordered.Parameters), Is.Null);
            Assert.That(Names(reordered), Is.EqualTo(new[] { "b", "a" }));
            Assert.That(Texts.Bind(sql, fewer.Parameters), Is.Null);
            Assert.That(Names(fewer), Is.EqualTo(new[] { "a" }));
        }
    }

    [Test]
    public void A_text_the_dialect_keeps_named_stays_named_on_every_run_and_a_command_without_parameters_is_left_alone()
    {
        var sql = Text("""SELECT * FROM "cost$" WHERE "a" = @a""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Texts.Bind(sql, Command(sql, "a").Parameters), Is.Null, "first run");
            var again = Command(sql, "a");
            Assert.That(Texts.Bind(sql, again.Parameters), Is.Null, "from the cached answer");
            Assert.That(Names(again), Is.EqualTo(new[] { "a" }));
            Assert.That(Texts.Bind(Text("SELECT 1"), Command("SELECT 1").Parameters), Is.Null);
        }
    }

    [Test]
    public void Every_database_of_the_engine_shares_one_set_of_forms()
    {
        Assert.That(PositionalTexts.For(new PostgreSqlDialect()), Is.SameAs(Texts));
    }

    // A string of its own, as a plan's text is: the forms are kept by the text's reference.
    private static string Text(string sql) => new(sql.AsSpan());

    private static NpgsqlCommand Command(string sql, params string[] names)
    {
        var command = new NpgsqlCommand(sql);
        foreach (var name in names)
        {
            command.Parameters.Add(new NpgsqlParameter(name, 1));
        }

        return command;
    }

    private static string[] Names(NpgsqlCommand command) => command.Parameters.Select(p => p.ParameterName).ToArray();
}
