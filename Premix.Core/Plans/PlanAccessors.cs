using System.Data.Common;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Where one plan's delegates come from: compiled from expression trees (on first use, see <see cref="LazyDelegates"/>),
/// or, with a generated model (<see cref="GeneratedModel"/>), its code, which compiles nothing.
/// </summary>
internal sealed class PlanAccessors
{
    private readonly EntityModel _entity;
    private readonly GeneratedEntity? _code;
    private readonly Dictionary<PropertyModel, GeneratedProperty>? _properties;

    private PlanAccessors(EntityModel entity, GeneratedEntity? code)
    {
        _entity = entity;
        _code = code;
        // The startup check (GeneratedModelCheck) found every mapped property in the generated code before plans are compiled.
        _properties = code is null ? null : entity.Properties.ToDictionary(p => p, p => code.Properties.First(g => g.Name == p.Name));
    }

    /// <summary>The accessors of <paramref name="entity"/>'s plan: the generated model's when it has the entity, compiled otherwise.</summary>
    public static PlanAccessors For(EntityModel entity, GeneratedModel? generated) => new(entity, generated?.Entity(entity.ClrType));

    /// <summary>The generated accessors of <paramref name="property"/>, or <see langword="null"/> when they are compiled.</summary>
    public GeneratedProperty? Generated(PropertyModel property) => _properties?[property];

    public Action<object, object?> Setter(PropertyModel property) => Generated(property)?.Set ?? PropertyAccessors.Setter(property.Property);

    public Func<object, object?> Getter(PropertyModel property) => Generated(property)?.Get ?? PropertyAccessors.Getter(property.Property);

    public Func<object, bool>? IsDefault(PropertyModel property) =>
        _properties is null ? PropertyAccessors.IsDefault(property.Property) : Generated(property)!.IsDefault;

    public Func<object, object, bool> Comparer(PropertyModel property) => Generated(property)?.Same ?? Snapshots.Comparer(property);

    public Func<object, object> Copier() => _code?.Copy ?? Snapshots.Copier(_entity);

    public Action<object, object> Assigner() => _code?.Assign ?? Snapshots.Assigner(_entity);

    /// <summary>The generated code of <paramref name="relation"/>, declared on this entity, or <see langword="null"/> when its accessors are compiled.</summary>
    public GeneratedRelation? Relation(RelationModel relation) =>
        _code?.Relations.FirstOrDefault(r => r.Shape == GeneratedRelation.ShapeOf(relation));

    public Func<DbDataReader, object> Rows(IReadOnlyList<ParameterBinding> properties) => _code?.ReadRow ?? RowReaders.Compile(_entity, properties);
}
