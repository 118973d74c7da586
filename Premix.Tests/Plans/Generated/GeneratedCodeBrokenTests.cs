using Premix.Plans;
using Premix.Tests.Infrastructure;
using static Premix.Tests.Plans.Generated.GeneratedRelationsTests;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Generated code edited by hand so that a delegate the description calls for is missing (a navigation's getter, setter or
/// fill, a generated key's IsDefault, a converted property's conversions) or a relation's code is removed or reordered: the
/// start compares descriptions only and succeeds, and the first call of what is missing fails with the message a user sees,
/// naming the entity and the delegate. Through the stand-ins the plans hold (<see cref="GeneratedNavigation"/>,
/// <see cref="GeneratedPropertyAccessors"/>); engine-independent (SQLite provider): nothing is checked against the database.
/// </summary>
public sealed class GeneratedCodeBrokenTests
{
    private const string Edited = "; it was edited after premix optimize wrote it: run premix optimize again (docs/aot.md).";

    [Test]
    public void A_relations_code_removed_by_hand_fails_the_first_use_naming_the_count()
    {
        var shelf = Started<Shelf>("BrokenRelationRemoved", RelationsModel, text => Without(text, RelationHeader("HasOne Label ")));

        var error = Assert.Throws<InvalidOperationException>(() => _ = shelf.Code);

        Assert.That(error.Message, Is.EqualTo($"The generated code of Shelf has no code for each of its 2 relations (it has 1){Edited}"));
    }

    [Test]
    public void Relations_code_reordered_by_hand_fails_the_first_use_naming_both_relations()
    {
        var shelf = Started<Shelf>("BrokenRelationsReordered", RelationsModel, text =>
        {
            var books = Block(text, RelationHeader("HasMany Books "));
            var label = Block(text, RelationHeader("HasOne Label "));
            return books is null || label is null ? text : text.Replace(books, "@@books@@").Replace(label, books).Replace("@@books@@", label);
        });

        var error = Assert.Throws<InvalidOperationException>(() => _ = shelf.Code);

        Assert.That(error.Message, Does.StartWith("The generated code of Shelf has the code of the relation HasOne Label to ShelfLabel by ").And.Contain(" where its description has the relation HasMany Books to Book by ").And.EndWith(Edited));
    }

    [TestCase(typeof(Shelf), "HasMany Books ", "Get", "getter of the navigation Books")]
    [TestCase(typeof(GeneratedRelationsTests.Book), "BelongsTo Shelf ", "Set", "setter of the navigation Shelf")]
    [TestCase(typeof(GeneratedRelationsTests.Book), "HasMany Notes ", "Fill", "fill of the collection Notes")]
    public void A_navigation_accessor_removed_by_hand_fails_its_first_call_naming_it(Type entityType, string shape, string member, string what)
    {
        var entity = Started(entityType, "BrokenNavigation" + member, RelationsModel, text => WithoutMember(text, RelationHeader(shape), member));
        var index = entity.Relations.Select((r, i) => (r, i)).Single(r => r.r.Shape.StartsWith(shape, StringComparison.Ordinal)).i;
        var navigation = new GeneratedNavigation(entity, index);
        var instance = Activator.CreateInstance(entityType)!;

        var error = Assert.Throws<InvalidOperationException>(() => _ = member switch
        {
            "Get" => navigation.Getter()(instance),
            "Set" => Call(() => navigation.Setter()!(instance, null)),
            _ => navigation.Filler()(null, new ArraySegment<object>([]), false),
        });

        Assert.That(error.Message, Is.EqualTo($"The generated code of {entityType.Name} has no {what}{Edited}"));
    }

    [TestCase("Id", "IsDefault", "IsDefault of Id")]
    [TestCase("Status", "ReadStored", "stored-value getter of Status")]
    [TestCase("Status", "ToStored", "conversion to the stored value of Status")]
    [TestCase("Status", "FromStored", "conversion from the stored value of Status")]
    public void A_property_delegate_removed_by_hand_fails_its_first_call_naming_it(string property, string member, string what)
    {
        var ticket = Started<GeneratedConverterTests.Ticket>("BrokenProperty" + member, ConvertedModel, text => WithoutMember(text, $"            new(\"{property}\")\n", member));
        var accessors = new GeneratedPropertyAccessors(ticket, ticket.Properties.Select(p => p.Name).ToList().IndexOf(property));
        var instance = new GeneratedConverterTests.Ticket();

        var error = Assert.Throws<InvalidOperationException>(() => _ = member switch
        {
            "IsDefault" => accessors.IsDefault()(instance),
            "ReadStored" => accessors.StoredGetter()(instance),
            "ToStored" => accessors.ToStored()(GeneratedConverterTests.TicketStatus.Open),
            _ => accessors.FromStored()("Open"),
        });

        Assert.That(error.Message, Is.EqualTo($"The generated code of Ticket has no {what}{Edited}"));
    }

    private static void RelationsModel(PremixOptionsBuilder p) => Register(p);

    private static void ConvertedModel(PremixOptionsBuilder p) => GeneratedConverterTests.Register(p, new GeneratedConverterTests.TicketMap());

    private static object? Call(Action action)
    {
        action();
        return null;
    }

    private static string RelationHeader(string shape) => $"            new global::Premix.Plans.GeneratedRelationCode(\"{shape}";

    // The block of Code() that starts with the line holding header, through its closing line (12 spaces and '}'), or null.
    private static string? Block(string text, string header)
    {
        var start = text.IndexOf(header, StringComparison.Ordinal);
        if (start < 0)
        {
            return null; // another entity's file
        }

        var end = text.IndexOf("\n            }", start, StringComparison.Ordinal);
        end = text.IndexOf('\n', end + 1) + 1;
        return text[start..end];
    }

    private static string Without(string text, string header) => Block(text, header) is { } block ? text.Replace(block, "") : text;

    // The block with its line setting member removed.
    private static string WithoutMember(string text, string header, string member)
    {
        if (Block(text, header) is not { } block)
        {
            return text;
        }

        var line = block.Split('\n').Single(l => l.StartsWith($"                {member} = ", StringComparison.Ordinal));
        return text.Replace(block, block.Replace(line + "\n", ""));
    }

    private static GeneratedEntity Started<T>(string @namespace, Action<PremixOptionsBuilder> register, Func<string, string> edit) =>
        Started(typeof(T), @namespace, register, edit);

    // The model generated and edited, compiled, and a start on it, which succeeds (the descriptions match) and makes no code.
    private static GeneratedEntity Started(Type entityType, string @namespace, Action<PremixOptionsBuilder> register, Func<string, string> edit)
    {
        GeneratedModel model;
        using (var generating = PremixFactory.Create(p => register(p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)))))
        {
            model = GeneratedModels.CompileAll([(generating, @namespace)], edit)[0];
        }

        using var premix = PremixFactory.Create(p => register(p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).UseGeneratedModel(model)));
        var entity = model.Entity(entityType)!;
        Assert.That(entity.IsCodeMade, Is.False, "the start made no code");
        return entity;
    }
}
