using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// Turns a value object declared with <c>Owns</c> into one <see cref="PropertyModel"/> per member, each with its column in
/// the owner's table, after checking that Premix can store the members and create the object from them. A value object it
/// owns in turn (<c>a.Owns(v =&gt; v.Geo)</c>) adds its members the same way, their columns prefixed by both properties.
/// </summary>
internal sealed class OwnedMembers(
    OwnedDraft owned,
    Type entityType,
    NamingConvention naming,
    IReadOnlySet<Type> mappedTypes,
    Func<PropertyInfo, PropertyDraft?, string, bool, (Type StoredType, bool IsRequired, ValueConverter? Converter)?> check,
    Action<string, string, string> problem)
{
    /// <summary>
    /// The nullable type of a value type as the generated model names it, or <see langword="null"/> without one: while dynamic
    /// code is off the members of value types are read through it, as <see cref="Nullable{T}"/> cannot be made at run time.
    /// </summary>
    public Func<Type, Type?>? NullableOf { get; init; }

    public IEnumerable<PropertyModel> Create(bool declaredBySubtype) => Members(owned, null, naming.Convert(owned.Navigation.Name), declaredBySubtype) ?? [];

    // The columns of one value object and of those it owns, or null when it cannot be mapped (its problems are reported).
    private List<PropertyModel>? Members(OwnedDraft draft, OwnedModel? parent, string prefix, bool declaredBySubtype)
    {
        var navigation = draft.Navigation;
        var type = draft.ClrType;
        var path = parent is null ? navigation.Name : $"{parent.Name}.{navigation.Name}";
        if (type != navigation.PropertyType)
        {
            // The members are read from the class Owns names (what trimming keeps), so it must be the property's own.
            problem(path, $"is a value object (Owns) declared as {type.Name}, but the property is of type {navigation.PropertyType.Name}.", $"Write Owns(x => x.{navigation.Name}) without a type argument, or Owns<{navigation.PropertyType.Name}>(...).");
            return null;
        }

        if (!RuntimeFeature.IsDynamicCodeSupported && NullableOf is null)
        {
            problem(path, $"is a value object (Owns), whose value-type members are read as nullable types, which only a generated model names while {DynamicCode.Off}, and Premix starts without one.", $"Run premix optimize and register its model with UseGeneratedModel(...), map its members as properties of {entityType.Name}, or {DynamicCode.TurnOn}.");
            return null;
        }

        if (mappedTypes.Contains(type))
        {
            problem(path, $"is a value object (Owns), but {type.Name} is an entity with a mapping of its own: a value object has no table and no key.", $"Remove the mapping class of {type.Name} to store it in {entityType.Name}'s table, or declare a relation (HasOne or BelongsTo) instead of Owns.");
            return null;
        }

        if (ScalarTypes.IsSupported(type) || type.IsAbstract || type.IsInterface || typeof(IEnumerable).IsAssignableFrom(type))
        {
            problem(path, $"is a value object (Owns), but {EntityModelFactory.TypeName(type)} is {(ScalarTypes.IsSupported(type) ? "a type one column stores" : "not a concrete class of several values")}.", ScalarTypes.IsSupported(type) ? $"Map it with Property(x => x.{navigation.Name}) instead of Owns." : "Owns takes a class or record whose properties are the columns.");
            return null;
        }

        // Owns inside Owns of the same type (a Node owning its Next) would need a column set per level, without end.
        if (parent?.Path.FirstOrDefault(o => o.ClrType == type) is { } cycle)
        {
            problem(path, $"is a value object (Owns) of type {type.Name} inside {cycle.Name}, a value object of the same type: the columns of such a cycle never end.", $"Store {path} as a document with StoredAsJson(), as rows of an entity of their own, or leave it out with Ignore(v => v.{navigation.Name}).");
            return null;
        }

        var members = DeclarationOrder.Of(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && !draft.Ignored.Contains(p)))
            .ToList();
        var constructor = Constructor(type, members);
        if (constructor is null)
        {
            problem(path, $"is a value object (Owns) of type {type.Name}, which has no public constructor Premix can call: one without parameters, or one whose parameters are named and typed like its properties.", $"Add such a constructor to {type.Name} (a positional record has one).");
            return null;
        }

        var parameters = constructor.GetParameters().Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var model = new OwnedModel(navigation, type, draft.Required ?? ReferenceNullability.ReadState(navigation) == NullabilityState.NotNull, parent) { Constructor = constructor };
        var required = model.Path.All(o => o.IsRequired); // a member of a value object an optional one holds may be NULL too
        var result = new List<PropertyModel>();
        var refused = false;
        foreach (var member in members)
        {
            var declared = draft.Properties.GetValueOrDefault(member);
            var name = $"{path}.{member.Name}";
            var settable = member.SetMethod is not null || parameters.Contains(member.Name);
            if (draft.Owned.TryGetValue(member, out var nested))
            {
                if (!settable)
                {
                    problem(name, $"is a value object (Owns) that Premix cannot put into {type.Name}: it has no setter and no constructor parameter.", $"Give {type.Name}.{member.Name} a setter (init is enough) or take it in a constructor parameter of the same name.");
                    refused = true;
                }
                else if (Members(nested, model, $"{prefix}_{naming.Convert(member.Name)}", declaredBySubtype) is { } columns)
                {
                    result.AddRange(columns);
                }
                else
                {
                    refused = true;
                }

                continue;
            }

            if (!settable && declared is null)
            {
                continue; // computed, read-only members are not columns, as on an entity
            }

            if (declared?.CompositeTypeName is not null)
            {
                problem(name, $"is a member of a value object (Owns) stored as a composite type, which Premix maps only on an entity's own properties.", $"Map {type.Name}.{member.Name} as a value object (Owns) of its own, or store it with StoredAsJson().");
                refused = true;
                continue;
            }

            if (check(member, declared, name, !parameters.Contains(member.Name)) is not { } checkedMember)
            {
                refused = true;
                continue;
            }

            if (ReadType(member) is not { } readType)
            {
                problem(name, $"is a member of a value object of type {EntityModelFactory.TypeName(member.PropertyType)}, read as its nullable type, which the generated model does not name, and {DynamicCode.Off}: the value object was added or changed since premix optimize wrote the model.", "Run premix optimize again and rebuild (docs/aot.md).");
                refused = true;
                continue;
            }

            result.Add(new PropertyModel(member, declared?.Column ?? $"{prefix}_{naming.Convert(member.Name)}", required && checkedMember.IsRequired, model, readType)
            {
                MaxLength = declared?.MaxLength,
                Precision = declared?.Precision ?? 18,
                Scale = declared?.Scale ?? 2,
                Rounding = declared?.Rounding,
                EnumStorage = checkedMember.StoredType.IsEnum ? declared?.EnumStorage ?? EnumStorage.Number : null,
                Converter = checkedMember.Converter,
                StoresJson = declared?.Json ?? false,
                IsSensitive = declared?.Sensitive ?? false,
                DefaultSql = declared?.DefaultSql,
                ColumnType = declared?.ColumnType,
                StoresUtc = declared?.StoresUtc ?? false,
                IsDeclaredBySubtype = declaredBySubtype,
            });
        }

        if (result.Count == 0 && refused)
        {
            return null; // each member's problem is reported already
        }

        if (result.Count == 0)
        {
            // Its columns are how a read tells a null object from an empty one: with none, it could not be read back.
            problem(path, $"is a value object (Owns), but {type.Name} has no members to store: no public property with a setter or a constructor parameter{(draft.Ignored.Count > 0 ? " that is not ignored" : "")}.", $"Give {type.Name} such properties, or leave {path} out with Ignore(...).");
            return null;
        }

        return result;
    }

    // The type a member's values are read as: nullable for a value type, as the object holding it may be null. Made at run
    // time while dynamic code is on; with it off, the generated model's (null when it names no such type).
    private Type? ReadType(PropertyInfo member)
    {
        var type = member.PropertyType;
        if (!type.IsValueType || Nullable.GetUnderlyingType(type) is not null)
        {
            return type;
        }

        return RuntimeFeature.IsDynamicCodeSupported ? typeof(Nullable<>).MakeGenericType(type) : NullableOf?.Invoke(type);
    }

    // The public constructor with the most parameters that all name a member of their type (a positional record's), or the parameterless one.
    private static ConstructorInfo? Constructor([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type, List<PropertyInfo> members) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => members.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase) && m.PropertyType == p.ParameterType)))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
}
