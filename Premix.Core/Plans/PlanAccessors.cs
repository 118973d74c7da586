using System.Data.Common;
using System.Runtime.CompilerServices;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Where one plan's delegates come from: compiled from expression trees (on first use, see <see cref="LazyDelegates"/>),
/// or, with a generated model (<see cref="GeneratedModel"/>), its code, which compiles nothing. Either way the plan holds
/// stand-ins until their first call: a generated entity's code is made on the entity's first use, not when Premix starts.
/// Under native AOT the start requires a generated model covering every entity (<see cref="NativeAotPlans"/>), so each
/// compiled branch is behind <see cref="RuntimeFeature.IsDynamicCodeSupported"/>, which the AOT compiler reads as false:
/// the expression-compiling code is then not in the binary.
/// </summary>
internal sealed class PlanAccessors
{
    private readonly EntityModel _entity;
    private readonly GeneratedEntity? _code;
    private readonly Dictionary<PropertyModel, GeneratedPropertyAccessors>? _properties;

    private PlanAccessors(EntityModel entity, GeneratedEntity? code)
    {
        _entity = entity;
        _code = code;
        // The startup check (GeneratedModelCheck) found every mapped property in the generated code before plans are compiled;
        // the code's accessors are in the order of its description.
        _properties = code is null ? null : entity.Properties.ToDictionary(p => p, p => new GeneratedPropertyAccessors(code, Position(code, p)));
    }

    /// <summary>The accessors of <paramref name="entity"/>'s plan: the generated model's when it has the entity, compiled otherwise.</summary>
    public static PlanAccessors For(EntityModel entity, GeneratedModel? generated) => new(entity, generated?.Entity(entity.ClrType));

    /// <summary>The generated accessors of <paramref name="property"/>, or <see langword="null"/> when they are compiled.</summary>
    public GeneratedPropertyAccessors? Generated(PropertyModel property) => _properties?[property];

    public Action<object, object?> Setter(PropertyModel property) =>
        Generated(property)?.Setter() ?? (RuntimeFeature.IsDynamicCodeSupported ? PropertyAccessors.Setter(property.Property) : throw NativeAotPlans.NotGenerated(_entity));

    public Func<object, object?> Getter(PropertyModel property) =>
        Generated(property)?.Getter() ?? (RuntimeFeature.IsDynamicCodeSupported ? PropertyAccessors.Getter(property.Property) : throw NativeAotPlans.NotGenerated(_entity));

    public Func<object, bool>? IsDefault(PropertyModel property) =>
        _properties is not null ? (GeneratedPropertyCode.ChecksDefault(property) ? Generated(property)!.IsDefault() : null)
        : RuntimeFeature.IsDynamicCodeSupported ? PropertyAccessors.IsDefault(property.Property)
        : throw NativeAotPlans.NotGenerated(_entity);

    public Func<object, object, bool> Comparer(PropertyModel property) =>
        Generated(property)?.Comparer() ?? (RuntimeFeature.IsDynamicCodeSupported ? Snapshots.Comparer(property) : throw NativeAotPlans.NotGenerated(_entity));

    public Func<object, object> Copier() =>
        _code is { } code ? LazyDelegates.OnFirstUse(() => code.Code.Copy)
        : RuntimeFeature.IsDynamicCodeSupported ? Snapshots.Copier(_entity)
        : throw NativeAotPlans.NotGenerated(_entity);

    public Action<object, object> Assigner() =>
        _code is { } code ? LazyDelegates.OnFirstUse(() => code.Code.Assign)
        : RuntimeFeature.IsDynamicCodeSupported ? Snapshots.Assigner(_entity)
        : throw NativeAotPlans.NotGenerated(_entity);

    /// <summary>The generated code of <paramref name="relation"/>, declared on this entity, or <see langword="null"/> when its accessors are compiled.</summary>
    public GeneratedNavigation? Relation(RelationModel relation)
    {
        if (_code is null)
        {
            return null;
        }

        var shape = GeneratedRelation.ShapeOf(relation);
        for (var i = 0; i < _code.Relations.Count; i++)
        {
            if (_code.Relations[i].Shape == shape)
            {
                return new GeneratedNavigation(_code, i);
            }
        }

        return null;
    }

    /// <summary>The reader of the entity's rows: the generated model's, or one compiled from the properties' bindings.</summary>
    public Execution.RowReader Rows(IReadOnlyList<ParameterBinding> properties) =>
        _code is { } code ? Execution.RowReader.Compiled(LazyDelegates.OnFirstUse(() => code.Code.ReadRow))
        : RuntimeFeature.IsDynamicCodeSupported ? RowReaders.Rows(_entity, properties)
        : throw NativeAotPlans.NotGenerated(_entity);

    private static int Position(GeneratedEntity code, PropertyModel property)
    {
        for (var i = 0; i < code.Properties.Count; i++)
        {
            if (code.Properties[i].Name == property.Name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{property.Name} is not in the generated code of {code.EntityType.Name}; the start checks this before plans are built.");
    }
}
