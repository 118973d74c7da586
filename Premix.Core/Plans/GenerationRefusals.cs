using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// What the first phase of the generated model does not cover, per entity and property: each would still need a compiled
/// expression or reflection at run time, so it is refused at generation rather than emitted half-generated or wrong. The
/// start runs the same checks on a registered generated model's entities, so a feature added to a mapping after generation
/// (a JSON column on a property the generated reader reads without one) fails the start instead of being read wrong. A value
/// converter is generated when <see cref="ConverterText"/> can print it, and refused naming the construct otherwise.
/// </summary>
internal static class GenerationRefusals
{
    /// <summary>Every refusal for <paramref name="model"/>, one sentence each naming the entity (and property) and the feature.</summary>
    public static List<string> Find(Model model) => Find(model.Entities);

    /// <summary>
    /// Every refusal for <paramref name="entities"/>, one sentence each naming the entity (and property) and the feature; what
    /// the start looks for again.
    /// </summary>
    public static List<string> Find(IEnumerable<EntityModel> entities)
    {
        var refusals = new List<string>();
        foreach (var entity in entities)
        {
            Entity(entity, refusals);
            foreach (var property in entity.Properties)
            {
                if (Property(property) is { } feature)
                {
                    refusals.Add($"{entity.Name}.{property.Name}: {feature}.");
                }
            }
        }

        return refusals;
    }

    private static void Entity(EntityModel entity, List<string> refusals)
    {
        var type = entity.ClrType;
        if (entity.Inheritance is not null)
        {
            refusals.Add($"{entity.Name}: table-per-hierarchy mapping (HasDiscriminator) is not generated yet.");
        }

        // HasMany, HasOne and BelongsTo are generated with their navigations; a polymorphic one also reads and writes its
        // type column through compiled accessors and checks each target's type at run time.
        var polymorphic = entity.Relations.Where(r => r.IsPolymorphic).Select(r => r.Navigation?.Name ?? r.Target.Name).Distinct().ToList();
        if (polymorphic.Count > 0)
        {
            refusals.Add($"{entity.Name}: polymorphic relations (BelongsToOneOf: {string.Join(", ", polymorphic)}) are not generated yet: their navigations read through compiled accessors.");
        }

        // A named filter's values (its constants, static members, readonly number fields) are read per query by generated
        // readers, printed as C#; the tenant column's value is the unit of work's tenant. A value the printer refuses (a
        // captured local, object or text, a member generated code cannot reach) would need a compiled delegate; the printer's
        // refusal of a value that could change says the way out, as it does for a converter's.
        foreach (var filter in entity.QueryFilters.Where(GeneratedFilter.IsGenerated))
        {
            if (GeneratedFilter.ValuesOf(filter, type, out var why) is null)
            {
                refusals.Add($"{entity.Name}: its query filter \"{filter.Name}\" cannot be written as C#: {why}.");
            }
        }

        var owners = GeneratedValueObject.Of(entity);
        foreach (var owner in owners)
        {
            if ((ValueObject(owner) ?? RequiredMembers(owner, entity, owners)) is { } problem)
            {
                refusals.Add($"{entity.Name}.{owner.Name}: {problem}.");
            }
        }

        if (type.IsGenericType || type.IsAbstract)
        {
            refusals.Add($"{entity.Name}: a generic or abstract entity class cannot be created by generated code.");
        }

        if (type.IsNested && !(type.IsNestedPublic || type.IsNestedAssembly))
        {
            refusals.Add($"{entity.Name}: it is a private or protected nested class, which generated code outside {type.DeclaringType!.Name} cannot name; make it internal or public.");
        }

        // Generated code creates a class whose parameterless constructor is not public (or that has required members)
        // through an UnsafeAccessor, which still compiles once that constructor is gone and only throws
        // MissingMethodException at the first read. Asked only while dynamic code is on (the JIT start, tests, premix
        // optimize): under native AOT the branch is not compiled, because the metadata of a constructor nothing reflects
        // on is trimmed there and asking would refuse most entities; the native binary relies on the JIT start.
        if (RuntimeFeature.IsDynamicCodeSupported && type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is null)
        {
            refusals.Add($"{entity.Name}: it needs a parameterless constructor (it may be private) so generated code can create it from a row.");
        }
    }

    // Value objects (Owns) are generated as classes and records the generated code names and creates with new(...); these
    // it cannot create or set.
    private static string? ValueObject(OwnedModel owner) => owner.ClrType switch
    {
        { IsNested: true } nested when !(nested.IsNestedPublic || nested.IsNestedAssembly) => $"its class {owner.ClrType.Name} is a private or protected nested class, which generated code outside {nested.DeclaringType!.Name} cannot name; make it internal or public",
        { IsGenericType: true } => $"its class {owner.ClrType.Name} is generic, which generated code does not name yet",
        _ when owner.Parent is null && owner.Navigation.SetMethod is null => $"its property has no setter (not even a private or init one), so a row cannot put the value object into {owner.Navigation.DeclaringType!.Name}",
        _ => null,
    };

    // C# requires new T(...) { ... } to set every required member of T, its base classes' included, unless the constructor
    // has [SetsRequiredMembers]. The generated reader sets in its initializer every mapped member, those the constructor takes
    // included (the same column's value again, which C# accepts), so a class whose required members are all mapped and
    // have a public setter (or init) is made as C# allows; any other one is refused, naming the members the initializer
    // could not set.
    private static string? RequiredMembers(OwnedModel owner, EntityModel entity, List<OwnedModel> owners)
    {
        var type = owner.ClrType;
        var required = RequiredMembersOf(type).ToList();
        if (required.Count == 0 || owner.Constructor.IsDefined(typeof(System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute), inherit: false))
        {
            return null;
        }

        var mapped = entity.Properties.Where(p => p.Owner == owner).Select(p => p.Property.Name)
            .Concat(owners.Where(o => o.Parent == owner).Select(o => o.Navigation.Name))
            .ToHashSet(StringComparer.Ordinal);
        var unmapped = required.Where(m => m is not PropertyInfo || !mapped.Contains(m.Name)).Select(m => m.Name).ToList();
        if (unmapped.Count > 0)
        {
            return $"its class {type.Name} has the required {Members(unmapped)}, which {(unmapped.Count == 1 ? "is" : "are")} not mapped, so generated code cannot set {(unmapped.Count == 1 ? "it" : "them")} in new {type.Name}(...) {{ ... }} (its constructor has no [SetsRequiredMembers]); map {(unmapped.Count == 1 ? "it" : "them")}, remove required or add [SetsRequiredMembers] to the constructor";
        }

        // C# lets an internal class's required member have an internal setter; generated code sets only public setters
        // in its initializer (others through accessors after new, which C# rejects for a required member).
        var hidden = required.Cast<PropertyInfo>().Where(p => p.SetMethod is not { IsPublic: true }).Select(p => p.Name).ToList();
        return hidden.Count > 0
            ? $"its class {type.Name} has the required {Members(hidden)}, whose setter is not public, so generated code cannot set {(hidden.Count == 1 ? "it" : "them")} in new {type.Name}(...) {{ ... }} (its constructor has no [SetsRequiredMembers]); make the setter public (or init), remove required or add [SetsRequiredMembers] to the constructor"
            : null;
    }

    private static string Members(List<string> names) => (names.Count == 1 ? "member " : "members ") + string.Join(", ", names);

    // The required properties and fields of a value object's class, its base classes' included (GetMembers lists properties
    // before fields; RequiredMemberAttribute on the class is not inherited, so the members are looked at, not the class).
    // Its public properties are kept for the model build (OwnedModel.Members); a required field, which is never mapped, is
    // named if trimming kept it.
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Only looks for required members to name in a refusal; a field trimming removed is never set by generated code either.")]
    private static IEnumerable<MemberInfo> RequiredMembersOf(Type type) =>
        type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(m => m is PropertyInfo or FieldInfo && m.IsDefined(typeof(RequiredMemberAttribute), inherit: false));

    /// <summary>Why <paramref name="property"/> is not generated, or <see langword="null"/> when it is.</summary>
    /// <remarks>
    /// A value object's member without a setter is taken by its constructor (the mapping refuses one that is not), so only an
    /// entity's own property needs a setter.
    /// </remarks>
    public static string? Property(PropertyModel property) => property switch
    {
        { StoresJson: true } => "a JSON column (StoredAsJson) is not generated yet",
        { Converter: { } converter } when ConverterText.Print(converter, ConverterText.HomeOf(property), out var why) is null => $"its value converter cannot be written as C#: {why}",
        { ArrayElementType: not null } => "an array column is not generated yet",
        { CompositeType: not null } => "a composite-type column is not generated yet",
        { EnumStorage: EnumStorage.EnumType } => "an enum stored as a database enum type is not generated yet",
        { Property.SetMethod: null, Owner: null } => "it has no setter (not even a private or init one), so neither Premix nor generated code can set it from a row",
        { Property.GetMethod: null } => "it has no getter",
        { Property.DeclaringType: { } declaring } when declaring.IsGenericType => "it is declared by a generic base class, which generated code does not name yet",
        _ => null,
    };
}
