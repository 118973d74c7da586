namespace Premix.Plans;

/// <summary>
/// The plans' accessors and row readers of an application's model as C#, written by <c>premix optimize</c> (docs/aot.md):
/// with <see cref="PremixOptionsBuilder.UseGeneratedModel"/>, plans take these delegates instead of compiling expression
/// trees, so startup compiles nothing and no path of a mapped entity calls <c>Expression.Compile</c>.
/// </summary>
/// <remarks>
/// A generated model describes the model it was generated from (entities, columns, statements); at startup it is compared
/// with the model the mapping classes build, and any difference fails the start with
/// <see cref="GeneratedModelMismatchException"/>: regenerate after changing a mapping.
/// </remarks>
public sealed class GeneratedModel
{
    private readonly Dictionary<Type, GeneratedEntity> _byType;
    private Dictionary<Type, Type>? _nullables;

    /// <summary>
    /// The format of generated code this Premix reads. Raised whenever what generated code hard-codes changes (how a row is
    /// read, how snapshots compare, which relations are described, what <see cref="GeneratedProperty.ReadShape"/> records), so that code written by another
    /// Premix version fails the start instead of reading rows the old way.
    /// </summary>
    public const int CurrentFormat = 4;

    /// <summary>Creates the model; generated code calls it once, in its <c>Instance</c>.</summary>
    /// <param name="provider">The provider the model was generated for (<c>sqlite</c>, <c>postgresql</c>, <c>mysql</c>): its statements and readers are that engine's.</param>
    /// <param name="format">The <see cref="CurrentFormat"/> of the Premix that generated it; another format fails the start.</param>
    /// <param name="entities">Every mapped entity, in the model's order.</param>
    /// <exception cref="ArgumentException">An entity type is listed twice.</exception>
    public GeneratedModel(string provider, int format, IReadOnlyList<GeneratedEntity> entities)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(entities);
        Provider = provider;
        Format = format;
        Entities = entities;
        _byType = new Dictionary<Type, GeneratedEntity>();
        foreach (var entity in entities)
        {
            if (!_byType.TryAdd(entity.EntityType, entity))
            {
                throw new ArgumentException($"The generated model lists {entity.EntityType.Name} twice; regenerate it with premix optimize.", nameof(entities));
            }
        }
    }

    /// <summary>The provider the model was generated for.</summary>
    public string Provider { get; }

    /// <summary>The format of generated code it was written in (<see cref="CurrentFormat"/> of the Premix that generated it).</summary>
    public int Format { get; }

    /// <summary>Every entity the model was generated with.</summary>
    public IReadOnlyList<GeneratedEntity> Entities { get; }

    /// <summary>
    /// The nullable type of <paramref name="valueType"/> (<c>decimal</c> gives <c>decimal?</c>) when the generated code names
    /// it, or <see langword="null"/>: value-object members are read as such types, which cannot be made at run time while
    /// dynamic code is off (native AOT), so the model build takes them from here.
    /// </summary>
    internal Type? NullableOf(Type valueType) => (_nullables ??= Nullables()).GetValueOrDefault(valueType);

    // Every entity usually holds the same PropertyTypes list: each list is scanned once, on the first member asked for.
    private Dictionary<Type, Type> Nullables()
    {
        var nullables = new Dictionary<Type, Type>();
        foreach (var types in Entities.Select(e => e.Types).Distinct())
        {
            foreach (var type in types)
            {
                if (Nullable.GetUnderlyingType(type) is { } underlying)
                {
                    nullables.TryAdd(underlying, type);
                }
            }
        }

        return nullables;
    }

    /// <summary>The generated code of <paramref name="type"/>, or <see langword="null"/> when the model was generated without it.</summary>
    internal GeneratedEntity? Entity(Type type) => _byType.GetValueOrDefault(type);
}
