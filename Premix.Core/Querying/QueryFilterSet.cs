using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// The named query filters of one entity (<c>HasQueryFilter</c>), ready for every read: which a query applies (all but those
/// it lifts, as a bit mask that is part of its shape), the values each captures (found once, read per call by a compiled
/// delegate, or by the generated model's readers when it has the entity; always sent as parameters), and the SQL they add to statements of fixed text (get-by-key, Include, refresh),
/// made once per entity and per which values are null.
/// </summary>
internal sealed class QueryFilterSet
{
    /// <summary>The set of an entity without filters.</summary>
    public static readonly QueryFilterSet None = new([]);

    private readonly QueryFilterModel[] _filters;
    // With a generated model, the entity's generated code, whose readers read the filters' values (made on first use).
    private readonly GeneratedEntity? _generated;
    // Made on first use (LazyInitializer; see Plans.UpdateStatements): most entities have no filter, and None is every such entity's set.
    private ConcurrentDictionary<ulong, Slots>? _slots;
    private ConcurrentDictionary<ulong, (string Sql, SlotBinding?[] Bindings)>? _fragments;
    private ConcurrentDictionary<(string Sql, ulong Nulls), string>? _statements;
    private ConcurrentDictionary<(ParameterBinding Column, string Condition), KeyListReader.Statement>? _keyListStatements;
    private string[]? _names;

    /// <summary>The set of <paramref name="filters"/>, whose values <paramref name="generated"/>'s code reads when given (compiled otherwise).</summary>
    public QueryFilterSet(IReadOnlyList<QueryFilterModel> filters, GeneratedEntity? generated = null)
    {
        _filters = [.. filters];
        _generated = generated;
        All = _filters.Length == 0 ? 0 : ulong.MaxValue >> (64 - _filters.Length);
        for (var i = 0; i < _filters.Length; i++)
        {
            Explicit |= _filters[i].LiftsOnlyExplicitly ? 1UL << i : 0;
            TenantProperty ??= _filters[i].TenantProperty;
        }
    }

    /// <summary>The tenant bound where a statement is only listed (<c>ToSql()</c>), never sent: its text is every tenant's.</summary>
    public const string ListingTenant = "(listing)";

    /// <summary>The property holding the tenant (<c>HasTenantColumn</c>), or <see langword="null"/> when the table is not shared by tenants.</summary>
    public System.Reflection.PropertyInfo? TenantProperty { get; }

    public IReadOnlyList<QueryFilterModel> Filters => _filters;

    public bool IsEmpty => _filters.Length == 0;

    /// <summary>The IN-list reads of this entity (Include, refresh) by column and filter condition (one per which values are null).</summary>
    public ConcurrentDictionary<(ParameterBinding Column, string Condition), KeyListReader.Statement> KeyListStatements => LazyInitializer.EnsureInitialized(ref _keyListStatements, static () => new());

    /// <summary>Bit i set for filter i: the mask of a query that lifts none.</summary>
    public ulong All { get; }

    /// <summary>The filters only a query naming them lifts (<see cref="QueryFilterModel.LiftsOnlyExplicitly"/>).</summary>
    public ulong Explicit { get; }

    /// <summary>The filters <paramref name="model"/> applies: all but those it lifts by name, or by <c>IgnoreQueryFilters()</c>.</summary>
    /// <exception cref="ArgumentException">The query lifts a name the entity has no filter under.</exception>
    public ulong Active(EntityPlan plan, QueryModel model)
    {
        if (model.LiftedFilters.Length == 0)
        {
            return model.LiftsAllFilters ? Explicit : All;
        }

        var active = model.LiftsAllFilters ? Explicit : All;
        foreach (var name in model.LiftedFilters)
        {
            active &= ~(1UL << IndexOf(plan, name));
        }

        return active;
    }

    /// <summary>Filter <paramref name="name"/>'s place, or soft delete's (63: no bit of a declared filter, at most 63).</summary>
    /// <exception cref="ArgumentException">The entity has no such filter.</exception>
    public int IndexOf(EntityPlan plan, string name)
    {
        for (var i = 0; i < _filters.Length; i++)
        {
            if (string.Equals(_filters[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        if (name == QueryFilterModel.SoftDeleteName && plan.Entity.SoftDeleteMarker is not null)
        {
            return 63; // lifted by DeletedRows.Included, which IgnoreQueryFilter set
        }

        var names = _filters.Select(f => $"\"{f.Name}\"").Concat(plan.Entity.SoftDeleteMarker is null ? [] : [$"\"{QueryFilterModel.SoftDeleteName}\""]).ToList();
        throw new ArgumentException(
            $"{plan.Entity.Name} has no query filter named \"{name}\"; "
            + (names.Count == 0 ? "it declares none. " : $"its filters are {string.Join(", ", names)} (names are compared exactly, case included). ")
            + $"Lift one of those, or declare the filter with HasQueryFilter(\"{name}\", ...) in {plan.Entity.Name}'s mapping.",
            nameof(name));
    }

    /// <summary>The predicates of the filters in <paramref name="active"/>, in declaration order.</summary>
    public IEnumerable<LambdaExpression> Predicates(ulong active)
    {
        for (var i = 0; i < _filters.Length; i++)
        {
            if ((active & (1UL << i)) != 0)
            {
                yield return _filters[i].Predicate;
            }
        }
    }

    /// <summary>The values the filters in <paramref name="active"/> capture (their slots, in order), found once per mask.</summary>
    public IReadOnlyList<Expression> Nodes(ulong active) => active == 0 ? [] : SlotsOf(active).Nodes;

    /// <summary>
    /// Reads the values of <paramref name="active"/>'s slots into <paramref name="values"/> from <paramref name="start"/>;
    /// the tenant column's slot gets <paramref name="tenant"/>, the tenant of the unit of work.
    /// </summary>
    /// <exception cref="TenantRequiredException">The tenant column's filter applies and there is no tenant: nothing is sent.</exception>
    public void ReadValues(ulong active, object?[] values, int start, string? tenant)
    {
        if (active == 0)
        {
            return;
        }

        var slots = SlotsOf(active);
        var (lists, getters) = (slots.Lists, slots.Getters);
        for (var i = 0; i < getters.Length; i++)
        {
            // A null getter is the tenant's place (TenantFilterValue): fail closed rather than compare the column to NULL.
            values[start + i] = getters[i] is { } getter ? SequenceValues.ReadOnce(getter(), QuerySlots.IsList(lists, i)) : tenant ?? throw NoTenant();
        }
    }

    /// <summary>The error of a read or write of this entity without a tenant: nothing is sent.</summary>
    public TenantRequiredException NoTenant() => new(
        $"The entity with the tenant column {TenantProperty?.DeclaringType?.Name}.{TenantProperty?.Name} was read or written without a tenant, so nothing was sent. "
        + "Configure UseTenants(t => t.TenantColumn()) and name the tenant (PremixTenant.Begin, or an ITenantResolver), or read across tenants with AcrossTenants().");

    /// <summary>
    /// <paramref name="sql"/> (a statement of fixed text whose last clause is its <c>WHERE</c>, or which has none when
    /// <paramref name="hasWhere"/> is false) with every filter appended, their values added to <paramref name="parameters"/>
    /// as <c>@f0</c>, <c>@f1</c>, ... (<see cref="Names"/>); the text is made once per statement and per which values are null.
    /// </summary>
    public string Append(EntityPlan plan, ISqlDialect dialect, string sql, bool hasWhere, QueryParameters parameters, string? tenant)
    {
        var values = Values(All, tenant);
        var nulls = QuerySlots.NullMaskOf(values);
        var (fragment, bindings) = Fragment(plan, dialect, values, nulls);
        Bind(bindings, values, parameters);
        return LazyInitializer.EnsureInitialized(ref _statements, static () => new(StatementComparer.Instance)).GetOrAdd((sql, nulls), static (key, state) => key.Sql + (state.hasWhere ? " AND " : " WHERE ") + state.fragment, (hasWhere, fragment));
    }

    /// <summary>The condition every filter adds (<c>(a) AND (b)</c>), with <c>@fN</c> placeholders (<see cref="Names"/>), for listing and for <see cref="KeyListReader"/>; bind its values with <see cref="Bind"/>.</summary>
    public (string Sql, SlotBinding?[] Bindings, object?[] Values) Condition(EntityPlan plan, ISqlDialect dialect, string? tenant)
    {
        var values = Values(All, tenant);
        var (sql, bindings) = Fragment(plan, dialect, values, QuerySlots.NullMaskOf(values));
        return (sql, bindings, values);
    }

    /// <summary>Adds the values of <paramref name="bindings"/>' slots (of <see cref="Condition"/> or <see cref="Append"/>) to <paramref name="parameters"/>, under the filters' own names.</summary>
    public void Bind(SlotBinding?[] bindings, object?[] values, QueryParameters parameters)
    {
        for (var i = 0; i < bindings.Length; i++)
        {
            if (bindings[i] is { } slot)
            {
                parameters.Add(_names![i], slot.ToParameter(values[i]), slot.IsSensitive, slot.SetUp);
            }
        }
    }

    /// <summary>
    /// The problems of each filter that cannot be translated for <paramref name="plan"/> on <paramref name="dialect"/>
    /// (a member that is not a mapped column, a method the queries do not translate), found at startup without reading
    /// any captured value.
    /// </summary>
    public IEnumerable<MappingProblem> Problems(EntityPlan plan, ISqlDialect dialect)
    {
        for (var i = 0; i < _filters.Length; i++)
        {
            string? problem = null;
            try
            {
                Sql(i, plan, dialect);
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                yield return new MappingProblem(plan.Entity.Name, null, $"has the query filter \"{_filters[i].Name}\", which cannot be translated to SQL: {problem}", $"Write HasQueryFilter(\"{_filters[i].Name}\", ...) with what Where translates, over mapped properties of {plan.Entity.Name}.");
            }
        }

        // The fixed-text statements cache their filter text by which values are null, a mask of 64 bits.
        if (!IsEmpty && Nodes(All).Count > 64)
        {
            yield return new MappingProblem(plan.Entity.Name, null, $"has query filters that capture {Nodes(All).Count} values together; they may capture at most 64.", $"Capture a list and test it with Contains (one value), or merge the filters of {plan.Entity.Name}.");
        }
    }

    /// <summary>Filter <paramref name="index"/>'s condition as for values that are not null, found without reading them.</summary>
    /// <exception cref="NotSupportedException">The filter cannot be translated.</exception>
    public string Sql(int index, EntityPlan plan, ISqlDialect dialect)
    {
        var nodes = Nodes(1UL << index);
        var placeholders = new object?[nodes.Count];
        Array.Fill(placeholders, new object());
        var sql = new StringBuilder();
        new SqlTranslator(plan, dialect, QuerySlots.Of(nodes, placeholders)).Predicate(_filters[index].Predicate, sql);
        return sql.ToString();
    }

    private object?[] Values(ulong active, string? tenant)
    {
        var values = Nodes(active).Count == 0 ? [] : new object?[Nodes(active).Count];
        ReadValues(active, values, 0, tenant);
        return values;
    }

    // TryGetValue first, and the translation in a method of its own: a lambda capturing the arguments would allocate on every call.
    private (string Sql, SlotBinding?[] Bindings) Fragment(EntityPlan plan, ISqlDialect dialect, object?[] values, ulong nulls)
    {
        var fragments = LazyInitializer.EnsureInitialized(ref _fragments, static () => new());
        return fragments.TryGetValue(nulls, out var made) ? made : fragments.GetOrAdd(nulls, Translate(plan, dialect, values));
    }

    private (string Sql, SlotBinding?[] Bindings) Translate(EntityPlan plan, ISqlDialect dialect, object?[] values)
    {
        var translator = new SqlTranslator(plan, dialect, QuerySlots.Of(Nodes(All), values), Names(plan));
        var sql = new StringBuilder();
        foreach (var predicate in Predicates(All))
        {
            translator.Predicate(predicate, sql.Append(sql.Length == 0 ? string.Empty : " AND "));
        }

        return (sql.ToString(), translator.Bindings);
    }

    /// <summary>
    /// The filters' parameter names, <c>@f0</c>, <c>@f1</c>, ...: not a query's <c>@p0</c>, since a statement of fixed text
    /// (get-by-key) also binds the entity's key properties under their own names, and a key named <c>P0</c> would be bound
    /// twice. A property named like them (<c>F0</c>, or <c>F0_0</c> like an expanded list's; drivers compare names without case) moves the prefix on (<c>@ff0</c>, ...).
    /// Made once: the names depend only on the entity's properties (a hierarchy's keys are its root's).
    /// </summary>
    private string[] Names(EntityPlan plan)
    {
        if (_names is { } names)
        {
            return names;
        }

        var properties = plan.Properties.Select(p => p.Name).ToList();
        var prefix = "f";
        while (properties.Any(name => name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && IsSlotSuffix(name.AsSpan(prefix.Length))))
        {
            prefix += "f";
        }

        return _names = [.. Enumerable.Range(0, Nodes(All).Count).Select(i => "@" + prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    // Digits, or digits and underscores: an expanded list binds @f0_0, @f0_1, ... on a driver without array parameters (MySQL).
    private static bool IsSlotSuffix(ReadOnlySpan<char> suffix) =>
        suffix.Length > 0 && char.IsAsciiDigit(suffix[0]) && !suffix.ContainsAnyExcept("0123456789_");

    private Slots SlotsOf(ulong active)
    {
        var all = LazyInitializer.EnsureInitialized(ref _slots, static () => new());
        return all.TryGetValue(active, out var slots) ? slots : all.GetOrAdd(active, mask =>
        {
            var (found, lists) = QuerySlots.Find(QueryModel.Empty with { Filters = [.. Predicates(mask)] });
            var nodes = found.ToArray();
            if (_generated is { } generated)
            {
                // The generated readers, taken on the first read: the start (which translates each filter) makes no code.
                return new Slots(nodes, lists, () => GeneratedGetters(generated, mask, nodes));
            }

            var compiled = Array.ConvertAll(nodes, node => TenantFilterValue.Is(node) ? null : Plans.LazyDelegates.Compile(Expression.Lambda<Func<object?>>(Expression.Convert(node, typeof(object)))));
            return new Slots(nodes, lists, () => compiled);
        });
    }

    // The readers of mask's slots from the generated code: each filter's values in its description's order (the tenant's
    // place null), in the order the filters are declared, which is the order QuerySlots numbers the mask's slots in.
    private Func<object?>?[] GeneratedGetters(GeneratedEntity generated, ulong mask, Expression[] nodes)
    {
        var getters = new List<Func<object?>?>(nodes.Length);
        var position = 0;
        for (var i = 0; i < _filters.Length; i++)
        {
            if (!Plans.GeneratedFilter.IsGenerated(_filters[i]))
            {
                if ((mask & (1UL << i)) != 0)
                {
                    getters.AddRange(Plans.GeneratedFilter.Slots(_filters[i]).Select(_ => (Func<object?>?)null));
                }

                continue;
            }

            if ((mask & (1UL << i)) != 0)
            {
                getters.AddRange(generated.Code.Filters[position].Values);
            }

            position++;
        }

        return getters.Count == nodes.Length ? [.. getters] : throw generated.Broken($"value readers of its query filters as its description counts them ({nodes.Length} for the filters in use, it has {getters.Count})");
    }

    // A null getter marks the tenant's place, bound from the unit of work rather than evaluated. The getters are made on the
    // first read of the mask's values.
    private sealed class Slots(Expression[] nodes, ulong lists, Func<Func<object?>?[]> make)
    {
        private Func<object?>?[]? _getters;

        public Expression[] Nodes { get; } = nodes;

        public ulong Lists { get; } = lists;

        public Func<object?>?[] Getters => _getters ?? LazyInitializer.EnsureInitialized(ref _getters, make)!;
    }

    // A plan's statement text is one string instance: compared by reference, it is not hashed character by character per call.
    private sealed class StatementComparer : IEqualityComparer<(string Sql, ulong Nulls)>
    {
        public static readonly StatementComparer Instance = new();

        public bool Equals((string Sql, ulong Nulls) x, (string Sql, ulong Nulls) y) => ReferenceEquals(x.Sql, y.Sql) && x.Nulls == y.Nulls;

        public int GetHashCode((string Sql, ulong Nulls) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Sql), obj.Nulls);
    }
}
