using System.Text.RegularExpressions;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Generated code edited by hand in its <c>Code</c> method (a property's accessors removed, two reordered, as a bad merge
/// of Generated/ leaves them) is not seen by the start, which compares the descriptions only; the entity's first use, which
/// makes its code (<see cref="GeneratedEntity.Code"/>, what every stand-in of its plans calls first), fails naming the
/// entity and what was edited, before any accessor sets or compares one property through another's. Engine-independent:
/// the code is checked before any SQL runs.
/// </summary>
public sealed class GeneratedCodeEditedTests
{
    // One property's block of Code(): new("Name") { ... },
    private static readonly Regex PropertyCode = new(@"^ {12}new\(""(?<name>\w+)""\)\r?\n {12}\{\r?\n(?:.*\r?\n)*? {12}\},\r?\n", RegexOptions.Multiline);

    [Test]
    public void Accessors_reordered_by_hand_start_and_fail_the_first_use_naming_both_properties()
    {
        var entity = StartedTicket("EditedReordered", text =>
        {
            var blocks = PropertyCode.Matches(text);
            if (blocks.Count == 0)
            {
                return text; // the model's file
            }

            var (status, due) = (blocks.Single(b => b.Groups["name"].Value == "Status"), blocks.Single(b => b.Groups["name"].Value == "Due"));
            return string.Concat(text.AsSpan(0, status.Index), due.Value, status.Value, text.AsSpan(due.Index + due.Length));
        });

        var error = Assert.Throws<InvalidOperationException>(() => _ = entity.Code);

        Assert.That(error.Message, Is.EqualTo("The generated code of Ticket has the accessors of Due where its description has the property Status; it was edited after premix optimize wrote it: run premix optimize again (docs/aot.md)."));
    }

    [Test]
    public void Accessors_removed_by_hand_start_and_fail_the_first_use_naming_the_entity()
    {
        var entity = StartedTicket("EditedRemoved", text => PropertyCode.Replace(text, m => m.Groups["name"].Value == "Note" ? "" : m.Value));

        var error = Assert.Throws<InvalidOperationException>(() => _ = entity.Code);

        Assert.That(error.Message, Is.EqualTo("The generated code of Ticket has no accessors for each of its 4 properties (it has 3); it was edited after premix optimize wrote it: run premix optimize again (docs/aot.md)."));
    }

    // Ticket's generated model with its text edited, compiled, and a start on it (which succeeds: the descriptions match).
    private static GeneratedEntity StartedTicket(string @namespace, Func<string, string> edit)
    {
        GeneratedModel model;
        using (var generating = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new GeneratedModelMismatchTests.TicketMap())))
        {
            model = GeneratedModels.CompileAll([(generating, @namespace)], edit)[0];
        }

        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new GeneratedModelMismatchTests.TicketMap()).UseGeneratedModel(model));
        var entity = model.Entity(typeof(GeneratedModelMismatchTests.Ticket))!;
        Assert.That(entity.IsCodeMade, Is.False, "the start made no code");
        return entity;
    }
}
