using System.Collections;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// Turns a value object declared with <c>Owns</c> into one <see cref="PropertyModel"/> per member, each with its column in
/// the owner's table, after checking that Premix can store the members and create the object from them.
/// </summary>
internal sealed class OwnedMembers(
    OwnedDraft owned,
    Type entityType,
    NamingConvention naming,
    IReadOnlySet<Type> mappedTypes,
    Func<PropertyInfo, PropertyDraft?, string, bool, (Type StoredType, bool IsRequired, ValueConverter? Converter)?> check,
    Action<PropertyInfo?, string, string> problem)
{
    private static readonly NullabilityInfoContext Nullability = new();

    private PropertyInfo Navigation => owned.Navigation;

    public IEnumerable<PropertyModel> Create(bool declaredBySubtype)
    {
        var type = Navigation.PropertyType;
        if (mappedTypes.Contains(type))
        {
            problem(Navigation, $"is a value object (Owns), but {type.Name} is an entity with a mapping of its own: a value object has no table and no key.", $"Remove the mapping class of {type.Name} to store it in {entityType.Name}'s table, or declare a relation (HasOne or BelongsTo) instead of Owns.");
            return [];
        }

        if (ScalarTypes.IsSupported(type) || type.IsAbstract || type.IsInterface || typeof(IEnumerable).IsAssignableFrom(type))
        {
            problem(Navigation, $"is a value object (Owns), but {EntityModelFactory.TypeName(type)} is {(ScalarTypes.IsSupported(type) ? "a type one column stores" : "not a concrete class of several values")}.", ScalarTypes.IsSupported(type) ? $"Map it with Property(x => x.{Navigation.Name}) instead of Owns." : "Owns takes a class or record whose properties are the columns.");
            return [];
        }

        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && !owned.Ignored.Contains(p))
            .OrderBy(p => p.MetadataToken)
            .ToList();
        var constructor = Constructor(type, members);
        if (constructor is null)
        {
            problem(Navigation, $"is a value object (Owns) of type {type.Name}, which has no public constructor Premix can call: one without parameters, or one whose parameters are named and typed like its properties.", $"Add such a constructor to {type.Name} (a positional record has one).");
            return [];
        }

        var parameters = constructor.GetParameters().Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var model = new OwnedModel(Navigation, owned.Required ?? Nullability.Create(Navigation).ReadState == NullabilityState.NotNull) { Constructor = constructor };
        var result = new List<PropertyModel>();
        foreach (var member in members)
        {
            var declared = owned.Properties.GetValueOrDefault(member);
            var name = $"{Navigation.Name}.{member.Name}";
            if (member.SetMethod is null && declared is null && !parameters.Contains(member.Name))
            {
                continue; // computed, read-only members are not columns, as on an entity
            }

            if (declared?.CompositeTypeName is not null)
            {
                problem(member, $"is a member of a value object (Owns) stored as a composite type, which Premix maps only on an entity's own properties.", $"Map {type.Name}.{member.Name} as a value object (Owns) of its own, or store it with StoredAsJson().");
                continue;
            }

            if (check(member, declared, name, !parameters.Contains(member.Name)) is not { } checkedMember)
            {
                continue;
            }

            result.Add(new PropertyModel(member, declared?.Column ?? $"{naming.Convert(Navigation.Name)}_{naming.Convert(member.Name)}", model.IsRequired && checkedMember.IsRequired, model)
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

        if (result.Count == 0 && members.Count > 0)
        {
            return result; // each member's problem is reported already
        }

        if (result.Count == 0)
        {
            problem(Navigation, $"is a value object (Owns), but {type.Name} has no public properties to store.", $"Give {type.Name} properties, or Ignore({Navigation.Name}).");
        }

        return result;
    }

    // The public constructor with the most parameters that all name a member of their type (a positional record's), or the parameterless one.
    private static ConstructorInfo? Constructor(Type type, List<PropertyInfo> members) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => members.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase) && m.PropertyType == p.ParameterType)))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
}
