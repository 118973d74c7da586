using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Everything Premix needs to read and write one entity, compiled once at startup for one dialect:
/// the SQL of every operation, its parameter binders and the compiled accessors. Immutable and shared by all threads.
/// </summary>
public sealed class EntityPlan
{
    private object? _defaultKey;
    private object? _referenceKeyDefault;

    // Each holds a stand-in until its first call, then the compiled delegate (LazyDelegates.Resolved): no hop per entity.
    private Func<object, object, bool>[] _comparers = [];
    private Action<object, object> _assign = null!;
    private Func<object, object> _copy = null!;

    internal EntityPlan(EntityModel entity)
    {
        Entity = entity;
    }

    /// <summary>The entity this plan serves.</summary>
    public EntityModel Entity { get; }

    /// <summary>Inserts one row; returns the generated key when the database generates it.</summary>
    public required SqlStatement Insert { get; init; }

    /// <summary>Updates every non-key column of one row, by key.</summary>
    public required SqlStatement Update { get; init; }

    /// <summary>Deletes one row by key.</summary>
    public required SqlStatement Delete { get; init; }

    /// <summary>Selects one row by key, with columns aliased to property names.</summary>
    public required SqlStatement SelectByKey { get; init; }

    /// <summary>Selects every row, with columns aliased to property names.</summary>
    public required SqlStatement SelectAll { get; init; }

    /// <summary>Counts the rows.</summary>
    public required SqlStatement Count { get; init; }

    /// <summary>Tells whether a row with a given key exists.</summary>
    public required SqlStatement Exists { get; init; }

    /// <summary>The statements in a stable order, for listing.</summary>
    public IEnumerable<SqlStatement> Statements =>
        InsertMany is null || UpdatesMany is null
            ? [Insert, Update, Delete, SelectByKey, SelectAll, Count, Exists]
            : [Insert, InsertMany, Update, UpdatesMany.For(UpdateStatements.All), Delete, SelectByKey, SelectAll, Count, Exists];

    internal IReadOnlyList<ParameterBinding> KeyParameters
    {
        get => _keyParameters;
        init
        {
            _keyParameters = value;
            SingleKeyType = value.Count == 1 ? value[0].Property.ValueType : null;
        }
    }

    private readonly IReadOnlyList<ParameterBinding> _keyParameters = [];

    /// <summary>
    /// The type of the key's one property, <see langword="null"/> for a composite key: what a read by key compares the
    /// caller's key with first, without two interface calls on <see cref="KeyParameters"/> per call.
    /// </summary>
    internal Type? SingleKeyType { get; private init; }

    /// <summary>A binding per mapped property, in model order (for validation and key formatting).</summary>
    internal IReadOnlyList<ParameterBinding> Properties { get; init; } = [];

    /// <summary>The properties a write checks (<see cref="ParameterBinding.IsValidated"/>), so the others are not even read.</summary>
    internal ParameterBinding[] Validated { get; init; } = [];

    /// <summary>Each of <see cref="Validated"/>'s places in <see cref="Updatable"/> (-1: never updated), so an update checks only the columns it writes.</summary>
    internal int[] ValidatedSlots { get; init; } = [];

    /// <summary>The decimal properties whose values are rounded before they are written (<c>Rounding</c>).</summary>
    internal ParameterBinding[] Rounded { get; init; } = [];

    /// <summary>Each of <see cref="Rounded"/>'s places in <see cref="Updatable"/> (-1: never updated), so an update rounds only the columns it writes.</summary>
    internal int[] RoundedSlots { get; init; } = [];

    /// <summary>The properties an UPDATE may set: everything but the key and the version. Bit i of a change mask is Updatable[i].</summary>
    internal IReadOnlyList<ParameterBinding> Updatable { get; init; } = [];

    internal IReadOnlyList<Func<object, object, bool>> UpdatableComparers { get => _comparers; init => _comparers = [.. value]; }

    internal UpdateStatements Updates { get; init; } = null!;

    /// <summary>The insert of many rows from one array per column, where the dialect has one (<see cref="Providers.IArrayWriteDialect"/>).</summary>
    internal SqlStatement? InsertMany { get; init; }

    /// <summary>
    /// <see cref="Insert"/> without its <c>RETURNING</c> clause, where the dialect has rowids (<see cref="Providers.ISqlDialect.HasRowIds"/>)
    /// and the generated key is one integer column: a run of inserts reads each key from the rowid once its first row showed
    /// the key column is the rowid (see <c>SqlExecutor.ExecuteRepeatedAsync</c>).
    /// </summary>
    internal SqlStatement? InsertByRowId { get; init; }

    /// <summary>The inserts of many rows listed in one VALUES clause, where the dialect has them (<see cref="Providers.IRowListInsertDialect"/>).</summary>
    internal RowListStatements? InsertRows { get; init; }

    /// <summary>The updates of many rows listed in one statement, where the dialect has them and the key is one column (<see cref="Providers.IRowListUpdateDialect"/>).</summary>
    internal RowListUpdates? UpdateRows { get; init; }

    /// <summary>The bulk insert of many rows (PostgreSQL's COPY), where the dialect has one and every column can go through it (<see cref="Providers.IBulkInsertDialect"/>).</summary>
    internal Providers.IBulkInsertTable? BulkInsert { get; init; }

    /// <summary>
    /// Makes another <see cref="BulkInsert"/>, undescribed: a tenant's own, since what the channel reads about the table (its
    /// key's sequence, its columns' types) is the tenant's schema's or database's (<see cref="Execution.SqlExecutor.BulkInsertOf"/>).
    /// </summary>
    internal Func<Providers.IBulkInsertTable?> NewBulkInsert { get; init; } = static () => null;

    /// <summary>The updates of many rows from arrays, per set of changed columns, where the dialect has them.</summary>
    internal UpdateStatements? UpdatesMany { get; init; }

    /// <summary>
    /// Whether a commit may send <see cref="InsertMany"/> and <see cref="UpdatesMany"/>: every column they bind can be bound
    /// as an array (<see cref="ParameterBinding.BindsArrays"/>); otherwise the rows go one statement each.
    /// </summary>
    internal bool WritesFromArrays { get; init; }

    /// <summary>The upserts and inserts-or-ignore, per conflict target, each built on first use.</summary>
    internal UpsertStatements Upserts { get; init; } = null!;

    /// <summary>The quoted, qualified table, for queries built on this plan.</summary>
    internal string TableSql { get; init; } = "";

    /// <summary>The select list (columns aliased to properties) that <see cref="Rows"/> reads.</summary>
    internal string SelectList { get; init; } = "";

    /// <summary>Where the plan's accessors come from (a generated model, or compiled expressions): relations take their foreign keys' from it.</summary>
    internal PlanAccessors Accessors { get; init; } = null!;

    /// <summary>Builds an entity from the current row of a reader over the select list (SelectByKey, SelectAll).</summary>
    internal Execution.RowReader Rows { get; init; } = null!;

    /// <summary>Copies every mapped value from a freshly read instance onto a tracked one.</summary>
    internal Action<object, object> Assign { get => LazyDelegates.Resolved(ref _assign); init => _assign = value; }

    /// <summary>Copies an entity for its snapshot.</summary>
    internal Func<object, object> Copy { get => LazyDelegates.Resolved(ref _copy); init => _copy = value; }

    internal Action<object, object?>? SetGeneratedKey { get; init; }

    /// <summary>Sets a key of one column, generated or not (an upsert writes back the key of the row it found); null for a key of several columns.</summary>
    internal Action<object, object?>? SetKey { get; init; }

    internal ParameterBinding? VersionBinding { get; init; }

    /// <summary>The named query filters (<c>HasQueryFilter</c>) every read and bulk statement applies.</summary>
    internal Querying.QueryFilterSet Filters { get; init; } = Querying.QueryFilterSet.None;

    /// <summary>SQL true for rows not soft-deleted (null when the entity has no soft-delete marker).</summary>
    internal string? NotDeletedSql { get; init; }

    /// <summary>SQL true for soft-deleted rows.</summary>
    internal string? DeletedSql { get; init; }

    /// <summary>The change mask of the soft-delete marker: a soft delete is an update of that one column.</summary>
    internal ulong SoftDeleteMask { get; init; }

    internal Action<object, object?>? SetSoftDeleteMarker { get; init; }

    /// <summary>The marker value of a deleted row: true, or the current UTC time.</summary>
    /// <remarks>Each branch is boxed on its own: typed together, C# would convert the DateTime into a DateTimeOffset.</remarks>
    internal object DeletedMarker() =>
        Entity.SoftDeleteMarker!.ValueType == typeof(bool) ? true
        : Entity.SoftDeleteMarker.ValueType == typeof(DateTimeOffset) ? (object)DateTimeOffset.UtcNow
        : DateTime.UtcNow;

    /// <summary>The marker value of a live row: false, or null.</summary>
    internal object? LiveMarker() => Entity.SoftDeleteMarker!.ValueType == typeof(bool) ? false : null;

    internal Action<object, object?>? SetVersion { get; init; }

    /// <summary>The tenant column (<c>HasTenantColumn</c>): matched by every update and delete, set on insert, never updated; null when the table is not shared by tenants.</summary>
    internal ParameterBinding? TenantBinding { get; init; }

    internal Func<object, object?>? GetTenant { get; init; }

    /// <summary>The parameter of <see cref="TenantConditionSql"/>, named apart from every property's.</summary>
    internal const string TenantParameter = "@premix_tenant";

    /// <summary>The tenant column equal to <see cref="TenantParameter"/>, for reads that lift the named filters but never the tenant (the refresh after a bulk statement); null when the table is not shared by tenants.</summary>
    internal string? TenantConditionSql { get; init; }

    /// <summary>Binds <paramref name="tenant"/> as <see cref="TenantParameter"/> when the table is shared by tenants.</summary>
    internal void BindTenant(Querying.QueryParameters parameters, string? tenant)
    {
        if (TenantBinding is { } binding)
        {
            // No tenant binds NULL, which matches no row: fail closed.
            parameters.Add(TenantParameter, binding.ToDatabase(tenant), binding.IsSensitive);
        }
    }

    internal Action<object, object?>? SetTenant { get; init; }

    /// <summary>SQL true for the rows of this type and its subclasses, for a subclass of a table-per-hierarchy mapping; otherwise null.</summary>
    internal string? TypeFilterSql { get; init; }

    /// <summary>The table-per-hierarchy part of the plan, or null for an entity with a table of its own.</summary>
    internal InheritancePlan? Inheritance { get; init; }

    /// <summary>The type the identity map keys this entity by: the base of its hierarchy, so one row is one instance whatever repository read it.</summary>
    internal Type IdentityType => Inheritance?.Root ?? Entity.ClrType;

    /// <summary>The plan of <paramref name="entity"/>'s own class: this one, or for a hierarchy the plan of the subclass it is.</summary>
    internal EntityPlan For(object entity) =>
        Inheritance is null || entity.GetType() == Entity.ClrType ? this : Inheritance.PlanOf(entity, this);

    /// <summary>The identity of <paramref name="entity"/> in a unit of work.</summary>
    internal EntityKey KeyOf(object entity) => new(IdentityType, KeyParameters.Count == 1 ? KeyParameters[0].ReadRaw(entity)! : CompositeKeyOf(entity));

    // Apart from KeyOf: its lambda's closure would otherwise be allocated on every call, a single key too.
    private CompositeKey CompositeKeyOf(object entity) => new(KeyParameters.Select(k => k.ReadRaw(entity)).ToArray());

    /// <summary>The generated key property, if the database generates it.</summary>
    internal Mapping.PropertyModel? GeneratedKey => Entity.GeneratedKey;

    /// <summary>Whether an object has no key yet: its generated key still has its default value.</summary>
    internal bool IsNew(object entity) => GeneratedKey is not null && (GeneratedKeyIsDefault?.Invoke(entity) ?? Equals(KeyParameters[0].ReadRaw(entity), ReferenceKeyDefault));

    /// <summary>The generated key as it is in <paramref name="entity"/>, boxed once per plan when it is the default (so an insert's undo entry boxes nothing).</summary>
    /// <remarks>
    /// Under native AOT (dynamic code off) the default cannot be made by reflection, so the key is read from the entity and
    /// boxed per call: caching a value read from a user object would keep a key changed between the check and the read.
    /// </remarks>
    internal object? GeneratedKeyOf(object entity) =>
        RuntimeFeature.IsDynamicCodeSupported && GeneratedKeyIsDefault?.Invoke(entity) == true ? DefaultKey : KeyParameters[0].ReadRaw(entity);

    /// <summary>Whether the generated key holds its default, read typed (null unless the key is a non-nullable value type).</summary>
    internal Func<object, bool>? GeneratedKeyIsDefault { get; init; }

    // Read only after GeneratedKeyIsDefault, which exists only for a non-nullable value-type key, found the default.
    private object? DefaultKey => GeneratedKey is null ? null : _defaultKey ??= ValueTypes.Default(GeneratedKey.ValueType);

    // The default of a key GeneratedKeyIsDefault does not check, a reference type (a key is never nullable): an instance made by
    // its parameterless constructor, as a value type's default is. Trimming can remove that constructor and native AOT does not
    // keep it for reflection, so in a trimmed or native AOT application (UnreferencedCode.IsAvailable false, the branch removed)
    // only null counts as no key, as it does for a string.
    private object? ReferenceKeyDefault =>
        GeneratedKey is null || !UnreferencedCode.IsAvailable ? null : _referenceKeyDefault ??= ParameterlessInstance(GeneratedKey.ValueType);

    [RequiresUnreferencedCode(UnreferencedCode.Reflected)]
    private static object? ParameterlessInstance(Type keyType) => Activator.CreateInstance(keyType);

    /// <summary>Which updatable properties of <paramref name="entity"/> differ from its snapshot, as a bit mask (0: none).</summary>
    internal ulong ChangedMask(object entity, object snapshot)
    {
        var mask = 0UL;
        for (var i = 0; i < _comparers.Length; i++)
        {
            if (!LazyDelegates.Resolved(ref _comparers[i])(entity, snapshot))
            {
                if (i >= 64)
                {
                    return UpdateStatements.All; // too many columns for a mask: update them all
                }

                mask |= 1UL << i;
            }
        }

        return mask;
    }

    /// <summary>Every statement of this plan, one per line, as it is sent to the database.</summary>
    public string ToSql()
    {
        var text = new StringBuilder();
        text.Append("-- ").Append(Entity).AppendLine();
        foreach (var statement in Statements)
        {
            text.Append(statement.Name).Append(": ").AppendLine(statement.Sql);
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToSql();
}
