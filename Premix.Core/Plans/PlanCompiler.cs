using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// Compiles an <see cref="EntityModel"/> into an <see cref="EntityPlan"/> for one dialect. Runs once per entity at
/// startup; nothing here runs per call (UPDATEs for a new set of changed columns are built on first use, then cached).
/// </summary>
public sealed class PlanCompiler
{
    private readonly ISqlDialect _dialect;
    private readonly GeneratedModel? _generated;

    /// <summary>Creates a compiler for <paramref name="dialect"/>.</summary>
    public PlanCompiler(ISqlDialect dialect)
        : this(dialect, null)
    {
    }

    /// <summary>
    /// Creates a compiler for <paramref name="dialect"/> whose plans take their accessors, row readers and snapshot delegates
    /// from <paramref name="generated"/> (for the entities it has) instead of compiling them.
    /// </summary>
    /// <remarks>
    /// Internal: the generated model must have been checked against the model first (<see cref="GeneratedModelCheck"/>, as
    /// the start does), since its delegates are matched by property name and typed by the types it was generated for.
    /// </remarks>
    internal PlanCompiler(ISqlDialect dialect, GeneratedModel? generated)
    {
        _dialect = dialect ?? throw new ArgumentNullException(nameof(dialect));
        _generated = generated;
    }

    /// <summary>Compiles every entity of <paramref name="model"/>.</summary>
    public IReadOnlyDictionary<Type, EntityPlan> Compile(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var plans = new Dictionary<Type, EntityPlan>();
        foreach (var entity in model.Entities)
        {
            if (entity.Inheritance is null)
            {
                plans.Add(entity.ClrType, Compile(entity, null));
            }
            else if (entity.Inheritance.IsRoot)
            {
                // The generator refuses table-per-hierarchy mappings, so under native AOT (where the start requires a generated model) none gets here.
                if (!RuntimeFeature.IsDynamicCodeSupported)
                {
                    throw NativeAotPlans.NotGenerated(entity);
                }

                CompileHierarchy(entity, model.Entities.Where(e => e.Inheritance?.Root == entity.ClrType).ToList(), plans);
            }
        }

        return model.Entities.ToDictionary(e => e.ClrType, e => plans[e.ClrType]);
    }

    /// <summary>Compiles one entity.</summary>
    /// <exception cref="ArgumentException">The entity is part of a table-per-hierarchy mapping, whose types are compiled together by <see cref="Compile(Model)"/>.</exception>
    public EntityPlan Compile(EntityModel entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.Inheritance is null
            ? Compile(entity, null)
            : throw new ArgumentException($"{entity.Name} shares {entity.Inheritance.Root.Name}'s table (HasDiscriminator); compile the whole model with Compile(Model).", nameof(entity));
    }

    // Every type of a hierarchy reads the same select list, so a query of any of them can build any class below it.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private void CompileHierarchy(EntityModel root, List<EntityModel> members, Dictionary<Type, EntityPlan> plans)
    {
        var columns = HierarchyRows.Columns(root, members);
        var ordinals = columns.Select((p, i) => (p.Column, i)).ToDictionary(c => c.Column, c => c.i, StringComparer.OrdinalIgnoreCase);
        var ownReaders = members.Where(m => m.Inheritance!.Value is not null).ToDictionary(
            m => m.Inheritance!.Value!,
            m => RowReaders.Compile(m, m.Properties.Select(p => new ParameterBinding(p, _dialect)).ToArray(), m.Properties.Select(p => ordinals[p.Column]).ToArray()));
        var discriminator = root.Inheritance!.Discriminator;
        var readDiscriminator = RowReaders.CompileValue(new ParameterBinding(discriminator, _dialect), ordinals[discriminator.Column]);
        var hierarchy = new Dictionary<Type, EntityPlan>();
        var selectList = string.Join(", ", columns.Select(SelectColumn));
        foreach (var member in members)
        {
            var inheritance = member.Inheritance!;
            var readers = inheritance.Values.ToDictionary(v => v.Value, v => ownReaders[v.Value]);
            var typeFilter = inheritance.IsRoot ? null : TypeFilter(inheritance);
            var plan = Compile(member, new Hierarchy(selectList, HierarchyRows.Dispatch(member, readDiscriminator, readers), typeFilter, new InheritancePlan(inheritance.Root, hierarchy, inheritance.Value, PropertyAccessors.Setter(inheritance.Discriminator.Property))));
            hierarchy.Add(member.ClrType, plan);
            plans.Add(member.ClrType, plan);
        }
    }

    // The rows of a subclass and of the classes below it, as literals from the mapping: it allows only text without quotes
    // or backslashes, integers and enums (stored as their name or number).
    private string TypeFilter(InheritanceModel inheritance)
    {
        var column = Column(inheritance.Discriminator);
        var binding = new ParameterBinding(inheritance.Discriminator, _dialect);
        var values = inheritance.Values.Values
            .Select(v => binding.ToDatabase(v) is string text ? $"'{text}'" : Convert.ToString(binding.ToDatabase(v), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 1 ? $"{column} = {values[0]}" : $"{column} IN ({string.Join(", ", values)})";
    }

    // What a type of a table-per-hierarchy mapping compiles differently: the shared select list and its reader, the filter
    // of the type's rows, and the plans of the other types.
    private sealed record Hierarchy(string SelectList, Func<System.Data.Common.DbDataReader, object> Rows, string? TypeFilter, InheritancePlan Plan);

    private EntityPlan Compile(EntityModel entity, Hierarchy? hierarchy)
    {
        var table = Table(entity);
        var accessors = PlanAccessors.For(entity, _generated);
        var bindings = entity.Properties.ToDictionary(p => p, p => new ParameterBinding(p, _dialect, accessors.Generated(p)));
        var properties = entity.Properties.Select(p => bindings[p]).ToArray();
        var key = entity.Key.Select(p => bindings[p]).ToArray();
        var version = entity.Version is null ? null : bindings[entity.Version];
        var keyFilter = string.Join(" AND ", key.Select(b => $"{Column(b.Property)} = {Placeholder(b)}"));
        var typeAnd = hierarchy?.TypeFilter is { } typeFilter ? " AND " + typeFilter : string.Empty;

        // A subclass writes only rows of its own classes: an entity never loaded (Update(new Dog { Id = catId })) must not
        // overwrite a row of another class, so it matches no row and the commit reports it like any stale write.
        // A shared table's update or delete also matches the tenant (checked to be the unit of work's before anything is
        // sent), so a guessed key of another tenant's row matches no row and the commit reports it as a stale write.
        var filters = entity.QueryFilters.Count == 0 ? Querying.QueryFilterSet.None : new Querying.QueryFilterSet(entity.QueryFilters, _generated?.Entity(entity.ClrType));
        // An unmapped tenant property has no binding: its filter's member is then reported as a mapping problem at startup.
        var tenant = filters.TenantProperty is not { } tenantProperty ? null : bindings.Values.FirstOrDefault(b => b.Property.Property == tenantProperty && b.Property.Owner is null);
        // A key that contains the tenant column matches it already (and its parameter must not be bound twice).
        var tenantOutsideKey = tenant is not null && !key.Contains(tenant) ? tenant : null;
        var tenantAnd = tenantOutsideKey is null ? string.Empty : $" AND {Column(tenantOutsideKey.Property)} = {Placeholder(tenantOutsideKey)}";
        var rowFilter = (version is null ? keyFilter : $"{keyFilter} AND {Column(version.Property)} = {Placeholder(version)}") + tenantAnd + typeAnd;
        ParameterBinding[] rowParameters = [.. key, .. version is null ? [] : new[] { version }, .. tenantOutsideKey is null ? [] : new[] { tenantOutsideKey }];

        var inserted = entity.Properties.Where(p => !p.IsGenerated).Select(p => bindings[p]).ToArray();
        var generated = entity.GeneratedKey;
        var insertSql = _dialect.Insert(table, inserted.Select(b => Column(b.Property)).ToArray(), inserted.Select(Placeholder).ToArray(), generated is null ? null : Column(generated));

        // A row never changes class: the discriminator is written on insert only.
        var updatable = entity.Properties.Where(p => !p.IsKey && !p.IsVersion && p != entity.Inheritance?.Discriminator && p != tenant?.Property).Select(p => bindings[p]).ToArray();
        var updates = new UpdateStatements(mask => Update(table, updatable, version, rowFilter, rowParameters, key, mask));
        var validated = properties.Where(b => b.IsValidated).ToArray();
        var rounded = properties.Where(b => b.ValueRule is DecimalDigits { Rounding: not null }).ToArray();
        // unnest would flatten an array column's array of arrays into one row per element, and expand an array of composite
        // values into their attributes: such entities are written one statement per row (batched), never from arrays.
        var arrays = entity.Properties.Any(p => p.ArrayElementType is not null || p.CompositeType is not null) ? null : _dialect as IArrayWriteDialect;

        var selectList = hierarchy?.SelectList ?? string.Join(", ", entity.Properties.Select(SelectColumn));
        var marker = entity.SoftDeleteMarker;
        var notDeleted = marker is null ? null : marker.ValueType == typeof(bool) ? $"{Column(marker)} = FALSE" : $"{Column(marker)} IS NULL";
        var deleted = marker is null ? null : marker.ValueType == typeof(bool) ? $"{Column(marker)} = TRUE" : $"{Column(marker)} IS NOT NULL";
        var visibleRows = string.Join(" AND ", new[] { hierarchy?.TypeFilter, notDeleted }.OfType<string>());
        var visible = visibleRows.Length == 0 ? string.Empty : " WHERE " + visibleRows;
        var visibleAnd = visibleRows.Length == 0 ? string.Empty : " AND " + visibleRows;
        // With dynamic code off a column is bound as an array only of a type the dialect names in code (ParameterBinding): an
        // entity with another column (a uint stored as bigint, say) writes its rows one statement each, batched, rather than
        // failing in the middle of a commit of two rows. Its many-row statements stay listed, as the generated model saw them.
        var writesFromArrays = arrays is not null && inserted.Concat(updatable).Concat(rowParameters).All(b => b.BindsArrays);
        return new EntityPlan(entity)
        {
            Insert = new SqlStatement("Insert", insertSql, inserted),
            Update = updates.For(UpdateStatements.All),
            Delete = new SqlStatement("Delete", $"DELETE FROM {table} WHERE {rowFilter}", rowParameters),
            SelectByKey = new SqlStatement("SelectByKey", $"SELECT {selectList} FROM {table} WHERE {keyFilter}{visibleAnd}", key),
            SelectAll = new SqlStatement("SelectAll", $"SELECT {selectList} FROM {table}{visible}", []),
            Count = new SqlStatement("Count", $"SELECT COUNT(*) FROM {table}{visible}", []),
            Exists = new SqlStatement("Exists", $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE {keyFilter}{typeAnd}) THEN 1 ELSE 0 END", key),
            KeyParameters = key,
            Properties = properties,
            Validated = validated,
            ValidatedSlots = SlotsIn(updatable, validated),
            Rounded = rounded,
            RoundedSlots = SlotsIn(updatable, rounded),
            Updatable = updatable,
            UpdatableComparers = updatable.Select(b => accessors.Comparer(b.Property)).ToArray(),
            Updates = updates,
            InsertByRowId = _dialect.HasRowIds && generated is { Converter: null } && (generated.ValueType == typeof(long) || generated.ValueType == typeof(int))
                ? new SqlStatement("Insert", _dialect.Insert(table, inserted.Select(b => Column(b.Property)).ToArray(), inserted.Select(Placeholder).ToArray(), null), inserted)
                : null,
            InsertRows = _dialect is IRowListInsertDialect rowLists && inserted.Length > 0
                ? new RowListStatements("InsertMany", [inserted], rows => rowLists.InsertRows(table, inserted.Select(b => Column(b.Property)).ToArray(), PositionalRows(rows, inserted.Length), generated is null ? null : Column(generated)))
                : null,
            // The row-list and array updates match the key (and version) alone: a shared table's updates go one statement per row.
            UpdateRows = _dialect is IRowListUpdateDialect rowUpdates && key.Length == 1 && tenant is null
                ? new RowListUpdates(mask => UpdateRows(rowUpdates, table, updatable, version, key[0], hierarchy?.TypeFilter, mask))
                : null,
            InsertMany = arrays is null ? null : new SqlStatement("InsertMany", arrays.InsertFromArrays(table, inserted.Select(b => Column(b.Property)).ToArray(), inserted.Select(Placeholder).ToArray(), generated is null ? null : Column(generated)), inserted),
            BulkInsert = BulkInsert(table, generated is null ? null : bindings[generated], inserted),
            NewBulkInsert = () => BulkInsert(table, generated is null ? null : bindings[generated], inserted),
            UpdatesMany = arrays is null || tenant is not null ? null : new UpdateStatements(mask => UpdateMany(arrays, table, updatable, version, rowParameters, hierarchy?.TypeFilter, mask)),
            WritesFromArrays = writesFromArrays,
            Upserts = new UpsertStatements(entity, ConflictTargets(entity, key, bindings), (target, ignore, form) => Upsert(table, inserted, updatable, target, version, key, ignore, form), target => KeyRead(table, target, key), (target, ignore) => RowListUpserts(UpsertShapeOf(table, inserted, updatable, target, version, key, ignore), inserted), (target, ignore) => ArrayUpsert(writesFromArrays ? arrays : null, UpsertShapeOf(table, inserted, updatable, target, version, key, ignore), inserted)),
            Accessors = accessors,
            Copy = accessors.Copier(),
            Assign = accessors.Assigner(),
            // A hierarchy's reader reads the discriminator first, then the columns of the class it names.
            Rows = hierarchy is null ? accessors.Rows(properties) : Execution.RowReader.Compiled(hierarchy.Rows),
            TableSql = table,
            SelectList = selectList,
            SetGeneratedKey = generated is null ? null : accessors.Setter(generated),
            SetKey = key.Length == 1 ? accessors.Setter(key[0].Property) : null,
            GeneratedKeyIsDefault = generated is null ? null : accessors.IsDefault(generated),
            VersionBinding = version,
            NotDeletedSql = notDeleted,
            DeletedSql = deleted,
            SoftDeleteMask = marker is null ? 0 : 1UL << Array.FindIndex(updatable, b => b.Property == marker),
            SetSoftDeleteMarker = marker is null ? null : accessors.Setter(marker),
            SetVersion = version is null ? null : accessors.Setter(version.Property),
            TenantBinding = tenant,
            TenantConditionSql = tenant is null ? null : $"{Column(tenant.Property)} = {EntityPlan.TenantParameter}",
            GetTenant = tenant is null ? null : accessors.Getter(tenant.Property),
            SetTenant = tenant is null ? null : accessors.Setter(tenant.Property),
            TypeFilterSql = hierarchy?.TypeFilter,
            Filters = filters,
            Inheritance = hierarchy?.Plan,
        };
    }

    // SET the chosen columns (and bump the version), WHERE the key (and the version read at load) still match.
    private SqlStatement Update(string table, ParameterBinding[] updatable, ParameterBinding? version, string rowFilter, ParameterBinding[] rowParameters, ParameterBinding[] key, ulong mask)
    {
        var set = updatable.Where((_, i) => UpdateStatements.Includes(mask, i)).ToArray();
        var assignments = set.Select(b => $"{Column(b.Property)} = {Placeholder(b)}").ToList();
        if (version is not null)
        {
            assignments.Add($"{Column(version.Property)} = {Placeholder(version)} + 1");
        }
        else if (assignments.Count == 0)
        {
            assignments.Add($"{Column(key[0].Property)} = {Column(key[0].Property)}"); // an entity that is all key
        }

        return new SqlStatement("Update", $"UPDATE {table} SET {string.Join(", ", assignments)} WHERE {rowFilter}", [.. set, .. rowParameters]);
    }

    // The key first, then each unique index of the mapping: what an upsert may name as its conflict target.
    private static List<ConflictTarget> ConflictTargets(EntityModel entity, ParameterBinding[] key, Dictionary<PropertyModel, ParameterBinding> bindings)
    {
        var targets = new List<ConflictTarget> { new($"the key ({string.Join(", ", key.Select(k => k.Property.Name))})", key) };
        foreach (var index in entity.Indexes.Where(i => i.IsUnique))
        {
            targets.Add(new($"unique index {index.Name} ({string.Join(", ", index.Properties.Select(p => p.Name))})", index.Properties.Select(p => bindings[p]).ToArray()));
        }

        return targets;
    }

    // INSERT, or on a conflict over the target's columns an update of every other updatable column (or nothing, for insert-or-ignore).
    private SqlStatement Upsert(string table, ParameterBinding[] inserted, ParameterBinding[] updatable, ConflictTarget target, ParameterBinding? version, ParameterBinding[] key, bool ignore, int form)
    {
        var shape = UpsertShapeOf(table, inserted, updatable, target, version, key, ignore);
        var sql = form != 0 && _dialect is IUpsertFormsDialect forms ? forms.Upsert(shape, form) : _dialect.Upsert(shape);
        return new SqlStatement(ignore ? "InsertOrIgnore" : "Upsert", sql, inserted);
    }

    // Many-row upserts, where the dialect lists rows and can answer each row's key and outcome for this shape (asked once,
    // with two rows), bound by position as the many-row inserts are.
    private RowListStatements? RowListUpserts(UpsertShape shape, ParameterBinding[] inserted) =>
        _dialect is IRowListInsertDialect rowLists && inserted.Length > 0 && rowLists.UpsertRows(shape, PositionalRows(2, inserted.Length)) is not null
            ? new RowListStatements(shape.IgnoreConflicts ? "InsertOrIgnoreMany" : "UpsertMany", [inserted], rows => rowLists.UpsertRows(shape, PositionalRows(rows, inserted.Length))!)
            : null;

    // The upsert of many rows from one array per column, where the dialect has one (PostgreSQL), bound as the many-row insert is.
    private static SqlStatement? ArrayUpsert(IArrayWriteDialect? arrays, UpsertShape shape, ParameterBinding[] inserted) =>
        arrays is not null && inserted.Length > 0 && arrays.UpsertFromArrays(shape) is { } sql
            ? new SqlStatement(shape.IgnoreConflicts ? "InsertOrIgnoreMany" : "UpsertMany", sql, inserted)
            : null;

    private UpsertShape UpsertShapeOf(string table, ParameterBinding[] inserted, ParameterBinding[] updatable, ConflictTarget target, ParameterBinding? version, ParameterBinding[] key, bool ignore) =>
        new(
            table,
            inserted.Select(b => Column(b.Property)).ToArray(),
            inserted.Select(Placeholder).ToArray(),
            target.Properties.Select(b => Column(b.Property)).ToArray(),
            target.Properties.Select(Placeholder).ToArray(),
            updatable.Where(b => !target.Properties.Contains(b)).Select(b => Column(b.Property)).ToArray(),
            key is [{ Property.IsGenerated: true } generated] ? Column(generated.Property) : null,
            key.Length == 1 ? Column(key[0].Property) : null,
            version is null ? null : Column(version.Property),
            version is null ? null : Placeholder(version),
            ignore);

    // The key of the row holding the target's values (a unique index): the row an insert-or-ignore found instead of inserting.
    private SqlStatement KeyRead(string table, ConflictTarget target, ParameterBinding[] key) =>
        new("InsertOrIgnoreKey", $"SELECT {Column(key[0].Property)} FROM {table} WHERE {string.Join(" AND ", target.Properties.Select(b => $"{Column(b.Property)} = {Placeholder(b)}"))}", [.. target.Properties]);

    // The same update for many rows at once, from one array per column.
    private SqlStatement UpdateMany(IArrayWriteDialect arrays, string table, ParameterBinding[] updatable, ParameterBinding? version, ParameterBinding[] rowParameters, string? typeFilter, ulong mask)
    {
        var set = updatable.Where((_, i) => UpdateStatements.Includes(mask, i)).ToArray();
        ParameterBinding[] parameters = [.. set, .. rowParameters];
        var sql = arrays.UpdateFromArrays(table, set.Select(b => Column(b.Property)).ToArray(), rowParameters.Select(b => Column(b.Property)).ToArray(), parameters.Select(Placeholder).ToArray(), version is null ? null : Column(version.Property), typeFilter);
        return new SqlStatement("UpdateMany", sql, parameters);
    }

    // The same update for many rows listed in the statement, each value after its row's key (see IRowListUpdateDialect).
    private RowListStatements? UpdateRows(IRowListUpdateDialect rowUpdates, string table, ParameterBinding[] updatable, ParameterBinding? version, ParameterBinding key, string? typeFilter, ulong mask)
    {
        var set = updatable.Where((_, i) => UpdateStatements.Includes(mask, i)).ToArray();
        if (set.Length == 0 && version is null)
        {
            return null;
        }

        ParameterBinding[][] segments = [.. set.Select(b => new[] { key, b }), [key], .. version is null ? Array.Empty<ParameterBinding[]>() : [[key, version]]];
        var columns = set.Select(b => Column(b.Property)).ToArray();
        return new RowListStatements("UpdateMany", segments, rows => rowUpdates.UpdateRows(table, Column(key.Property), columns, version is null ? null : Column(version.Property), typeFilter, rows));
    }

    // Each row's positional placeholders (see RowListStatements).
    private static string[][] PositionalRows(int rows, int columns) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Repeat("?", columns).ToArray())];

    private string Table(EntityModel entity) =>
        entity.Schema is null ? _dialect.QuoteIdentifier(entity.Table) : $"{_dialect.QuoteIdentifier(entity.Schema)}.{_dialect.QuoteIdentifier(entity.Table)}";

    private string Column(PropertyModel property) => _dialect.QuoteIdentifier(property.Column);

    // The generated key first (its values are taken from its sequence before the rows are sent), then the inserted columns.
    private IBulkInsertTable? BulkInsert(string table, ParameterBinding? generated, ParameterBinding[] inserted)
    {
        if (_dialect is not IBulkInsertDialect bulk)
        {
            return null;
        }

        var key = generated is null ? null : BulkColumn(generated);
        BulkInsertColumn[] columns = key is null ? [.. inserted.Select(BulkColumn)] : [key, .. inserted.Select(BulkColumn)];
        return bulk.BulkInsert(table, columns, key);

        BulkInsertColumn BulkColumn(ParameterBinding binding) => new(binding.Property.Column, Column(binding.Property), binding.Property, binding.ReadFrom) { TypedReader = binding.TypedReader };
    }

    // Aliasing each column to its property name lets Dapper map rows straight onto the class, whatever the column is called.
    private string SelectColumn(PropertyModel property) =>
        property.Column == property.Name ? Column(property) : $"{Column(property)} AS {_dialect.QuoteIdentifier(property.Name)}";

    private static string Placeholder(ParameterBinding binding) => "@" + binding.Name;

    // Where each of bindings sits among the updatable columns (-1: not updatable). A loop: LINQ's Select to int is an
    // instantiation ReadyToRun does not precompile, JIT-compiled at every start (issue 19).
    private static int[] SlotsIn(ParameterBinding[] updatable, ParameterBinding[] bindings)
    {
        var slots = new int[bindings.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = Array.IndexOf(updatable, bindings[i]);
        }

        return slots;
    }
}
