using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// The descriptions generated code of format 4 holds as text (<see cref="GeneratedDescription"/>): whatever characters a
/// name, SQL text or read shape holds, the entity reads back what was written; a description edited so that it no longer
/// reads fails the start, naming the entity, after the format check. Engine-independent: the start opens no connection.
/// </summary>
public sealed class GeneratedDescriptionTests
{
    private static readonly Type[] Types = [typeof(long), typeof(string)];

    [Test]
    public void Texts_holding_spaces_line_breaks_colons_digits_and_any_character_read_back_as_written()
    {
        const string Sql = "SELECT \"a b\"\n, '12:3 -' AS \"é✓\" FROM t WHERE x = @Id -- \r\n\t";
        var description = GeneratedDescription.Table("main.the table")
            + GeneratedDescription.Property("Id", "id", 0, "stored as System.Int64, required", null)
            + GeneratedDescription.Property("Name", "na:me 2", 1, "", "v => v.Trim() -\n")
            + GeneratedDescription.Relation("HasMany (no navigation) to Line by OrderId", null, false)
            + GeneratedDescription.Relation("HasOne Label to Label by OrderId", "Label", true)
            + GeneratedDescription.Statement("SelectByKey", Sql, ["Id", "-", ""])
            + GeneratedDescription.Statement("Count", "SELECT COUNT(*) FROM t", []);

        var entity = new GeneratedEntity(typeof(Order), Unused, description, Types);

        Assert.That(
            (entity.Table,
             entity.Properties.Select(p => (p.Name, p.Column, p.Type, p.ReadShape, p.Converter)),
             entity.Relations.Select(r => (r.Shape, r.Navigation, r.SetsNavigation)),
             entity.Statements.Select(s => (s.Name, s.Sql, string.Join("|", s.Parameters)))),
            Is.EqualTo((
                "main.the table",
                new[] { ("Id", "id", typeof(long), "stored as System.Int64, required", (string?)null), ("Name", "na:me 2", typeof(string), "", "v => v.Trim() -\n") },
                new[] { ("HasMany (no navigation) to Line by OrderId", (string?)null, false), ("HasOne Label to Label by OrderId", "Label", true) },
                new[] { ("SelectByKey", Sql, "Id|-|"), ("Count", "SELECT COUNT(*) FROM t", "") })));
        Assert.That(entity.IsCodeMade, Is.False, "reading the description makes no code");
    }

    // What the generator writes, pinned: a change made alike to the writer and the reader would pass the round trip above.
    [Test]
    public void The_writer_writes_each_record_as_its_kind_and_fields_each_text_as_its_length_a_colon_and_the_text()
    {
        Assert.That(
            GeneratedDescription.Table("t") + GeneratedDescription.Property("Id", "id", 0, "r", null)
                + GeneratedDescription.Relation("HasOne L", "L", true) + GeneratedDescription.Statement("Count", "SELECT 1", ["Id", ""]),
            Is.EqualTo("T 1:t\nP 2:Id 2:id 0 1:r -\nR 8:HasOne L 1:L 1\nS 5:Count 8:SELECT 1 2:Id 0:\n"));
    }

    // The generator writes the description as a C# string literal (CSharpText.Literal), which the compiler folds into the
    // constant the model reads: characters the literal must escape come back as they were.
    [Test]
    public void Texts_the_literal_must_escape_read_back_through_the_compiled_constant()
    {
        const string Awkward = "back\\slash \"quote\" cr\r nul\0 ls\u2028 pair\U0001F600 lone\uD800 end";
        var description = GeneratedDescription.Table(Awkward) + GeneratedDescription.Property(Awkward, "c", 0, Awkward, Awkward);
        var tree = CSharpSyntaxTree.ParseText($"static class Plan {{ internal const string D = {CSharpText.Literal(description)}; }}");
        var compilation = CSharpCompilation.Create("Literal", [tree], [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);
        var constant = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>().Single();

        var compiled = (string)compilation.GetSemanticModel(tree).GetConstantValue(constant.Initializer!.Value).Value!;
        var property = new GeneratedEntity(typeof(Order), Unused, compiled, Types).Properties.Single();

        Assert.That((compiled == description, property.Name, property.ReadShape, property.Converter), Is.EqualTo((true, Awkward, Awkward, Awkward)));
    }

    [TestCase("T 9:orders\n", "a text's length is not followed by a colon and that many characters (at line 1 of the description)")]
    [TestCase("T 6:orders\nP 2:Id 2:id 2 4:read -\n", "type 2 is not in the model's 2 types (at line 2 of the description)")]
    [TestCase("T 6:orders\nP 2:Id 2:id 0 4:read\n", "a field is missing (at line 2 of the description)")]
    [TestCase("T 6:orders x\n", "a record goes on past its last field (at line 1 of the description)")]
    [TestCase("P 2:Id 2:id 0 4:read -\n", "it has no table")]
    [TestCase("T 6:orders\nX 1:a\n", "'X' is not a record kind here (at line 2 of the description)")]
    [TestCase("T 6:orders\n\n", "U+000A is not a record kind here (at line 2 of the description)")]
    [TestCase("T 6:orders\nR 1:x - 2\n", "a flag is 2, not 0 or 1 (at line 2 of the description)")]
    public void A_description_edited_so_it_no_longer_reads_fails_the_start_naming_the_entity_and_where(string description, string where)
    {
        var error = Start(GeneratedModel.CurrentFormat, description);

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            $"The generated description of Ticket is not one premix optimize writes: {where}; it was edited after premix optimize wrote it: run premix optimize again (docs/aot.md).",
        }));
    }

    // Code another premix optimize wrote (a newer format, or a format this Premix no longer reads) may hold records this
    // reader does not know: its start names the format, which is what to fix, not the records.
    [Test]
    public void A_description_of_another_format_that_does_not_read_here_fails_the_start_naming_only_its_format()
    {
        var error = Start(GeneratedModel.CurrentFormat + 1, "F 1:x\nT 7:tickets\n");

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            $"It was written by premix optimize in generated-code format {GeneratedModel.CurrentFormat + 1}, and this version of Premix reads format {GeneratedModel.CurrentFormat} (what generated code holds has changed: regenerate).",
        }));
    }

    // The start opens no connection: nothing can be written.
    private static GeneratedModelMismatchException Start(int format, string description)
    {
        var generated = new GeneratedModel("sqlite", format, [new GeneratedEntity(typeof(GeneratedModelMismatchTests.Ticket), Unused, description, Types)]);
        return Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new GeneratedModelMismatchTests.TicketMap()).UseGeneratedModel(generated)))!;
    }

    private static GeneratedEntityCode Unused() => throw new AssertionException("reading a description makes no code");

    private sealed class Order;
}
