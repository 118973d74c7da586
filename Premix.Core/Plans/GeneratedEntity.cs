using System.Diagnostics.CodeAnalysis;

namespace Premix.Plans;

/// <summary>
/// What <c>premix optimize</c> generates for one entity: the description the start compares with the mapping (its table,
/// columns, relations and the SQL of its statements), and its delegates (<see cref="GeneratedEntityCode"/>: accessors, row
/// reader, snapshots), which are made on the entity's first use rather than when the model is read.
/// </summary>
public sealed partial class GeneratedEntity
{
    private readonly Lazy<GeneratedEntityCode> _code;

    /// <summary>Creates the generated entity of <paramref name="entityType"/>, its description set with the initializers (as generated code of format 3 did).</summary>
    /// <param name="entityType">The mapped class.</param>
    /// <param name="code">
    /// Makes the entity's delegates; called once, on the entity's first use (two threads using it first wait for one call),
    /// so that reading the model at startup creates and JIT-compiles none of them.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="entityType"/> or <paramref name="code"/> is null.</exception>
    public GeneratedEntity(Type entityType, Func<GeneratedEntityCode> code)
    {
        EntityType = entityType ?? throw new ArgumentNullException(nameof(entityType));
        ArgumentNullException.ThrowIfNull(code);
        _code = new Lazy<GeneratedEntityCode>(() => Checked(code()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Creates the generated entity of <paramref name="entityType"/> from its description as data: what generated code of
    /// format 4 calls, so that reading the model runs this shared code instead of an initializer per entity (docs/aot.md).
    /// </summary>
    /// <param name="entityType">The mapped class.</param>
    /// <param name="code">Makes the entity's delegates, on its first use (as in the other constructor).</param>
    /// <param name="description">Its table, properties, relations and statements, as <c>premix optimize</c> wrote them.</param>
    /// <param name="types">The model's property types, which the description names by index.</param>
    /// <remarks>
    /// A description that does not read does not throw here: the start reports it with every other difference, after its
    /// format check, so that code of another format (whose description this Premix may not read) fails naming its format.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [SetsRequiredMembers]
    public GeneratedEntity(Type entityType, Func<GeneratedEntityCode> code, string description, IReadOnlyList<Type> types)
        : this(entityType, code)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(types);
        Types = types;
        try
        {
            var parts = GeneratedDescription.Read(description, types);
            (Table, Properties, Relations, Statements, ValueObjects, Filters) = (parts.Table, parts.Properties, parts.Relations, parts.Statements, parts.ValueObjects, parts.Filters);
        }
        catch (FormatException e)
        {
            (Table, Properties, Statements, Unreadable) = ("", [], [], e.Message);
        }
    }

    /// <summary>The mapped class.</summary>
    public Type EntityType { get; }

    /// <summary>The table, as the mapping named it (schema-qualified as <c>schema.table</c> when it has a schema).</summary>
    public required string Table { get; init; }

    /// <summary>Every mapped property, in the model's order (the order of the select list).</summary>
    public required IReadOnlyList<GeneratedProperty> Properties { get; init; }

    /// <summary>The SQL of the plan's statements when the model was generated, in <see cref="EntityPlan.Statements"/>'s order.</summary>
    public required IReadOnlyList<GeneratedStatement> Statements { get; init; }

    /// <summary>
    /// Every relation the entity declares (HasMany, HasOne, BelongsTo), in the model's order; the start compares them with
    /// the mapping's.
    /// </summary>
    public IReadOnlyList<GeneratedRelation> Relations { get; init; } = [];

    /// <summary>
    /// Every value object (<c>Owns</c>) of the entity, outer ones first, as generated; the start compares their shapes with the
    /// mapping's. Empty in code of format 3, written before value objects were generated.
    /// </summary>
    internal IReadOnlyList<GeneratedValueObject> ValueObjects { get; } = [];

    /// <summary>
    /// Every named query filter of the entity but the tenant column's, in declaration order, as generated; the start compares
    /// them with the mapping's. Empty in code written before filters were generated (an entity with one was refused).
    /// </summary>
    internal IReadOnlyList<GeneratedFilter> Filters { get; } = [];

    /// <summary>
    /// The model's property types the description names by index (the nullable types of value-object members among them,
    /// which the model build takes from here while dynamic code is off); empty in code of format 3.
    /// </summary>
    internal IReadOnlyList<Type> Types { get; } = [];

    /// <summary>
    /// Why the description given to the constructor does not read (it was edited, or another format wrote it), or
    /// <see langword="null"/>; the start reports it after the format check. The description's members are then empty.
    /// </summary>
    internal string? Unreadable { get; }

    /// <summary>The entity's delegates, made on the first call (once per process).</summary>
    /// <exception cref="InvalidOperationException">The generated code does not have one accessor per property and relation (it was edited).</exception>
    internal GeneratedEntityCode Code => _code.Value;

    /// <summary>Whether <see cref="Code"/> has been made (tests check what the start left to first use).</summary>
    internal bool IsCodeMade => _code.IsValueCreated;

    /// <summary>The error of a delegate the generated code lacks: it was edited, since the generator writes each one the description calls for.</summary>
    internal InvalidOperationException Broken(string what) => Edited($"has no {what}");

    private InvalidOperationException Edited(string what) =>
        new($"The generated code of {EntityType.Name} {what}; it was edited after premix optimize wrote it: run premix optimize again (docs/aot.md).");

    // The accessors are matched to the description by position: a list of another length, or another order, is code edited
    // by hand, which would otherwise set and compare one property through another's accessors.
    private GeneratedEntityCode Checked(GeneratedEntityCode code)
    {
        ArgumentNullException.ThrowIfNull(code, nameof(code));
        if (code.Properties.Count != Properties.Count)
        {
            throw Broken($"accessors for each of its {Properties.Count} properties (it has {code.Properties.Count})");
        }

        if (code.Relations.Count != Relations.Count)
        {
            throw Broken($"code for each of its {Relations.Count} relations (it has {code.Relations.Count})");
        }

        if (code.Filters.Count != Filters.Count)
        {
            throw Broken($"value readers for each of its {Filters.Count} query filters (it has {code.Filters.Count})");
        }

        for (var i = 0; i < Filters.Count; i++)
        {
            if (code.Filters[i].Name != Filters[i].Name || code.Filters[i].Values.Count != Filters[i].Values.Count)
            {
                throw Edited($"has the {code.Filters[i].Values.Count} value readers of the query filter \"{code.Filters[i].Name}\" where its description has the filter \"{Filters[i].Name}\" reading {Filters[i].Values.Count}");
            }
        }

        for (var i = 0; i < Properties.Count; i++)
        {
            if (code.Properties[i].Name != Properties[i].Name)
            {
                throw Edited($"has the accessors of {code.Properties[i].Name} where its description has the property {Properties[i].Name}");
            }
        }

        for (var i = 0; i < Relations.Count; i++)
        {
            if (code.Relations[i].Shape != Relations[i].Shape)
            {
                throw Edited($"has the code of the relation {code.Relations[i].Shape} where its description has the relation {Relations[i].Shape}");
            }
        }

        return code;
    }
}
